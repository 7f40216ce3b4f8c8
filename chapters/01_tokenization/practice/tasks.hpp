#pragma once
// Chapter 01 practice: byte-pair encoding from scratch, one step at a time.
//
// Token ids are plain ints here: 0..255 are the bytes, and merge number i (counting from 0) makes the new
// token 256 + i. A merge is the pair of ids it joins.
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ch01 {

using Pair = std::pair<int, int>;

// Task utf8_split: the characters of a valid UTF-8 text, each as the string of its 1 to 4 bytes, in order
// (How It Works, step 1: the first byte of a character says how many bytes it has).
std::vector<std::string> utf8_split(std::string_view text);

// How often each adjacent pair occurs in ids, overlaps included: {1, 1, 1} has the pair (1, 1) twice.
std::map<Pair, int> count_pairs(const std::vector<int>& ids);

// ids with every occurrence of `pair` replaced by new_id, scanning left to right (so {1, 1, 1} with the
// pair (1, 1) becomes {new_id, 1}).
std::vector<int> merge_pair(const std::vector<int>& ids, Pair pair, int new_id);

// Task train_bpe: learn num_merges merges from text's bytes (How It Works, step 2; the whole text is one
// sequence: no regex splitting). Each step merges the most frequent pair; on a tie, the smallest pair
// (compare first ids, then second ids). Stops early when no pair is left.
std::vector<Pair> train_basic_bpe(std::string_view text, int num_merges);

// Task round_trip: text -> ids (How It Works, step 6): start from the bytes, then repeatedly apply the
// EARLIEST learned merge that occurs (the one with the smallest index in merges) until none occurs.
std::vector<int> encode_basic(std::string_view text, const std::vector<Pair>& merges);

// Task round_trip: ids -> text (step 7). Each id stands for bytes; 256 + i stands for the bytes of merges[i].first then merges[i].second.
std::string decode_basic(const std::vector<int>& ids, const std::vector<Pair>& merges);

// Task regex_split: pre-tokenization (step 3): split text into pieces with GPT-2's pattern, ASCII version (std::regex knows no \p{L}):
//   's|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+
// "Hello, world!" -> {"Hello", ",", " world", "!"}.
std::vector<std::string> regex_split(const std::string& text);

// Task encode_chunks: GPT-2's way to encode: split the text with regex_split, encode each piece on its own
// with encode_basic, and concatenate the ids. No merge can join bytes of two different pieces.
std::vector<int> encode_chunks(const std::string& text, const std::vector<Pair>& merges);

// Task train_regex_bpe: train_bpe the way GPT-2's tokenizer is trained (steps 3 and 4): cut the text into
// pieces with regex_split first and learn merges inside the pieces only, so no merge ever joins the end of
// one piece to the start of the next. Pair counts add up over all pieces; the most frequent pair wins, the
// smallest on a tie, as in train_bpe. Stops early when no piece has a pair left.
std::vector<Pair> train_regex_bpe(const std::string& text, int num_merges);

// Task encode_with_special: encode text that may contain special tokens (step 8), as encode does with every
// special allowed. `special` maps each special token's text (e.g. "<|endoftext|>") to its id; no special's
// text is a prefix of another's. Every occurrence of a special's text becomes its one id; the text between
// them is encoded with encode_chunks and the merges.
std::vector<int> encode_with_special(const std::string& text, const std::vector<Pair>& merges,
                                     const std::map<std::string, int>& special);

}  // namespace ch01
