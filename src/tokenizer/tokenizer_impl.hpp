#pragma once
// The inside of a Tokenizer (private to src/tokenizer/): the vocabulary, the merge table and the splitter.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/bytes_map.hpp"
#include "tokenizer/pair_map.hpp"
#include "tokenizer/regex_splitter.hpp"
#include "tokenizer/tokenizer.hpp"

namespace minillm {

struct Tokenizer::Impl {
  std::string name;
  std::string pattern;
  std::unique_ptr<RegexSplitter> splitter;
  std::vector<std::string> vocab;   // id -> bytes (special tokens: their text)
  std::vector<char> is_valid_id;    // false for the gaps tiktoken vocabularies have
  std::array<int32_t, 256> byte_ids{};
  PairMap pairs;                    // (left, right) -> merged id; the lower the id, the earlier it merges
  // tiktoken rule: a piece that is itself a token is that token, whatever the merges would give.
  bool whole_piece_lookup = false;
  BytesMap piece_ids;               // token bytes -> id; its keys point into `vocab`
  std::vector<SpecialToken> specials;
  std::vector<std::pair<TokenId, TokenId>> merges;  // trained tokenizers only

  void encode_ordinary_into(std::string_view text, std::vector<int32_t>& out) const;
};

// tiktoken's model: token bytes ranked 0..n-1 (gaps allowed: empty strings), every split of a token into
// two tokens is a merge.
std::shared_ptr<const Tokenizer::Impl> make_from_ranks(std::string name, std::string pattern,
                                                       std::vector<std::string> tokens_by_rank,
                                                       std::vector<SpecialToken> specials);

// minillm's trained model: token 256 + i = merges[i].first + merges[i].second.
std::shared_ptr<const Tokenizer::Impl> make_from_merges(std::string name, std::string pattern,
                                                        std::vector<std::pair<TokenId, TokenId>> merges,
                                                        std::vector<SpecialToken> specials);

}  // namespace minillm
