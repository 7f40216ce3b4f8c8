#include "io/text_check.hpp"

#include "core/error.hpp"

namespace minillm {

namespace {
// Length of the valid UTF-8 sequence starting at bytes[i], or 0 if it is not one (overlongs, surrogates and
// code points past U+10FFFF count as invalid, as RFC 3629 says).
size_t utf8_sequence_length(std::string_view bytes, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(bytes[k]); };
  const unsigned char b = byte(i);
  if (b < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (b >= 0xC2 && b <= 0xDF) length = 2;
  else if (b == 0xE0) length = 3, low = 0xA0;
  else if (b == 0xED) length = 3, high = 0x9F;
  else if (b >= 0xE1 && b <= 0xEF) length = 3;
  else if (b == 0xF0) length = 4, low = 0x90;
  else if (b == 0xF4) length = 4, high = 0x8F;
  else if (b >= 0xF1 && b <= 0xF3) length = 4;
  else return 0;
  if (i + length > bytes.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (size_t k = 2; k < length; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return length;
}
}  // namespace

TextCheck check_text(std::string_view bytes) {
  TextCheck check;
  for (size_t i = 0; i < bytes.size();) {
    if (bytes[i] == '\0' && check.nul_bytes++ == 0) check.first_nul = i;
    const size_t length = utf8_sequence_length(bytes, i);
    if (length == 0) {
      ++check.invalid_utf8;
      ++i;
    } else {
      i += length;
    }
  }
  return check;
}

void require_text(std::string_view bytes, const std::string& what) {
  const TextCheck check = check_text(bytes);
  require(check.nul_bytes == 0, "{} is not text: it has {} NUL byte{} (the first at byte {}), so it is binary data; "
          "give a plain text file", what, check.nul_bytes, check.nul_bytes == 1 ? "" : "s", check.first_nul);
  require(check.invalid_utf8 * 10 <= bytes.size(),
          "{} is not text: {} of its {} bytes ({:.0f}%) are not UTF-8, so it is binary or compressed data; give a "
          "plain text file", what, check.invalid_utf8, bytes.size(), 100.0 * double(check.invalid_utf8) / double(bytes.size()));
}

}  // namespace minillm
