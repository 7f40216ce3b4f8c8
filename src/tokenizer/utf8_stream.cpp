#include "tokenizer/utf8_stream.hpp"

#include "tokenizer/utf8.hpp"

namespace minillm {

namespace {

// Length of the character that the lead byte `b` starts (1-4), or 0 if `b` cannot start one.
int expected_length(unsigned char b) {
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return 2;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xF0 && b <= 0xF4) return 4;
  return 0;
}

// True when `tail` (shorter than its lead byte promises) can still become a well-formed character: it is
// a valid start, so padding it with the smallest continuation bytes that keep it valid gives one.
bool could_complete(std::string_view tail) {
  const int need = expected_length(static_cast<unsigned char>(tail[0]));
  if (need <= static_cast<int>(tail.size())) return false;
  for (unsigned char pad : {0x80, 0x90, 0xA0, 0xBF}) {  // E0 needs >= A0, F0 >= 90, ED/F4 <= 9F/8F
    std::string trial(tail);
    while (static_cast<int>(trial.size()) < need) trial.push_back(static_cast<char>(pad));
    if (utf8_char_length(trial) == need) return true;
  }
  return false;
}

}  // namespace

std::string Utf8Stream::push(std::string_view bytes) {
  held_.append(bytes);
  // Hold back the last (at most 3) bytes if they begin a character that more bytes could still finish.
  size_t cut = held_.size();
  for (size_t back = 1; back <= 3 && back <= held_.size(); ++back) {
    const size_t start = held_.size() - back;
    const auto b = static_cast<unsigned char>(held_[start]);
    if ((b & 0xC0) == 0x80) continue;  // a continuation byte: the lead is further back
    if (could_complete(std::string_view(held_).substr(start))) cut = start;
    break;
  }
  std::string ready = to_valid_utf8(std::string_view(held_).substr(0, cut));
  held_.erase(0, cut);
  return ready;
}

std::string Utf8Stream::flush() {
  std::string rest = to_valid_utf8(held_);
  held_.clear();
  return rest;
}

}  // namespace minillm
