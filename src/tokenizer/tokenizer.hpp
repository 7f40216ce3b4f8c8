#pragma once
// A byte-level BPE tokenizer: text -> token ids -> text.
//
// One class covers both kinds of vocabulary the course uses:
//   - OpenAI's encodings (gpt2, cl100k_base, o200k_base), loaded from tiktoken's rank files, producing
//     exactly tiktoken's ids ("Hello, world!" -> [15496, 11, 995, 0] with gpt2);
//   - a vocabulary minillm trained itself with train_bpe() (see train_bpe.hpp) and saved with save().
//
// How encoding works (the same for both):
//   1. split the text at special tokens that the caller allowed (e.g. "<|endoftext|>");
//   2. pre-tokenize each ordinary segment with the encoding's regex into "pieces" (" world", "!", ...);
//   3. turn each piece into bytes and repeatedly merge the adjacent pair with the lowest rank
//      (a token's rank is its id: earlier merges are more frequent and win).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/token_id.hpp"

namespace minillm {

// The pre-tokenization patterns of OpenAI's encodings (PCRE2 syntax, identical to tiktoken's pat_str).
inline constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// Which special tokens encode() may produce. Special-token text that is not allowed is an Error (as in
// tiktoken), so a user typing "<|endoftext|>" into a prompt cannot end a document by accident.
struct AllowedSpecial {
  bool all = false;             // every special token of the vocabulary
  std::set<std::string> names;  // or just these
  static AllowedSpecial everything() { return {true, {}}; }
  static AllowedSpecial none() { return {}; }
  static AllowedSpecial only(std::set<std::string> names) { return {false, std::move(names)}; }
  bool allows(const std::string& name) const { return all || names.count(name) > 0; }
};

struct SpecialToken {
  std::string text;  // e.g. "<|endoftext|>"
  TokenId id;
};

class Tokenizer {
 public:
  // "gpt2", "cl100k_base", "o200k_base" (looked up in <data dir>/cache/tiktoken/NAME.json, see
  // data_dir() in io/data_dir.hpp), or a path to a tiktoken file: the npm package's .json or a plain .tiktoken
  // ("base64 rank" lines; the pattern and specials then come from the known encoding named by the file
  // stem, e.g. cl100k_base.tiktoken). Unknown names are an Error listing the valid ones.
  static Tokenizer from_tiktoken(const std::string& name_or_path);

  // Whatever the user named: "gpt2" / "cl100k_base" / "o200k_base", a file save() wrote, or a tiktoken
  // rank file. What the CLI's --encoding accepts.
  static Tokenizer open(const std::string& name_or_path);

  // A tokenizer from merges (token 256 + i = merges[i].first + merges[i].second; tokens 0..255 are the
  // bytes) and special tokens, which get the ids after the merges. E.g. the first k merges of a trained
  // tokenizer give the smaller vocabulary it had after k steps.
  static Tokenizer from_merges(const std::string& pattern, std::vector<std::pair<TokenId, TokenId>> merges,
                               const std::vector<std::string>& special_tokens);

  // A tokenizer minillm trained and saved (readable text format, see save()).
  static Tokenizer load(const std::filesystem::path& file);
  // Writes "minillm-bpe 2", the pattern, the special tokens, the merge count and the merges, one per line;
  // load() reads it back exactly (and still reads version 1, which has no merge count). Only trained
  // tokenizers have merges to save (tiktoken ones come from their rank file).
  void save(const std::filesystem::path& file) const;

  // Ordinary text; special-token text inside it is an Error (say which one, and how to allow it).
  TokenIds encode(std::string_view text) const;
  // Special tokens in `allowed` become their ids; other special-token text is still an Error.
  TokenIds encode(std::string_view text, const AllowedSpecial& allowed) const;
  // Everything is ordinary text: "<|endoftext|>" is encoded as the characters it is made of.
  TokenIds encode_ordinary(std::string_view text) const;

  // The bytes the ids stand for (any byte string round-trips through encode_ordinary/decode_bytes).
  std::string decode_bytes(std::span<const TokenId> ids) const;
  // The same as valid UTF-8 text: each invalid sequence becomes U+FFFD (the replacement character).
  std::string decode(std::span<const TokenId> ids) const;
  // The bytes of one token (for printing pieces). Error on an id outside the vocabulary.
  const std::string& token_bytes(TokenId id) const;

  int vocab_size() const;                                     // largest id + 1
  std::optional<TokenId> special(std::string_view text) const;  // special("<|endoftext|>")
  const std::vector<SpecialToken>& special_tokens() const;
  const std::string& pattern() const;
  const std::string& name() const;  // "gpt2", or "trained" / the file it was loaded from

  // For trained tokenizers: merge i made token 256 + i from (left, right). Empty for tiktoken ones.
  const std::vector<std::pair<TokenId, TokenId>>& merges() const;

  // Built by from_tiktoken(), load() and train_bpe(); not meant to be called directly.
  struct Impl;
  explicit Tokenizer(std::shared_ptr<const Impl> impl);

 private:
  std::shared_ptr<const Impl> impl_;  // immutable after construction: copies are cheap, threads may share
};

}  // namespace minillm
