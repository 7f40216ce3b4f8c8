#include "ui/terminal.hpp"

#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

namespace minillm::ui {

bool is_terminal(std::FILE* stream) { return stream != nullptr && isatty(fileno(stream)) != 0; }

bool colour_enabled(std::FILE* stream) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return is_terminal(stream);
}

std::string ansi_foreground(int code256) { return fmt::format("\033[38;5;{}m", code256 & 255); }
std::string ansi_background(int code256) { return fmt::format("\033[48;5;{}m", code256 & 255); }

std::string colourize(std::string_view text, std::string_view ansi_code, bool enabled) {
  if (!enabled) return std::string(text);
  return fmt::format("{}{}{}", ansi_code, text, ansi::reset);
}

}  // namespace minillm::ui
