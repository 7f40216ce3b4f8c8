#pragma once
// Training a byte-level BPE vocabulary from scratch.
//
// Start with the 256 single bytes; repeatedly find the most frequent adjacent pair of tokens in the
// corpus and make it a new token. Ties are broken by the smallest pair (left id, then right id), so
// training is deterministic.
//
// Cost grows with the corpus, not with corpus x merges: the corpus is pre-tokenized and each unique piece
// ("word") is stored once with its count; pair counts are updated incrementally, only in the words a merge
// touches; the most frequent pair comes from a max-heap whose stale entries are re-checked when popped
// (the algorithm of HF tokenizers and SentencePiece).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "io/config_fields.hpp"
#include "tokenizer/tokenizer.hpp"

namespace minillm {

// "Bpe" in the names: these train a tokenizer, not the GPT (train/trainer.hpp's TrainConfig).
// One row per setting (io/config_fields.hpp): type, name, default, `minillm train-tokenizer` flag, range, help.
#define MINILLM_BPE_TRAIN_CONFIG(X)                                                                          \
  X(int, vocab_size, 4096, "--vocab-size", at_least(256),                                                   \
    "tokens in the vocabulary: 256 bytes + merges + special tokens")                                        \
  X(std::string, pattern, std::string(kGpt2Pattern), "", any_value(),                                       \
    "the pre-tokenizer's regex (PCRE2, GPT-2's by default): merges never cross its pieces")

struct BpeTrainOptions {
  using Self = BpeTrainOptions;
  MINILLM_BPE_TRAIN_CONFIG(MINILLM_CONFIG_MEMBER)
  std::vector<std::string> special_tokens = {"<|endoftext|>"};  // get the last ids, never merged
  // Called after each merge with (merges done, merges wanted): a progress bar hooks in here.
  std::function<void(int, int)> on_merge;
  static std::vector<ConfigField<Self>> fields() { return {MINILLM_BPE_TRAIN_CONFIG(MINILLM_CONFIG_FIELD)}; }
};

struct BpeTrainResult {
  Tokenizer tokenizer;
  std::vector<int64_t> merge_counts;  // how often each merged pair occurred when it was chosen
  int64_t unique_words = 0;
};

// Errors: empty corpus, vocab_size < 256 + specials, a pattern PCRE2 rejects. When the corpus runs out
// of pairs before vocab_size is reached, training stops early (the result has fewer merges).
// The fast form: the incremental trainer above (counts updated only where a merge happened, a heap).
BpeTrainResult train_bpe(std::string_view corpus, const BpeTrainOptions& options);

// The plain form, minbpe's loop: count every adjacent pair in the whole corpus, take the most frequent,
// merge it everywhere, and start again; every merge costs a pass over the corpus. The same merges in the
// same order as train_bpe (tests/unit/tokenizer/test_train_bpe.cpp holds them equal).
BpeTrainResult train_bpe_plain(std::string_view corpus, const BpeTrainOptions& options);

}  // namespace minillm
