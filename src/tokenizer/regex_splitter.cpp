#include "tokenizer/regex_splitter.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/error.hpp"

namespace minillm {

namespace {
pcre2_code* as_code(void* p) { return static_cast<pcre2_code*>(p); }
pcre2_match_data* as_match_data(void* p) { return static_cast<pcre2_match_data*>(p); }

std::string pcre2_message(int error_code) {
  PCRE2_UCHAR buffer[256];
  pcre2_get_error_message(error_code, buffer, sizeof buffer);
  return reinterpret_cast<const char*>(buffer);
}
}  // namespace

RegexSplitter::RegexSplitter(const std::string& pattern) : pattern_(pattern) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  const uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
  code_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &error_code,
                        &error_offset, nullptr);
  require(code_ != nullptr, "the pre-tokenization pattern is not a valid PCRE2 regex: {} at offset {} in \"{}\"",
          pcre2_message(error_code), error_offset, pattern);
  // The JIT makes matching several times faster; without it (exotic CPUs) the interpreter still works.
  jit_ = pcre2_jit_compile(as_code(code_), PCRE2_JIT_COMPLETE) == 0;
}

RegexSplitter::~RegexSplitter() { pcre2_code_free(as_code(code_)); }

RegexSplitter::Cursor::Cursor(const RegexSplitter& splitter, std::string_view text)
    : splitter_(splitter), text_(text) {
  match_data_ = pcre2_match_data_create_from_pattern(as_code(splitter.code_), nullptr);
  require(match_data_ != nullptr, "out of memory creating PCRE2 match data");
  find_match();
}

RegexSplitter::Cursor::~Cursor() { pcre2_match_data_free(as_match_data(match_data_)); }

// Finds the next non-empty match at or after position_ (an empty match would never advance).
void RegexSplitter::Cursor::find_match() {
  size_t from = position_;
  have_match_ = false;
  while (from < text_.size()) {
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text_.data());
    int rc = PCRE2_ERROR_JIT_STACKLIMIT;
    if (splitter_.jit_)
      rc = pcre2_jit_match(as_code(splitter_.code_), subject, text_.size(), from, 0, as_match_data(match_data_), nullptr);
    // The interpreter keeps its backtracking state on the heap, so it copes when the JIT's stack is too small.
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
      rc = pcre2_match(as_code(splitter_.code_), subject, text_.size(), from, PCRE2_NO_JIT, as_match_data(match_data_),
                       nullptr);
    if (rc == PCRE2_ERROR_NOMATCH) return;
    require(rc >= 0, "PCRE2 matching failed: {}", pcre2_message(rc));
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(as_match_data(match_data_));
    if (ovector[1] > ovector[0]) {
      match_start_ = ovector[0];
      match_end_ = ovector[1];
      have_match_ = true;
      return;
    }
    from = ovector[0] + 1;  // skip the empty match; with invalid UTF the next search re-syncs itself
  }
}

bool RegexSplitter::Cursor::next(std::string_view& piece) {
  if (position_ >= text_.size()) return false;
  if (!have_match_) {  // the rest was skipped by the pattern (invalid UTF-8): one piece
    piece = text_.substr(position_);
    position_ = text_.size();
    return true;
  }
  if (match_start_ > position_) {  // bytes the pattern skipped before the match
    piece = text_.substr(position_, match_start_ - position_);
    position_ = match_start_;
    return true;
  }
  piece = text_.substr(match_start_, match_end_ - match_start_);
  position_ = match_end_;
  find_match();
  return true;
}

}  // namespace minillm
