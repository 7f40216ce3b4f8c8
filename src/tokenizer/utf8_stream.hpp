#pragma once
// Printing tokens as they are made. A token's bytes need not end on a character boundary: GPT-2 spells
// "é" (two bytes) or an emoji (four) as several tokens, so printing each token's bytes at once would put
// half a character, shown as garbage, on the screen. Utf8Stream holds the bytes of an incomplete character
// until the rest arrives, and replaces bytes that can never become a character by U+FFFD (as to_valid_utf8).
#include <string>
#include <string_view>

namespace minillm {

class Utf8Stream {
 public:
  // Appends bytes; returns the text that is now complete (valid UTF-8), keeping an unfinished character.
  std::string push(std::string_view bytes);
  // The end of the stream: whatever is still held, with an unfinished character replaced by U+FFFD.
  std::string flush();
  size_t held_bytes() const { return held_.size(); }

 private:
  std::string held_;
};

}  // namespace minillm
