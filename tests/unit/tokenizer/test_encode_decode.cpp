// Encoding and decoding with a tokenizer trained on the project's own text (no downloads).
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "io/atomic_file.hpp"
#include "tokenizer/bpe_merge.hpp"
#include "tokenizer/encode_speed.hpp"
#include "tokenizer/train_bpe.hpp"
#include "tokenizer/utf8.hpp"

namespace minillm {
namespace {

const Tokenizer& trained() {
  static const Tokenizer t = [] {
    const std::string text =
        read_file(std::filesystem::path(MINILLM_SOURCE_DIR) / "tests/fixtures/tiktoken/corpus.txt");
    BpeTrainOptions o;
    o.vocab_size = 600;
    o.special_tokens = {"<|endoftext|>", "<|user|>"};
    return train_bpe(text, o).tokenizer;
  }();
  return t;
}

std::string random_bytes(Rng& rng, size_t n) {
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng.below(256));
  return s;
}

TEST(EncodeDecode, RandomByteStringsRoundTrip) {
  Rng rng(42);
  for (int trial = 0; trial < 200; ++trial) {
    const std::string bytes = random_bytes(rng, rng.below(200));
    EXPECT_EQ(trained().decode_bytes(trained().encode_ordinary(bytes)), bytes) << "trial " << trial;
  }
}

TEST(EncodeDecode, InvalidUtf8BecomesReplacementCharacterOnlyInText) {
  const std::string bytes = "ok \xC3 caf\xC3\xA9 \xF0\x9F\x98 end\xFF";
  const TokenIds ids = trained().encode_ordinary(bytes);
  EXPECT_EQ(trained().decode_bytes(ids), bytes) << "the byte form keeps invalid bytes as they are";
  EXPECT_EQ(trained().decode(ids), "ok \xEF\xBF\xBD caf\xC3\xA9 \xEF\xBF\xBD end\xEF\xBF\xBD")
      << "a lone lead byte, a truncated 4-byte emoji (one maximal subpart) and 0xFF each become one U+FFFD";
}

TEST(Utf8, MaximalSubpartsFollowTheUnicodeStandard) {
  // Examples from the Unicode standard, ch. 3 (Table 3-8): 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64.
  EXPECT_EQ(to_valid_utf8("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
            "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD" "d")
      << "F1 80 80 | E1 80 | C2 are three truncated sequences; each lone 80 / BF is one more";
  EXPECT_EQ(to_valid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") << "a surrogate: 3 replacements";
  EXPECT_EQ(to_valid_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "an overlong '/': 2 replacements";
  EXPECT_EQ(to_valid_utf8("h\xC3\xA9llo \xF0\x9F\x98\x80"), "h\xC3\xA9llo \xF0\x9F\x98\x80") << "valid text is unchanged";
}

TEST(EncodeDecode, SpecialTokensAllowedDisallowedAndOrdinary) {
  const Tokenizer& t = trained();
  const TokenId eot = *t.special("<|endoftext|>"), user = *t.special("<|user|>");
  EXPECT_THROW(t.encode("hi<|endoftext|>"), Error) << "special text is refused unless allowed";
  EXPECT_THROW(t.encode("hi<|user|>", AllowedSpecial::only({"<|endoftext|>"})), Error)
      << "<|user|> was not in the allowed set";
  const TokenIds ids = t.encode("a<|user|>b<|endoftext|>", AllowedSpecial::everything());
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_EQ(ids[1], user);
  EXPECT_EQ(ids[3], eot);
  EXPECT_EQ(t.decode(ids), "a<|user|>b<|endoftext|>");
  const TokenIds ordinary = t.encode_ordinary("<|endoftext|>");
  EXPECT_EQ(std::count(ordinary.begin(), ordinary.end(), eot), 0) << "encode_ordinary never produces specials";
  EXPECT_EQ(t.decode(ordinary), "<|endoftext|>");
  EXPECT_THROW(t.encode("x", AllowedSpecial::only({"<|nope|>"})), Error) << "allowing an unknown special is a mistake";
}

TEST(EncodeDecode, IdsOutsideTheVocabularyAreAnError) {
  const TokenIds bad = {token_id(trained().vocab_size())};
  EXPECT_THROW(trained().decode(bad), Error);
  const TokenIds negative = {token_id(-1)};
  EXPECT_THROW(trained().decode(negative), Error);
}

TEST(BpeMerge, ScanAndHeapAgreeOnRandomPieces) {
  // Both strategies must pick the same merges (lowest id first, leftmost on ties).
  PairMap pairs;
  Rng rng(5);
  int32_t byte_ids[256];
  for (int b = 0; b < 256; ++b) byte_ids[b] = b;
  std::vector<std::pair<int32_t, int32_t>> made;
  for (int32_t id = 256; id < 456; ++id) {  // random merges over a 4-letter alphabet and earlier tokens
    const auto pick = [&] { return rng.below(3) == 0 && id > 256 ? static_cast<int32_t>(256 + rng.below(id - 256)) : static_cast<int32_t>('a' + rng.below(4)); };
    pairs.insert(pick(), pick(), id);
  }
  for (int trial = 0; trial < 200; ++trial) {
    std::string piece;
    const size_t n = 1 + rng.below(300);
    for (size_t i = 0; i < n; ++i) piece += static_cast<char>('a' + rng.below(4));
    std::vector<int32_t> scan, heap;
    bpe_merge_scan(piece, byte_ids, pairs, scan);
    bpe_merge_heap(piece, byte_ids, pairs, heap);
    EXPECT_EQ(scan, heap) << "piece " << piece;
  }
}

TEST(EncodeDecode, MegabyteWordEncodesAndRoundTrips) {
  std::string word;
  while (word.size() < (1 << 20)) word += "whaleshipsailorharpoon";
  const TokenIds ids = trained().encode(word);
  EXPECT_LT(ids.size(), word.size()) << "letters merge";
  EXPECT_EQ(trained().decode_bytes(ids), word);
}

}  // namespace
}  // namespace minillm
