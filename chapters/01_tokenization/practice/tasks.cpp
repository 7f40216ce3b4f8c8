// Chapter 01 practice. Replace each TODO with your code, then run `./run practice 01`.
#include "tasks.hpp"

#include <regex>

#include "practice/todo.hpp"

namespace ch01 {

std::map<Pair, int> count_pairs(const std::vector<int>& ids) {
  // TODO(count_pairs): walk i = 0 .. ids.size() - 2 and add 1 to counts[{ids[i], ids[i + 1]}]. Every
  // position counts, so overlapping pairs count twice ({7, 7, 7} has (7, 7) twice). Careful with an empty
  // or one-element vector: ids.size() - 2 is unsigned and would wrap around.
  throw minillm::practice::NotImplemented("count_pairs");
}

std::vector<int> merge_pair(const std::vector<int>& ids, Pair pair, int new_id) {
  // TODO(merge_pair): build a new vector. At position i, if ids[i] and ids[i + 1] are the pair, push new_id
  // and skip both (i += 2); otherwise push ids[i] and move on (i += 1). Left to right, no overlaps.
  throw minillm::practice::NotImplemented("merge_pair");
}

std::vector<Pair> train_basic_bpe(std::string_view text, int num_merges) {
  // TODO(train_bpe): ids = the bytes of text (as unsigned char: bytes >= 128 must become 128..255, not
  // negative). Then num_merges times: counts = count_pairs(ids); stop if empty; pick the pair with the
  // highest count (std::map is sorted, so keeping the first of equal counts keeps the smallest pair);
  // ids = merge_pair(ids, best, 256 + merges.size()); remember best in the result.
  throw minillm::practice::NotImplemented("train_bpe");
}

std::vector<int> encode_basic(std::string_view text, const std::vector<Pair>& merges) {
  // TODO(round_trip): start from the bytes. Loop: among the adjacent pairs of ids, find the one that
  // appears earliest in merges (a std::map<Pair, int> from pair to its index helps); if none appears,
  // stop; otherwise merge it into 256 + index with merge_pair.
  throw minillm::practice::NotImplemented("round_trip");
}

std::string decode_basic(const std::vector<int>& ids, const std::vector<Pair>& merges) {
  // TODO(round_trip): make a table of the bytes of every token: token b < 256 is the one byte b; token
  // 256 + i is bytes[merges[i].first] + bytes[merges[i].second] (fill it in order: a merge only uses older
  // tokens). The text is the concatenation of the bytes of ids.
  throw minillm::practice::NotImplemented("round_trip");
}

std::vector<std::string> regex_split(const std::string& text) {
  // TODO(regex_split): std::regex pattern(R"(...)") with the pattern in tasks.hpp; walk the matches with
  // std::sregex_iterator(text.begin(), text.end(), pattern) and collect match.str().
  throw minillm::practice::NotImplemented("regex_split");
}

std::vector<int> encode_chunks(const std::string& text, const std::vector<Pair>& merges) {
  // TODO(encode_chunks): cut the text into pieces first (your regex_split), then encode every piece
  // separately (your encode_basic) and put the ids of all pieces one after the other, in order.
  throw minillm::practice::NotImplemented("encode_chunks");
}

}  // namespace ch01
