// Chapter 01 practice. Replace each TODO with your code, then run `./run practice 01`.
#include "tasks.hpp"

#include <regex>

#include "practice/todo.hpp"

namespace ch01 {

std::vector<std::string> utf8_split(std::string_view text) {
  // TODO(utf8_split): step 1 shows how a character's first byte tells its length. Read the first byte, take
  // that many bytes as one character, and go on from there. Mind that char is signed: look at the byte as
  // an unsigned char before you test its bits.
  throw minillm::practice::NotImplemented("utf8_split");
}

std::map<Pair, int> count_pairs(const std::vector<int>& ids) {
  // TODO(count_pairs): How It Works, step 2, counts the pairs of "aaabdaaabac" by hand: every id and the one
  // after it, overlaps included ({7, 7, 7} has (7, 7) twice). Mind the empty and the one-element sequence.
  throw minillm::practice::NotImplemented("count_pairs");
}

std::vector<int> merge_pair(const std::vector<int>& ids, Pair pair, int new_id) {
  // TODO(merge_pair): build a new sequence in which every occurrence of the pair, scanning left to right, is
  // replaced by new_id (step 2 does this by hand). A pair once merged is not looked at again, so {7, 7, 7}
  // with the pair (7, 7) gives {new_id, 7}.
  throw minillm::practice::NotImplemented("merge_pair");
}

std::vector<Pair> train_basic_bpe(std::string_view text, int num_merges) {
  // TODO(train_bpe): step 2, as a loop: count, pick the winner (tasks.hpp gives the tie rule), merge it
  // under the next new id, remember it. Your first two tasks do most of the work. Bytes of 128 and more
  // must become ids 128..255: mind that char is signed.
  throw minillm::practice::NotImplemented("train_bpe");
}

std::vector<int> encode_basic(std::string_view text, const std::vector<Pair>& merges) {
  // TODO(round_trip): step 6: start from the bytes; while some adjacent pair is a learned merge, merge the
  // pair that was learned first (everywhere, with your merge_pair). A lookup from pair to merge index helps.
  throw minillm::practice::NotImplemented("round_trip");
}

std::string decode_basic(const std::vector<int>& ids, const std::vector<Pair>& merges) {
  // TODO(round_trip): step 7: the text is the bytes of each id, one after the other. Which bytes does token
  // 256 + i stand for? Build the bytes of every token once, in order: a merge only uses older tokens.
  throw minillm::practice::NotImplemented("round_trip");
}

std::vector<std::string> regex_split(const std::string& text) {
  // TODO(regex_split): the pieces are the successive matches of the pattern in tasks.hpp. The standard
  // <regex> library can walk over every match; take care that the pattern's backslashes reach it unchanged.
  throw minillm::practice::NotImplemented("regex_split");
}

std::vector<int> encode_chunks(const std::string& text, const std::vector<Pair>& merges) {
  // TODO(encode_chunks): cut the text into pieces first (your regex_split), then encode every piece
  // separately (your encode_basic) and put the ids of all pieces one after the other, in order.
  throw minillm::practice::NotImplemented("encode_chunks");
}

std::vector<Pair> train_regex_bpe(const std::string& text, int num_merges) {
  // TODO(train_regex_bpe): train_bpe on many sequences instead of one: the pieces of regex_split. Keep each
  // piece as its own sequence of ids; a round counts the pairs of all pieces together, merges the winner in
  // every piece, and remembers it. Work "ab ab ab" by hand first: why does it stop after two merges?
  throw minillm::practice::NotImplemented("train_regex_bpe");
}

std::vector<int> encode_with_special(const std::string& text, const std::vector<Pair>& merges,
                                     const std::map<std::string, int>& special) {
  // TODO(encode_with_special): walk through the text looking for the next place where some special token's
  // text starts. The ordinary text before it is encoded with encode_chunks, the special becomes its id, and
  // the walk goes on after it. What is left at the end is ordinary text too.
  throw minillm::practice::NotImplemented("encode_with_special");
}

}  // namespace ch01
