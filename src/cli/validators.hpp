#pragma once
// Range checks for numeric flags, with messages in words. (CLI11's own PositiveNumber lets "nan" through
// and prints its upper bound as a 300-digit number.)
#include <cmath>
#include <string>

#include <CLI/CLI.hpp>

namespace minillm::cli {

// value > 0 (so also not NaN).
inline CLI::Validator positive() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value) || !(value > 0) || !std::isfinite(value))
          return "must be a number greater than 0, not '" + text + "'";
        return {};
      },
      "> 0", "positive");
}

// value >= 0 (so also not NaN).
inline CLI::Validator non_negative() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value) || !(value >= 0) || !std::isfinite(value))
          return "must be a number of 0 or more, not '" + text + "'";
        return {};
      },
      ">= 0", "non-negative");
}

}  // namespace minillm::cli
