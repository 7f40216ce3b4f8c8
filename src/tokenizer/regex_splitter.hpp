#pragma once
// Pre-tokenization: cutting text into the pieces BPE works inside, with a tiktoken pattern run by PCRE2.
//
// Why split at all? Without it BPE would happily learn tokens like "dog." or "g the", gluing words to
// punctuation and to each other. The pattern keeps words, numbers, punctuation runs and whitespace apart
// (" world" keeps its leading space: that space is part of the next word's token).
//
// PCRE2 runs in UTF mode with Unicode properties (\p{L}, \p{N}, \s) and is JIT-compiled. Invalid UTF-8 is
// allowed (PCRE2_MATCH_INVALID_UTF): the pattern never matches an invalid byte, so each maximal run of
// bytes the pattern skips becomes a piece of its own. tiktoken itself only sees valid text (JS strings),
// so identical ids are claimed for valid UTF-8 only; for invalid input the ids are still a faithful,
// round-trippable encoding of the bytes.
#include <memory>
#include <string>
#include <string_view>

namespace minillm {

class RegexSplitter {
 public:
  explicit RegexSplitter(const std::string& pattern);  // Error naming the position if PCRE2 rejects it
  ~RegexSplitter();
  RegexSplitter(const RegexSplitter&) = delete;
  RegexSplitter& operator=(const RegexSplitter&) = delete;

  // Calls on_piece(string_view) for each piece in order; the pieces concatenate to `text` exactly.
  template <typename OnPiece>
  void split(std::string_view text, OnPiece&& on_piece) const {
    Cursor cursor(*this, text);
    std::string_view piece;
    while (cursor.next(piece)) on_piece(piece);
  }

  const std::string& pattern() const { return pattern_; }

 private:
  // Walks one text; owns the PCRE2 match data (one per walk, so threads can share the splitter).
  class Cursor {
   public:
    Cursor(const RegexSplitter& splitter, std::string_view text);
    ~Cursor();
    Cursor(const Cursor&) = delete;
    Cursor& operator=(const Cursor&) = delete;
    bool next(std::string_view& piece);

   private:
    const RegexSplitter& splitter_;
    std::string_view text_;
    size_t position_ = 0;       // everything before this has been handed out
    size_t match_start_ = 0;    // the next regex match, found ahead of time
    size_t match_end_ = 0;
    bool have_match_ = false;
    void* match_data_ = nullptr;  // pcre2_match_data_8*
    void find_match();
  };

  std::string pattern_;
  void* code_ = nullptr;  // pcre2_code_8*
  bool jit_ = false;
};

}  // namespace minillm
