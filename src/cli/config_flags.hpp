#pragma once
// Command-line flags made from a config's table (io/config_fields.hpp): every setting with a flag gets one,
// whose help is the setting's help plus its default, and whose value is checked against the setting's range
// with the words of cli/validators.hpp. Flags given are kept as changes to apply over a config (so a
// --config file can be read first and the flags still win).
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "io/config_fields.hpp"

namespace minillm::cli {

// A setting's range as a CLI11 check: "must be a number greater than 0, not 'nan'". A "0 means not given"
// setting does not take 0 as a flag.
inline CLI::Validator range_check(Range range) {
  range.zero_means_unset = false;
  return CLI::Validator(
      [range](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value) || !range.contains(value) || !std::isfinite(value))
          return "must be a number " + range.flag_words() + ", not '" + text + "'";
        return {};
      },
      range.words(), "range");
}

// The flags given, as changes to a Root config (TrainConfig) and their names.
template <class Root>
struct ConfigFlags {
  std::vector<std::function<void(Root&)>> changes;
  std::set<std::string> given;  // "--lr", ...

  void apply(Root& root) const {
    for (const auto& change : changes) change(root);
  }
};

// Adds a flag for every field of Config that has one. part(root) is where that Config sits in the Root.
template <class Config, class Root>
void add_config_flags(CLI::App& command, const std::shared_ptr<ConfigFlags<Root>>& flags,
                      std::function<Config&(Root&)> part) {
  const Config defaults{};
  for (const ConfigField<Config>& field : Config::fields()) {
    if (std::string(field.flag).empty()) continue;
    const std::string flag = field.flag;
    const bool unset = field.range.zero_means_unset && field_text(field, defaults) == "0";  // "0: not given"
    const std::string shown = unset ? "" : field_text(field, defaults);
    const std::string help = std::string(field.help) + (shown.empty() ? "" : " (default " + shown + ")");
    std::visit(
        [&](auto member) {
          using T = std::remove_cvref_t<decltype(defaults.*member)>;
          CLI::Option* option = command.add_option_function<T>(
              flag,
              [flags, part, member, flag](const T& value) {
                flags->given.insert(flag);
                flags->changes.push_back([part, member, value](Root& root) { part(root).*member = value; });
              },
              help);
          if constexpr (!std::is_same_v<T, std::string>) option->check(range_check(field.range));
        },
        field.member);
  }
}

}  // namespace minillm::cli
