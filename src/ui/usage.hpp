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

// A demo's options: flags (present or not) and options with one value each, stored as text (the demo
// converts and checks them, so it can say what a good value looks like).
class DemoOptions {
 public:
  DemoOptions& flag(std::string_view name, bool& target);
  // `example` shows a good value in the error for a missing one: "--out needs a value after it, e.g. --out PATH".
  DemoOptions& value(std::string_view name, std::string& target, std::string_view example);
  // Reads argv[1..] (with CLI11). An unknown option, or one missing its value, throws minillm::Error
  // naming it and the options there are.
  void parse(int argc, char** argv) const;

 private:
  struct Option {
    std::string name;
    bool* flag = nullptr;
    std::string* value = nullptr;
    std::string example;
  };
  std::string known() const;
  std::vector<Option> options_;
};

// The body of a demo's main(): prints `usage` and returns 0 for --help or -h; otherwise returns what
// `demo` returns, or prints "error: <what>" on stderr and returns 1 if it throws.
int run_demo(int argc, char** argv, std::string_view usage, const std::function<int()>& demo);

}  // namespace minillm::ui
