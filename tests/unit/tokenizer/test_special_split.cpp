// Cutting text at special tokens.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tokenizer/special_split.hpp"

namespace minillm {
namespace {

std::vector<std::string> parts(std::string_view text, const std::vector<std::string_view>& specials) {
  std::vector<std::string> out;
  split_on_specials(
      text, specials, [&](std::string_view t) { out.push_back("text:" + std::string(t)); },
      [&](size_t k) { out.push_back("special:" + std::string(specials[k])); });
  return out;
}

TEST(SpecialSplit, TextBetweenSpecialsInOrder) {
  EXPECT_EQ(parts("a<|e|>b<|u|><|e|>", {"<|e|>", "<|u|>"}),
            (std::vector<std::string>{"text:a", "special:<|e|>", "text:b", "special:<|u|>", "text:",
                                      "special:<|e|>", "text:"}))
      << "the ordinary text between specials, empty pieces included";
  EXPECT_EQ(parts("plain", {"<|e|>"}), (std::vector<std::string>{"text:plain"}));
}

TEST(SpecialSplit, LongestSpecialWinsAtTheSamePosition) {
  EXPECT_EQ(parts("x<|a|>b", {"<|a", "<|a|>"}), (std::vector<std::string>{"text:x", "special:<|a|>", "text:b"}))
      << "both start at 1: the longer one is taken";
}

TEST(SpecialSplit, ManyOccurrences) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "doc<|e|>";
  int specials = 0;
  split_on_specials(text, {"<|e|>", "<|never|>"}, [](std::string_view) {}, [&](size_t) { ++specials; });
  EXPECT_EQ(specials, 10000);
}

}  // namespace
}  // namespace minillm
