#pragma once
// The one exception type minillm throws for bad input. Its message says what was wrong and what to do,
// so the CLI can print it as a one-line error instead of crashing.
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace minillm {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// fail("vocab size {} is smaller than 256", n): throw Error with a formatted message.
template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(fmt::format(format, std::forward<Args>(args)...));
}

// require(cond, "..."): the common guard at an API boundary.
template <typename... Args>
void require(bool condition, fmt::format_string<Args...> format, Args&&... args) {
  if (!condition) throw Error(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace minillm
