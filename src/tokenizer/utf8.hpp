#pragma once
// Bytes -> valid UTF-8 text. Token boundaries need not fall on character boundaries ("é" is two bytes and
// may be two tokens), so decoding a slice of ids can produce invalid UTF-8. For display we replace each
// maximal invalid subsequence by U+FFFD, the rule of the Unicode standard (ch. 3, "U+FFFD substitution of
// maximal subparts") that Python's bytes.decode(errors="replace") and JS TextDecoder also follow.
#include <string>
#include <string_view>

namespace minillm {

std::string to_valid_utf8(std::string_view bytes);

// Length of the well-formed UTF-8 character starting at bytes[0], or 0 if it is not one.
int utf8_char_length(std::string_view bytes);

}  // namespace minillm
