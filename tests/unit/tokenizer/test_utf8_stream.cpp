// Streaming decoded tokens to a terminal: bytes of an unfinished character are held until it completes.
#include <string>

#include <gtest/gtest.h>

#include "core/rng.hpp"
#include "tokenizer/utf8.hpp"
#include "tokenizer/utf8_stream.hpp"

namespace minillm {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD

TEST(Utf8Stream, HoldsATwoByteCharacterSplitAcrossTokens) {
  Utf8Stream s;
  EXPECT_EQ(s.push("caf\xC3"), "caf") << "the first byte of 'é' must wait for the second";
  EXPECT_EQ(s.held_bytes(), 1u);
  EXPECT_EQ(s.push("\xA9!"), "\xC3\xA9!");
  EXPECT_EQ(s.flush(), "");
}

TEST(Utf8Stream, HoldsAFourByteEmojiInAnySplit) {
  const std::string emoji = "\xF0\x9F\x98\x80";  // U+1F600
  for (size_t cut1 = 1; cut1 < 4; ++cut1)
    for (size_t cut2 = cut1; cut2 < 4; ++cut2) {
      Utf8Stream s;
      std::string shown = s.push(emoji.substr(0, cut1));
      EXPECT_EQ(shown, "") << "nothing of the emoji may show before its last byte";
      shown += s.push(emoji.substr(cut1, cut2 - cut1));
      EXPECT_EQ(shown, "");
      shown += s.push(emoji.substr(cut2));
      EXPECT_EQ(shown, emoji) << "cuts at " << cut1 << ", " << cut2;
    }
}

TEST(Utf8Stream, BytesThatCanNeverFormACharacterAreReplacedAtOnce) {
  Utf8Stream s;
  EXPECT_EQ(s.push("a\xFF"), "a" + kReplacement) << "0xFF never starts a character: nothing to wait for";
  EXPECT_EQ(s.push("\xE0\x80"), kReplacement + kReplacement) << "E0 80 is an overlong start: invalid already";
  EXPECT_EQ(s.push("\xC3"), "");
  EXPECT_EQ(s.push("A"), kReplacement + "A") << "a lead byte followed by ASCII is broken";
}

TEST(Utf8Stream, FlushReplacesAnUnfinishedCharacter) {
  Utf8Stream s;
  EXPECT_EQ(s.push("x\xE2\x82"), "x");  // two of the three bytes of '€'
  EXPECT_EQ(s.flush(), kReplacement);
  EXPECT_EQ(s.held_bytes(), 0u);
}

TEST(Utf8Stream, PiecesAddUpToTheWholeDecodedAtOnce) {
  // Random bytes (biased to UTF-8 lead and continuation bytes), cut at random places: the streamed text
  // equals to_valid_utf8 of the whole, so holding back never changes what is finally shown.
  Rng rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    std::string bytes;
    const int n = static_cast<int>(rng.between(0, 24));
    for (int i = 0; i < n; ++i) {
      const int kind = static_cast<int>(rng.below(4));
      const int byte = kind == 0 ? static_cast<int>(rng.between(0x20, 0x7E))
                       : kind == 1 ? static_cast<int>(rng.between(0x80, 0xBF))
                       : kind == 2 ? static_cast<int>(rng.between(0xC0, 0xF7))
                                   : static_cast<int>(rng.below(256));
      bytes.push_back(static_cast<char>(byte));
    }
    Utf8Stream s;
    std::string shown;
    size_t at = 0;
    while (at < bytes.size()) {
      const size_t len = static_cast<size_t>(rng.between(1, 4));
      shown += s.push(bytes.substr(at, len));
      at += len;
    }
    shown += s.flush();
    ASSERT_EQ(shown, to_valid_utf8(bytes)) << "trial " << trial;
  }
}

}  // namespace
}  // namespace minillm
