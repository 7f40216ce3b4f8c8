#pragma once
// Telling text from binary data before treating it as text. Commands that learn from text (`embed train`,
// `train-tokenizer`, `train`) given an image or a model file by mistake would otherwise find a few letter
// runs in the noise, learn from them and exit 0: a result that looks fine and is garbage.
#include <cstddef>
#include <string>
#include <string_view>

namespace minillm {

struct TextCheck {
  size_t nul_bytes = 0;      // 0x00 never occurs in text
  size_t first_nul = 0;      // offset of the first one
  size_t invalid_utf8 = 0;   // bytes that are not part of a valid UTF-8 sequence
};

TextCheck check_text(std::string_view bytes);

// Error unless `bytes` looks like text: no NUL byte, and at most 10% of the bytes outside valid UTF-8 (a
// Latin-1 file with accents passes; compressed or binary data, about half invalid, does not). `what` names
// the input in the message ("book.txt").
void require_text(std::string_view bytes, const std::string& what);

}  // namespace minillm
