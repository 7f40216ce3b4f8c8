#include "search/passages.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/error.hpp"

namespace minillm::search {

namespace {

struct Word {
  int64_t begin, end;  // byte range in the source
};

// Whitespace-separated words with their byte ranges (punctuation stays attached: passages are for people).
std::vector<Word> words_of(std::string_view text, int64_t begin, int64_t end) {
  std::vector<Word> words;
  int64_t i = begin;
  while (i < end) {
    while (i < end && std::isspace(static_cast<unsigned char>(text[size_t(i)]))) ++i;
    const int64_t start = i;
    while (i < end && !std::isspace(static_cast<unsigned char>(text[size_t(i)]))) ++i;
    if (i > start) words.push_back({start, i});
  }
  return words;
}

// Line numbers and chapters of byte offsets, found by one walk through the text in offset order.
class PlaceFinder {
 public:
  explicit PlaceFinder(std::string_view text) : text_(text) {}
  void place(Passage& p) {
    for (; pos_ < p.offset && pos_ < int64_t(text_.size()); ++pos_) {
      if (text_[size_t(pos_)] != '\n') continue;
      ++line_;
      if (text_.substr(size_t(pos_) + 1, 7) == "CHAPTER") {
        const size_t end = text_.find('\n', size_t(pos_) + 1);
        chapter_ = std::string(text_.substr(size_t(pos_) + 1, end == std::string_view::npos ? std::string_view::npos
                                                                                           : end - size_t(pos_) - 1));
      }
    }
    if (p.offset == 0 && text_.starts_with("CHAPTER")) chapter_ = std::string(text_.substr(0, text_.find('\n')));
    p.line = line_;
    p.chapter = chapter_;
  }

 private:
  std::string_view text_;
  int64_t pos_ = 0;
  int line_ = 1;
  std::string chapter_;
};

Passage make_passage(std::string_view text, const std::vector<Word>& words, size_t first, size_t last) {
  Passage p;
  p.offset = words[first].begin;
  for (size_t w = first; w < last; ++w) {
    if (w > first) p.text += ' ';
    p.text += text.substr(size_t(words[w].begin), size_t(words[w].end - words[w].begin));
  }
  return p;
}

// The paragraphs' byte ranges: runs of lines separated by lines that are empty (or only spaces).
std::vector<std::pair<int64_t, int64_t>> paragraph_ranges(std::string_view text) {
  std::vector<std::pair<int64_t, int64_t>> ranges;
  int64_t start = -1;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    const bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
    if (!blank && start < 0) start = int64_t(pos);
    if (blank && start >= 0) { ranges.emplace_back(start, int64_t(pos)); start = -1; }
    pos = end + 1;
  }
  if (start >= 0) ranges.emplace_back(start, int64_t(text.size()));
  return ranges;
}

}  // namespace

std::string Passage::place() const {
  return chapter.empty() ? fmt::format("line {}", line) : fmt::format("line {}, {}", line, chapter);
}

std::vector<Passage> split_paragraphs(std::string_view text, int min_words, int max_words) {
  require(min_words >= 1 && max_words >= min_words, "paragraphs: need 1 <= min_words <= max_words (got {} and {})",
          min_words, max_words);
  std::vector<Passage> passages;
  PlaceFinder places(text);
  std::vector<Word> pending;  // words of short paragraphs waiting to join the next one
  const auto flush = [&](bool force) {
    if (pending.empty() || (!force && int(pending.size()) < min_words)) return;
    // A long paragraph becomes pieces of equal size (not max_words and a short tail).
    const size_t pieces = (pending.size() + size_t(max_words) - 1) / size_t(max_words);
    for (size_t piece = 0; piece < pieces; ++piece) {
      passages.push_back(make_passage(text, pending, pending.size() * piece / pieces, pending.size() * (piece + 1) / pieces));
      places.place(passages.back());
    }
    pending.clear();
  };
  for (const auto& [begin, end] : paragraph_ranges(text)) {
    const std::vector<Word> words = words_of(text, begin, end);
    pending.insert(pending.end(), words.begin(), words.end());
    flush(false);
  }
  flush(true);
  return passages;
}

std::vector<Passage> split_word_windows(std::string_view text, int window, int overlap) {
  require(window >= 1 && overlap >= 0 && overlap < window,
          "word windows: need window >= 1 and 0 <= overlap < window (got window {}, overlap {})", window, overlap);
  const std::vector<Word> words = words_of(text, 0, int64_t(text.size()));
  std::vector<Passage> passages;
  PlaceFinder places(text);
  for (size_t first = 0; first < words.size(); first += size_t(window - overlap)) {
    passages.push_back(make_passage(text, words, first, std::min(words.size(), first + size_t(window))));
    places.place(passages.back());
    if (first + size_t(window) >= words.size()) break;
  }
  return passages;
}

}  // namespace minillm::search
