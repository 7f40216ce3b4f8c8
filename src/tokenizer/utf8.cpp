#include "tokenizer/utf8.hpp"

namespace minillm {

namespace {
// How far the bytes at the front form a valid prefix of a UTF-8 character (Unicode Table 3-7), and how
// long the whole character must be.
struct Prefix {
  int valid;   // bytes that are a valid (possibly incomplete) start
  int needed;  // the full length of the character
};

Prefix valid_prefix(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = b(0);
  int needed = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead < 0x80) return {1, 1};
  if (lead >= 0xC2 && lead <= 0xDF) needed = 2;
  else if (lead >= 0xE0 && lead <= 0xEF) {
    needed = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    needed = 4;
    if (lead == 0xF0) low = 0x90;   // no overlong forms
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return {0, 1};  // 0x80..0xC1, 0xF5..0xFF never start a character
  }
  int valid = 1;
  for (int i = 1; i < needed && static_cast<size_t>(i) < s.size(); ++i) {
    const unsigned char lo = i == 1 ? low : 0x80, hi = i == 1 ? high : 0xBF;
    if (b(i) < lo || b(i) > hi) break;
    ++valid;
  }
  return {valid, needed};
}
}  // namespace

int utf8_char_length(std::string_view bytes) {
  if (bytes.empty()) return 0;
  const Prefix p = valid_prefix(bytes);
  return p.valid == p.needed ? p.needed : 0;
}

std::string to_valid_utf8(std::string_view bytes) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  out.reserve(bytes.size());
  size_t i = 0;
  while (i < bytes.size()) {
    const Prefix p = valid_prefix(bytes.substr(i));
    if (p.valid == p.needed) {
      out.append(bytes.substr(i, p.needed));
      i += p.needed;
    } else {
      out.append(kReplacement);          // one U+FFFD per maximal invalid subpart
      i += p.valid > 0 ? p.valid : 1;
    }
  }
  return out;
}

}  // namespace minillm
