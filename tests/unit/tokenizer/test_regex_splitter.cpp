// Pre-tokenization with the gpt2 pattern through PCRE2.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "tokenizer/regex_splitter.hpp"
#include "tokenizer/tokenizer.hpp"

namespace minillm {
namespace {

std::vector<std::string> pieces(std::string_view text, const std::string& pattern = std::string(kGpt2Pattern)) {
  std::vector<std::string> out;
  RegexSplitter(pattern).split(text, [&](std::string_view p) { out.emplace_back(p); });
  return out;
}

TEST(RegexSplitter, Gpt2PatternKeepsTheSpaceWithTheNextWord) {
  EXPECT_EQ(pieces("Hello, world!"), (std::vector<std::string>{"Hello", ",", " world", "!"}));
  EXPECT_EQ(pieces("I'm  here 123"), (std::vector<std::string>{"I", "'m", " ", " here", " 123"}))
      << "contractions split off; of two spaces the last one goes with the word";
  EXPECT_EQ(pieces("caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87"), (std::vector<std::string>{"caf\xC3\xA9", " \xE4\xB8\xAD\xE6\x96\x87"}))
      << "\\p{L} matches letters of every script (UTF mode with Unicode properties)";
}

TEST(RegexSplitter, InvalidUtf8BytesBecomeTheirOwnPieces) {
  const std::string text = "ab\xFF\xFE cd";
  const auto p = pieces(text);
  std::string joined;
  for (const auto& s : p) joined += s;
  EXPECT_EQ(joined, text) << "the pieces always concatenate to the input";
  EXPECT_EQ(p, (std::vector<std::string>{"ab", "\xFF\xFE", " cd"})) << "the skipped bytes form one piece";
}

TEST(RegexSplitter, DeepBacktrackingFallsBackFromTheJit) {
  // (?:a|b)+ over 200 KB needs more backtracking stack than the JIT's default 32 KB: PCRE2 reports
  // "JIT stack limit reached" and the splitter must retry with the interpreter instead of failing.
  std::string text;
  while (text.size() < 200000) text += "ab";
  EXPECT_EQ(pieces(text, "(?:a|b)+"), (std::vector<std::string>{text})) << "one match covering the whole text";
}

TEST(RegexSplitter, BadPatternIsAClearError) {
  try {
    RegexSplitter("(?<=a+)b");
    FAIL() << "PCRE2 rejects an unbounded lookbehind";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not a valid PCRE2 regex"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace minillm
