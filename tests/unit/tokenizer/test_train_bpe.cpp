// Training: the known example, the tie-breaking rule, agreement with a naive reference, bad input.
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "io/atomic_file.hpp"
#include "tokenizer/regex_splitter.hpp"
#include "tokenizer/train_bpe.hpp"

namespace minillm {
namespace {

using Merge = std::pair<int, int>;

std::vector<Merge> merges_of(const Tokenizer& t) {
  std::vector<Merge> out;
  for (auto [l, r] : t.merges()) out.emplace_back(to_int(l), to_int(r));
  return out;
}

BpeTrainOptions no_split(int vocab_size) {
  BpeTrainOptions o;
  o.vocab_size = vocab_size;
  o.pattern = "[\\s\\S]+";  // one piece: the whole text (as in the Wikipedia example)
  o.special_tokens = {};
  return o;
}

// The textbook algorithm, written as plainly as possible: recount every pair of the whole text before
// every merge. O(merges x corpus), fine for a few kilobytes, and obviously right.
std::vector<Merge> naive_train(const std::vector<std::string>& words, int merges) {
  std::vector<std::vector<int>> seqs;
  for (const auto& w : words) seqs.emplace_back(w.begin(), w.end());
  for (auto& s : seqs)
    for (int& v : s) v = static_cast<unsigned char>(v);
  std::vector<Merge> result;
  for (int m = 0; m < merges; ++m) {
    std::map<Merge, long> counts;
    for (const auto& s : seqs)
      for (size_t i = 0; i + 1 < s.size(); ++i) ++counts[{s[i], s[i + 1]}];
    if (counts.empty()) break;
    Merge best = counts.begin()->first;  // std::map iterates smallest pair first, so ">" keeps the smallest
    for (const auto& [pair, count] : counts)
      if (count > counts[best]) best = pair;
    const int id = 256 + m;
    for (auto& s : seqs) {
      std::vector<int> out;
      for (size_t i = 0; i < s.size(); ++i) {
        if (i + 1 < s.size() && Merge{s[i], s[i + 1]} == best) {
          out.push_back(id);
          ++i;
        } else {
          out.push_back(s[i]);
        }
      }
      s = out;
    }
    result.push_back(best);
  }
  return result;
}

TEST(TrainBpe, WikipediaExampleAaabdaaabac) {
  // aaabdaaabac: "aa" is most frequent (4 times, counting overlaps) -> Z=256; ZabdZabac: "Za" and "ab"
  // both occur twice; the smaller pair (97,98)="ab" < (256,97)="Za" -> Y=257; ZYdZYac: "ZY" -> X=258.
  const BpeTrainResult r = train_bpe("aaabdaaabac", no_split(256 + 3));
  EXPECT_EQ(merges_of(r.tokenizer), (std::vector<Merge>{{'a', 'a'}, {'a', 'b'}, {256, 257}}))
      << "merges: aa, then ab (tie with Za, smaller pair wins), then (aa)(ab)";
  EXPECT_EQ(r.merge_counts, (std::vector<int64_t>{4, 2, 2}));
  EXPECT_EQ(r.tokenizer.decode_bytes(r.tokenizer.encode("aaabdaaabac")), "aaabdaaabac");
  EXPECT_EQ(r.tokenizer.encode("aaabdaaabac").size(), 5u) << "X d X a c";
}

TEST(TrainBpe, HigherCountWinsThenTheSmallestPair) {
  EXPECT_EQ(merges_of(train_bpe("cdcdab", no_split(257)).tokenizer), (std::vector<Merge>{{'c', 'd'}}))
      << "pairs cd (twice), dc, da, ab: the most frequent pair wins even though ab is smaller";
  EXPECT_EQ(merges_of(train_bpe("dcab", no_split(257)).tokenizer), (std::vector<Merge>{{'a', 'b'}}))
      << "dc, ca, ab all occur once: the tie goes to the smallest pair, (97,98) = ab";
  EXPECT_EQ(merges_of(train_bpe("zyxy", no_split(257)).tokenizer), (std::vector<Merge>{{'x', 'y'}}))
      << "zy, yx, xy once each: pairs compare by left id first, so (x,y) < (y,x) < (z,y)";
}

TEST(TrainBpe, AgreesWithTheNaiveAlgorithmOnRandomText) {
  Rng rng(7);
  for (int trial = 0; trial < 5; ++trial) {
    std::string text;
    for (int i = 0; i < 3000; ++i) text += "abcde  \n"[rng.below(8)];
    BpeTrainOptions o;
    o.vocab_size = 256 + 60;
    o.special_tokens = {};
    const BpeTrainResult r = train_bpe(text, o);
    // The reference gets the same pieces (the regex is tested elsewhere; this checks the counting).
    std::vector<std::string> words;
    RegexSplitter(o.pattern).split(text, [&](std::string_view piece) { words.emplace_back(piece); });
    EXPECT_EQ(merges_of(r.tokenizer), naive_train(words, 60)) << "trial " << trial;
  }
}

// The library's plain form (minbpe's recount-and-merge loop) against this file's own naive reference, and
// the fast incremental trainer against the plain form on the project's own text.
TEST(TrainBpe, ThePlainFormAgreesWithTheNaiveAlgorithmAndTheFastFormWithIt) {
  const BpeTrainResult wiki = train_bpe_plain("aaabdaaabac", no_split(256 + 3));
  EXPECT_EQ(merges_of(wiki.tokenizer), (std::vector<Merge>{{'a', 'a'}, {'a', 'b'}, {256, 257}}));
  EXPECT_EQ(wiki.merge_counts, (std::vector<int64_t>{4, 2, 2}));
  Rng rng(8);
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "abcde  \n"[rng.below(8)];
  BpeTrainOptions o;
  o.vocab_size = 256 + 60;
  o.special_tokens = {};
  std::vector<std::string> words;
  RegexSplitter(o.pattern).split(text, [&](std::string_view piece) { words.emplace_back(piece); });
  EXPECT_EQ(merges_of(train_bpe_plain(text, o).tokenizer), naive_train(words, 60));

  const std::string story = read_file(std::string(MINILLM_SOURCE_DIR) + "/data/text/lighthouse_story.txt");
  BpeTrainOptions big;
  big.vocab_size = 600;  // 343 merges and the special token
  const BpeTrainResult plain = train_bpe_plain(story, big), fast = train_bpe(story, big);
  EXPECT_EQ(merges_of(fast.tokenizer), merges_of(plain.tokenizer)) << "the same merges in the same order";
  EXPECT_EQ(fast.merge_counts, plain.merge_counts);
  EXPECT_EQ(fast.unique_words, plain.unique_words);
}

TEST(TrainBpe, SpecialTokensGetTheLastIdsAndNeverMerge) {
  BpeTrainOptions o;
  o.vocab_size = 256 + 5 + 1;
  const BpeTrainResult r = train_bpe("hello<|endoftext|>hello<|endoftext|>hello", o);
  ASSERT_EQ(r.tokenizer.merges().size(), 4u) << "\"hello\" needs 4 merges, then nothing is left to merge";
  EXPECT_EQ(to_int(*r.tokenizer.special("<|endoftext|>")), 256 + 4) << "the special token comes right after the merges";
  for (int32_t id = 256; id < 260; ++id)
    EXPECT_EQ(r.tokenizer.token_bytes(token_id(id)).find('<'), std::string::npos) << "no merge contains special text";
}

TEST(TrainBpe, BadInputIsAClearError) {
  EXPECT_THROW(train_bpe("", BpeTrainOptions{}), Error) << "empty corpus";
  BpeTrainOptions small;
  small.vocab_size = 256;  // + 1 special needed
  try {
    train_bpe("some text", small);
    FAIL() << "vocab 256 with one special token must be rejected";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("at least 257"), std::string::npos) << e.what();
  }
  BpeTrainOptions bad_pattern;
  bad_pattern.pattern = "(unclosed";
  EXPECT_THROW(train_bpe("text", bad_pattern), Error);
}

TEST(TrainBpe, MegabyteWordWithoutSpacesFinishes) {
  // Near-linear: a quadratic algorithm would take minutes here and show up as a CI timeout.
  std::string word;
  Rng rng(3);
  while (word.size() < (1 << 20)) word += "abcdefgh"[rng.below(8)];
  BpeTrainOptions o;
  o.vocab_size = 256 + 64;
  const BpeTrainResult r = train_bpe(word, o);
  EXPECT_EQ(r.tokenizer.merges().size(), 63u) << "63 merges + 1 special";
  EXPECT_EQ(r.tokenizer.decode_bytes(r.tokenizer.encode(word)), word);
}

TEST(TrainBpe, ProjectTextTrainsDeterministically) {
  const std::string text = read_file(std::filesystem::path(MINILLM_SOURCE_DIR) / "tests/fixtures/tiktoken/corpus.txt");
  BpeTrainOptions o;
  o.vocab_size = 400;
  int calls = 0;
  o.on_merge = [&](int done, int total) {
    ++calls;
    EXPECT_LE(done, total);
  };
  const BpeTrainResult a = train_bpe(text, o), b = train_bpe(text, o);
  EXPECT_EQ(merges_of(a.tokenizer), merges_of(b.tokenizer));
  EXPECT_EQ(calls, 2 * static_cast<int>(a.tokenizer.merges().size())) << "on_merge is called once per merge";
  EXPECT_EQ(a.tokenizer.decode(a.tokenizer.encode(text)), text);
}

}  // namespace
}  // namespace minillm
