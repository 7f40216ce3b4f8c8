#include "ui/usage.hpp"

#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "core/error.hpp"

namespace minillm::ui {

DemoOptions& DemoOptions::flag(std::string_view name, bool& target) {
  options_.push_back({std::string(name), &target, nullptr, {}, {}, {}});
  return *this;
}

DemoOptions& DemoOptions::value(std::string_view name, std::string& target, std::string_view example) {
  options_.push_back({std::string(name), nullptr, &target, std::string(example), {}, {}});
  return *this;
}

// The whole text must be the number ("12abc" is not 12), and it must lie in [low, high].
template <class T>
DemoOptions& DemoOptions::add_number(std::string_view name, T& target, T low, T high, std::string_view what) {
  const std::string option(name), description(what);
  auto store = [&target, low, high, option, description](const std::string& text) {
    T parsed{};
    const bool whole = CLI::detail::lexical_cast(text, parsed);
    if (!whole || !(parsed >= low && parsed <= high)) fail("{} {} is not usable: give {}", option, text, description);
    target = parsed;
  };
  // The example for a missing value: the one `what` gives ("..., e.g. 5"), else the default when it is usable.
  const size_t eg = description.rfind("e.g. ");
  const std::string example = eg != std::string::npos ? description.substr(eg + 5)
                              : target >= low && target <= high ? fmt::format("{}", target) : fmt::format("{}", low);
  options_.push_back({option, nullptr, nullptr, example, store, description});
  return *this;
}

DemoOptions& DemoOptions::number(std::string_view name, int& target, int low, int high, std::string_view what) {
  return add_number(name, target, low, high, what);
}
DemoOptions& DemoOptions::number(std::string_view name, int64_t& target, int64_t low, int64_t high,
                                 std::string_view what) {
  return add_number(name, target, low, high, what);
}
DemoOptions& DemoOptions::number(std::string_view name, double& target, double low, double high,
                                 std::string_view what) {
  return add_number(name, target, low, high, what);
}

bool DemoOptions::given(std::string_view name) const {
  for (const std::string& g : given_)
    if (g == name) return true;
  return false;
}

std::string DemoOptions::known() const {
  if (options_.empty()) return "this demo takes no options";
  std::string list;
  for (const Option& o : options_) {
    if (!list.empty()) list += ", ";
    list += o.flag ? o.name : o.name + " " + o.example;
  }
  return "use " + list + " (--help says more)";
}

// CLI11 reads the arguments; its errors are turned into the course's one-line ones, which name the option
// and what a good value looks like.
void DemoOptions::parse(int argc, char** argv) const {
  CLI::App app;
  app.set_help_flag();  // run_demo answers --help before a demo parses its options
  app.allow_extras();   // an unknown option is reported below, with the known ones
  std::vector<std::string> number_texts(options_.size());
  for (size_t i = 0; i < options_.size(); ++i) {
    const Option& o = options_[i];
    if (o.flag) app.add_flag(o.name, *o.flag);
    else app.add_option(o.name, o.value ? *o.value : number_texts[i]);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const std::string what = e.what(), name = what.substr(0, what.find(':'));  // "--out: 1 required TEXT missing"
    for (const Option& o : options_)
      if (!o.flag && o.name == name) fail("{} needs a value after it, e.g. {} {}", name, name, o.example);
    fail("{}; {}", what, known());
  }
  if (!app.remaining().empty()) fail("unknown option '{}'; {}", app.remaining().front(), known());
  given_.clear();
  for (size_t i = 0; i < options_.size(); ++i) {
    if (app.count(options_[i].name) == 0) continue;
    given_.push_back(options_[i].name);
    if (options_[i].store_number) options_[i].store_number(number_texts[i]);
  }
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
