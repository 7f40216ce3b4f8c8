// Chapter 01 practice tests. Run them with `./run practice 01`.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "practice/todo.hpp"
#include "tasks.hpp"

namespace ch01 {
namespace {

TEST(Utf8Split, TheLessonsExample) {
  // "naïve café 🐋" (How It Works, step 1): 12 characters in 17 bytes. ï = C3 AF and é = C3 A9 take two bytes,
  // the whale F0 9F 90 8B four, everything else one.
  const std::string sample = "na\xC3\xAFve caf\xC3\xA9 \xF0\x9F\x90\x8B";
  const std::vector<std::string> got = utf8_split(sample);
  ASSERT_EQ(got.size(), 12u) << "\"naïve café 🐋\" is 12 characters (17 bytes)";
  EXPECT_EQ(got[2], "\xC3\xAF") << "ï is the two bytes C3 AF: C3 = 110 00011 starts a 2-byte character";
  EXPECT_EQ(got[9], "\xC3\xA9") << "é is the two bytes C3 A9";
  EXPECT_EQ(got[11], "\xF0\x9F\x90\x8B") << "the whale is four bytes: F0 = 11110 000 starts a 4-byte character";
  EXPECT_EQ(got[0], "n");
  EXPECT_EQ(got[5], " ") << "a space is one byte";
}

TEST(Utf8Split, ThreeByteCharactersAndNothing) {
  // € is U+20AC, three bytes E2 82 AC (E2 = 1110 0010); 水 is U+6C34, E6 B0 B4.
  EXPECT_EQ(utf8_split("\xE2\x82\xAC" "5 \xE6\xB0\xB4"), (std::vector<std::string>{"\xE2\x82\xAC", "5", " ", "\xE6\xB0\xB4"}))
      << "\"€5 水\": two 3-byte characters around two 1-byte ones";
  EXPECT_TRUE(utf8_split("").empty()) << "no bytes, no characters";
  EXPECT_EQ(utf8_split("abc"), (std::vector<std::string>{"a", "b", "c"})) << "ASCII: one byte per character";
}

TEST(CountPairs, CountsEveryAdjacentPair) {
  const auto counts = count_pairs({1, 2, 3, 1, 2});
  EXPECT_EQ(counts.at({1, 2}), 2) << "(1, 2) occurs at positions 0 and 3";
  EXPECT_EQ(counts.at({2, 3}), 1);
  EXPECT_EQ(counts.at({3, 1}), 1);
  EXPECT_EQ(counts.size(), 3u) << "{1, 2, 3, 1, 2} has three different pairs";
}

TEST(CountPairs, OverlapsCountAndShortInputsHaveNoPairs) {
  EXPECT_EQ(count_pairs({7, 7, 7}).at({7, 7}), 2) << "(7, 7) starts at position 0 and at position 1";
  EXPECT_TRUE(count_pairs({}).empty()) << "an empty sequence has no pairs";
  EXPECT_TRUE(count_pairs({5}).empty()) << "one id has no neighbour";
}

TEST(MergePair, ReplacesEveryOccurrence) {
  EXPECT_EQ(merge_pair({1, 2, 3, 1, 2}, {1, 2}, 256), (std::vector<int>{256, 3, 256}));
  EXPECT_EQ(merge_pair({1, 3, 2}, {1, 2}, 256), (std::vector<int>{1, 3, 2})) << "1 and 2 are not adjacent";
}

TEST(MergePair, LeftToRightWithoutOverlaps) {
  EXPECT_EQ(merge_pair({7, 7, 7}, {7, 7}, 300), (std::vector<int>{300, 7}))
      << "the first two 7s merge; the third has no partner left";
  EXPECT_EQ(merge_pair({7, 7, 7, 7}, {7, 7}, 300), (std::vector<int>{300, 300}));
}

TEST(TrainBpe, WikipediaExample) {
  // aaabdaaabac: "aa" occurs 4 times -> 256. ZabdZabac: "ab" and "Za" twice each; (97, 98) < (256, 97),
  // so "ab" -> 257. ZYdZYac: (256, 257) -> 258.
  EXPECT_EQ(train_basic_bpe("aaabdaaabac", 3), (std::vector<Pair>{{97, 97}, {97, 98}, {256, 257}}));
}

TEST(TrainBpe, StopsWhenNothingIsLeftAndHandlesHighBytes) {
  EXPECT_EQ(train_basic_bpe("ab", 5).size(), 1u) << "after merging (a, b) there is one token and no pair";
  EXPECT_EQ(train_basic_bpe("\xC3\xA9\xC3\xA9", 1), (std::vector<Pair>{{0xC3, 0xA9}}))
      << "bytes >= 128 are 128..255 (use unsigned char), and (C3, A9) occurs twice";
}

TEST(RoundTrip, EncodeUsesTheLearnedMerges) {
  const std::vector<Pair> rules = {{97, 97}, {97, 98}, {256, 257}};
  EXPECT_EQ(encode_basic("aaabdaaabac", rules), (std::vector<int>{258, 100, 258, 97, 99}))
      << "aaab -> (aa)(ab) -> 258, then d, 258, a, c";
  EXPECT_EQ(encode_basic("ab", rules), (std::vector<int>{257}));
  EXPECT_EQ(encode_basic("aaa", rules), (std::vector<int>{256, 97})) << "merges apply left to right";
  // The earliest-learned merge goes first, wherever it is: (b, c) was learned before (a, b), so "abc" is
  // a + (bc), not (ab) + c (applying the leftmost mergeable pair first would give that).
  EXPECT_EQ(encode_basic("abc", {{98, 99}, {97, 98}}), (std::vector<int>{97, 256}))
      << "merge rank, not position, decides which pair merges first";
}

TEST(RoundTrip, DecodeInvertsEncode) {
  const std::vector<Pair> rules = {{97, 97}, {97, 98}, {256, 257}};
  EXPECT_EQ(decode_basic({258, 100, 258, 97, 99}, rules), "aaabdaaabac");
  for (std::string sample : {"", "abracadabra", "caf\xC3\xA9 \xF0\x9F\x90\x8B", "aaaaaaaaab"}) {
    const auto learned = train_basic_bpe(sample + sample, 10);
    EXPECT_EQ(decode_basic(encode_basic(sample, learned), learned), sample)
        << "decode(encode(text)) == text for \"" << sample << "\"";
  }
}

TEST(RegexSplit, KeepsTheSpaceWithTheNextWord) {
  EXPECT_EQ(regex_split("Hello, world!"), (std::vector<std::string>{"Hello", ",", " world", "!"}));
}

TEST(RegexSplit, ContractionsNumbersAndSpaces) {
  EXPECT_EQ(regex_split("I'm  here 123!!"), (std::vector<std::string>{"I", "'m", " ", " here", " 123", "!!"}))
      << "of two spaces the last goes with the word (\\s+(?!\\S) stops before it)";
  std::string joined;
  for (const auto& piece : regex_split("a\tb  c\n\nd")) joined += piece;
  EXPECT_EQ(joined, "a\tb  c\n\nd") << "the pieces put back together are the text";
}

TEST(EncodeChunks, NoMergeCrossesAPieceBoundary) {
  // The merge "a " (97, 32) would join the end of "a" and the space that starts " a" in "a a"; but the
  // pieces are "a" and " a", so it never applies: ids 97, 32, 97. Encoding the whole text gives 256, 97.
  const std::vector<Pair> rules = {{97, 32}};
  EXPECT_EQ(encode_chunks("a a", rules), (std::vector<int>{97, 32, 97}))
      << "split first (\"a\", \" a\"), then encode each piece: the merge (97, 32) spans two pieces";
}

TEST(EncodeChunks, EachPieceIsEncodedWithAllMerges) {
  // Merges: 256 = "aa", 257 = " " + 256 = " aa". "aa aa" splits into "aa" and " aa": ids 256, 257.
  const std::vector<Pair> rules = {{97, 97}, {32, 256}};
  EXPECT_EQ(encode_chunks("aa aa", rules), (std::vector<int>{256, 257}));
  EXPECT_EQ(encode_chunks("aa aa aa", rules), (std::vector<int>{256, 257, 257})) << "pieces aa, ' aa', ' aa'";
}

TEST(EncodeChunks, KeepsEveryByteInOrder) {
  // With no merges the ids are the bytes of the text: nothing of it may be lost between pieces.
  const std::string sample = "It's 2024, isn't it?  Yes!\n";
  const std::vector<int> got = encode_chunks(sample, {});
  ASSERT_EQ(got.size(), sample.size()) << "with no merges, one id per byte";
  for (size_t i = 0; i < sample.size(); i++) EXPECT_EQ(got[i], static_cast<unsigned char>(sample[i])) << "byte " << i;
}

TEST(TrainRegexBpe, MergesNeverCrossAPiece) {
  // "ab ab ab" splits into "ab", " ab", " ab". Round 1 counts (a, b) 3 times and (" ", a) twice: (97, 98)
  // -> 256. The pieces are then [256], [32, 256], [32, 256]: round 2 merges (32, 256) -> 257. Then every
  // piece is one token and training stops, after 2 of the 3 merges asked for. (On the whole text, without
  // pieces, a third merge would join (256, 257) across the space.)
  EXPECT_EQ(train_regex_bpe("ab ab ab", 3), (std::vector<Pair>{{97, 98}, {32, 256}}))
      << "pair counts add up over the pieces, and no pair spans two pieces";
}

TEST(TrainRegexBpe, OnePieceIsTrainBpeAndTiesGoToTheSmallestPair) {
  EXPECT_EQ(train_regex_bpe("aaabdaaabac", 3), (std::vector<Pair>{{97, 97}, {97, 98}, {256, 257}}))
      << "a text without spaces or punctuation is one piece: the same merges as train_bpe (step 2)";
  // "ba ab" -> pieces "ba", " ab": the pairs (98, 97), (32, 97), (97, 98) occur once each. The smallest,
  // (32, 97), wins -> 256; then (98, 97) beats (256, 98) -> 257; then (256, 98) -> 258.
  EXPECT_EQ(train_regex_bpe("ba ab", 3), (std::vector<Pair>{{32, 97}, {98, 97}, {256, 98}}))
      << "on equal counts the smallest pair (first ids, then second ids) wins";
}

TEST(EncodeWithSpecial, ASpecialTokenIsOneId) {
  // The merges of "aaabdaaabac": "aaab" encodes to 258 (TrainBpe.WikipediaExample).
  const std::vector<Pair> rules = {{97, 97}, {97, 98}, {256, 257}};
  const std::map<std::string, int> special = {{"<|end|>", 1000}};
  EXPECT_EQ(encode_with_special("aaab<|end|>aaab", rules, special), (std::vector<int>{258, 1000, 258}))
      << "the text around the special is encoded as usual; the special itself is its id";
  EXPECT_EQ(encode_with_special("<|end|><|end|>", rules, special), (std::vector<int>{1000, 1000}))
      << "two specials in a row, nothing around them";
  EXPECT_EQ(encode_with_special("ab", rules, special), (std::vector<int>{257})) << "no special: encode_chunks";
}

TEST(EncodeWithSpecial, EarliestFirstAndTheRestGoesThroughTheRegex) {
  const std::map<std::string, int> special = {{"<|a|>", 1000}, {"<|b|>", 1001}};
  EXPECT_EQ(encode_with_special("x<|b|>y<|a|>", {}, special), (std::vector<int>{120, 1001, 121, 1000}))
      << "the special that starts first in the text comes first, whatever the map's order";
  // The merge (97, 32) spans the pieces "a" and " a" of "a a", so it never applies (EncodeChunks).
  EXPECT_EQ(encode_with_special("a a<|a|>", {{97, 32}}, special), (std::vector<int>{97, 32, 97, 1000}))
      << "ordinary text is split with the regex before BPE, as in encode_chunks";
}

}  // namespace
}  // namespace ch01
