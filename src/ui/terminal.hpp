#pragma once
// Tiny terminal helpers: is this stream a terminal, and should we colour it? Colour is on only for a
// terminal, and off whenever NO_COLOR is set (https://no-color.org), so logs and pipes stay plain text.
#include <cstdio>
#include <string>
#include <string_view>

namespace minillm::ui {

// True if `stream` (stdout, stderr) is attached to a terminal.
bool is_terminal(std::FILE* stream);

// True if ANSI colours should be written to `stream`: a terminal, and NO_COLOR is not set.
bool colour_enabled(std::FILE* stream);

// ANSI SGR codes. Foreground colours from the 256-colour table read well on dark and light themes.
namespace ansi {
inline constexpr std::string_view reset = "\033[0m";
inline constexpr std::string_view bold = "\033[1m";
inline constexpr std::string_view dim = "\033[2m";
inline constexpr std::string_view clear_line = "\r\033[K";  // back to column 0, erase to the end
}  // namespace ansi

// "\033[38;5;<code>m" (foreground) or "\033[48;5;<code>m" (background) for a 256-colour code 0..255.
std::string ansi_foreground(int code256);
std::string ansi_background(int code256);

// `text` wrapped in the colour and a reset when `enabled`, else `text` unchanged.
std::string colourize(std::string_view text, std::string_view ansi_code, bool enabled);

}  // namespace minillm::ui
