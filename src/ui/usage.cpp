#include "ui/usage.hpp"

#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "core/error.hpp"

namespace minillm::ui {

DemoOptions& DemoOptions::flag(std::string_view name, bool& target) {
  options_.push_back({std::string(name), &target, nullptr, {}});
  return *this;
}

DemoOptions& DemoOptions::value(std::string_view name, std::string& target, std::string_view example) {
  options_.push_back({std::string(name), nullptr, &target, std::string(example)});
  return *this;
}

std::string DemoOptions::known() const {
  if (options_.empty()) return "this demo takes no options";
  std::string list;
  for (const Option& o : options_) {
    if (!list.empty()) list += ", ";
    list += o.value ? o.name + " " + o.example : o.name;
  }
  return "use " + list + " (--help says more)";
}

// CLI11 reads the arguments; its errors are turned into the course's one-line ones, which name the option
// and what a good value looks like.
void DemoOptions::parse(int argc, char** argv) const {
  CLI::App app;
  app.set_help_flag();  // run_demo answers --help before a demo parses its options
  app.allow_extras();   // an unknown option is reported below, with the known ones
  for (const Option& o : options_) {
    if (o.flag) app.add_flag(o.name, *o.flag);
    else app.add_option(o.name, *o.value);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const std::string what = e.what(), name = what.substr(0, what.find(':'));  // "--out: 1 required TEXT missing"
    for (const Option& o : options_)
      if (o.value && o.name == name) fail("{} needs a value after it, e.g. {} {}", name, name, o.example);
    fail("{}; {}", what, known());
  }
  if (!app.remaining().empty()) fail("unknown option '{}'; {}", app.remaining().front(), known());
}

int run_demo(int argc, char** argv, std::string_view usage, const std::function<int()>& demo) {
  if (print_usage_if_asked(argc, argv, usage)) return 0;
  try {
    return demo();
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}

}  // namespace minillm::ui
