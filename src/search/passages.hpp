#pragma once
// Cutting a text into passages, the units a search returns. Two ways:
//   paragraphs:   the text's own blank-line-separated paragraphs; one shorter than min_words joins the next
//                 (a chapter heading joins its first paragraph), one longer than max_words is cut into
//                 the fewest pieces of equal size that have at most max_words;
//   word windows: every `window` words, starting every window - overlap words, so a sentence cut by one
//                 window's edge is whole in the next.
// Each passage keeps its place in the source (byte offset, line, the chapter it is in), so a result can
// be found again.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace minillm::search {

struct Passage {
  std::string text;     // the passage, line breaks turned into spaces
  int64_t offset = 0;   // byte offset of its first character in the source
  int line = 1;         // its first line (1-based)
  std::string chapter;  // the last line before it that starts with "CHAPTER" (empty if none)
  std::string place() const;  // "line 1234, CHAPTER 36. The Quarter-Deck."
};

std::vector<Passage> split_paragraphs(std::string_view text, int min_words = 30, int max_words = 200);
std::vector<Passage> split_word_windows(std::string_view text, int window, int overlap);

}  // namespace minillm::search
