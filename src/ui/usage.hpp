#pragma once
// `--help` for the chapter demos: each hand-parses a few options, and all answer --help (or -h) the same
// way, with their usage on stdout and exit code 0.
#include <string_view>

#include <fmt/core.h>

namespace minillm::ui {

// True (after printing `usage`) if any argument is --help or -h: the caller then returns 0.
inline bool print_usage_if_asked(int argc, char** argv, std::string_view usage) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      fmt::print("{}", usage);
      return true;
    }
  }
  return false;
}

}  // namespace minillm::ui
