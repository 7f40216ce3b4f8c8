#pragma once
// The chapter demos' options, --help and errors, the same in every demo:
//
//   int main(int argc, char** argv) {
//     return minillm::ui::run_demo(argc, argv, kUsage, [&] {
//       Options o;
//       minillm::ui::DemoOptions().flag("--smoke", o.smoke).value("--out", o.out, "PATH").parse(argc, argv);
//       return run(o);
//     });
//   }
//
// The convention every demo follows, which tests/cmake/demos.cmake relies on to test a new chapter's demo
// without being told about it:
//   --help    prints the usage (first line "usage: chNN_demo ...", naming --smoke) on stdout, exit status 0
//   --smoke   a run of a few seconds on tiny sizes with no downloads, exit status 0
//   any error one line "error: ..." on stderr, exit status 1
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

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

// A demo's options: flags (present or not), options with one text value, and numbers in a range, all read
// by CLI11 and checked here, so every demo says what a good value looks like in the same words.
class DemoOptions {
 public:
  DemoOptions& flag(std::string_view name, bool& target);
  // `example` shows a good value in the error for a missing one: "--out needs a value after it, e.g. --out PATH".
  DemoOptions& value(std::string_view name, std::string& target, std::string_view example);
  // A number in [low, high]; target keeps its value when the option is not given. `what` describes a good
  // value for the error: "--size 9000 is not usable: give a whole number from 1 to 4096".
  DemoOptions& number(std::string_view name, int& target, int low, int high, std::string_view what);
  DemoOptions& number(std::string_view name, int64_t& target, int64_t low, int64_t high, std::string_view what);
  DemoOptions& number(std::string_view name, double& target, double low, double high, std::string_view what);
  // Reads argv[1..] (with CLI11). An unknown option, or one missing its value, throws minillm::Error
  // naming it and the options there are.
  void parse(int argc, char** argv) const;
  // After parse: whether the option was on the command line (a demo's --smoke may change an unset default).
  bool given(std::string_view name) const;

 private:
  struct Option {
    std::string name;
    bool* flag = nullptr;
    std::string* value = nullptr;
    std::string example;
    // For a number: stores the option's text in `text`, then converts and checks it into the target.
    std::function<void(const std::string& text)> store_number;
    std::string what;
  };
  template <class T>
  DemoOptions& add_number(std::string_view name, T& target, T low, T high, std::string_view what);
  std::string known() const;
  std::vector<Option> options_;
  mutable std::vector<std::string> given_;
};

// The body of a demo's main(): prints `usage` and returns 0 for --help or -h; otherwise returns what
// `demo` returns, or prints "error: <what>" on stderr and returns 1 if it throws.
int run_demo(int argc, char** argv, std::string_view usage, const std::function<int()>& demo);

}  // namespace minillm::ui
