#include "ui/usage.hpp"

#include <exception>

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

void DemoOptions::parse(int argc, char** argv) const {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const Option* match = nullptr;
    for (const Option& o : options_)
      if (o.name == arg) match = &o;
    if (match == nullptr) fail("unknown option '{}'; {}", arg, known());
    if (match->flag) {
      *match->flag = true;
      continue;
    }
    require(i + 1 < argc, "{} needs a value after it, e.g. {} {}", arg, arg, match->example);
    *match->value = argv[++i];
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
