#pragma once
// Settings declared once. A config struct (GptConfig, TrainConfig, AdamWConfig) lists its settings in ONE
// table, an X-macro: each row is a setting's type, name (also its JSON key), default, command-line flag ("" for
// none), allowed range and help. From that row come the struct member, the JSON written and read (unknown keys
// are an Error naming the key), the range check, and, in src/cli/config_flags.hpp, the flag with its help
// and default. Adding a setting is one row plus the code that uses it; docs/architecture.md walks through one.
//
//   #define MINILLM_EXAMPLE_CONFIG(X)                                              (a backslash ends
//     X(int, batch, 16, "--batch", greater_than(0), "sequences per step")           every line but the
//     X(float, lr, 1e-3f, "--lr", greater_than(0), "peak learning rate")            last)
//   struct ExampleConfig {
//     using Self = ExampleConfig;
//     MINILLM_EXAMPLE_CONFIG(MINILLM_CONFIG_MEMBER)            // int batch = 16; float lr = 1e-3f;
//     static std::vector<ConfigField<Self>> fields() { return {MINILLM_EXAMPLE_CONFIG(MINILLM_CONFIG_FIELD)}; }
//   };
// The struct stays a plain aggregate: ExampleConfig{.batch = 4} works.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace minillm {

// The values a numeric setting may take, with the words that say so.
struct Range {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  bool zero_means_unset = false;  // 0 is allowed in a file and a struct (it means "not given"), not as a flag

  bool contains(double v) const {
    if (zero_means_unset && v == 0) return true;
    return !std::isnan(v) && (min_exclusive ? v > min : v >= min) && v <= max;
  }
  std::string words() const {  // "greater than 0", "from 0 to 1", "0 or more"
    if (max < std::numeric_limits<double>::infinity())
      return min_exclusive ? fmt::format("greater than {} and at most {}", min, max) : fmt::format("from {} to {}", min, max);
    if (min_exclusive) return fmt::format("greater than {}", min);
    if (min > -std::numeric_limits<double>::infinity()) return fmt::format("{} or more", min);
    return "a number";
  }
  std::string flag_words() const {  // after "must be a number ": "greater than 0", "of 0 or more", "from 0 to 1"
    const bool bounded = max < std::numeric_limits<double>::infinity();
    return (!bounded && !min_exclusive && min > -std::numeric_limits<double>::infinity() ? "of " : "") + words();
  }
};
inline Range any_value() { return {}; }
inline Range greater_than(double min) { return {.min = min, .min_exclusive = true}; }
inline Range at_least(double min) { return {.min = min}; }
inline Range between(double min, double max) { return {.min = min, .max = max}; }
inline Range above_up_to(double min, double max) { return {.min = min, .max = max, .min_exclusive = true}; }
inline Range greater_than_or_unset(double min) { return {.min = min, .min_exclusive = true, .zero_means_unset = true}; }

template <class Config>
struct ConfigField {
  const char* key;   // the JSON key: the member's name
  const char* flag;  // "--width", or "" when the setting has no flag of its own
  Range range;
  const char* help;
  std::variant<int Config::*, int64_t Config::*, uint64_t Config::*, float Config::*, double Config::*,
               std::string Config::*>
      member;
};

// One row as a struct member, and as a ConfigField<Self> (Self: the config struct's alias for itself).
#define MINILLM_CONFIG_MEMBER(type, name, default_value, flag, range, help) type name = default_value;
#define MINILLM_CONFIG_FIELD(type, name, default_value, flag, range, help) \
  ConfigField<Self>{#name, flag, range, help, &Self::name},

// The fields as JSON, in declaration order's keys (nlohmann sorts them when dumping).
template <class Config>
nlohmann::json fields_to_json(const Config& c) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& f : Config::fields()) std::visit([&](auto member) { j[f.key] = c.*member; }, f.member);
  return j;
}

// Sets one field from a JSON value; an Error names the key and the expected type.
template <class Config>
void field_from_json(const ConfigField<Config>& f, const nlohmann::json& value, Config& c, const char* what) {
  std::visit(
      [&](auto member) {
        using T = std::remove_cvref_t<decltype(c.*member)>;
        if constexpr (std::is_same_v<T, std::string>) {
          require(value.is_string(), "{}: '{}' must be a string, got {}", what, f.key, value.dump());
          c.*member = value.get<std::string>();
        } else if constexpr (std::is_integral_v<T>) {
          require(value.is_number_integer(), "{}: '{}' must be a whole number, got {}", what, f.key, value.dump());
          // Compared as integers (a double cannot tell 2^63 from int64's largest): JSON keeps a whole number
          // as uint64 when it is not negative, int64 when it is.
          const bool fits = value.is_number_unsigned() ? std::in_range<T>(value.get<uint64_t>())
                                                       : std::in_range<T>(value.get<int64_t>());
          require(fits, "{}: '{}' = {} is out of range", what, f.key, value.dump());
          c.*member = value.get<T>();
        } else {
          require(value.is_number(), "{}: '{}' must be a number, got {}", what, f.key, value.dump());
          c.*member = value.get<T>();
        }
      },
      f.member);
}

template <class Config>
const ConfigField<Config>* find_field(const std::string& key) {
  static const std::vector<ConfigField<Config>> all = Config::fields();
  for (const auto& f : all)
    if (key == f.key) return &f;
  return nullptr;
}

template <class Config>
std::string field_keys() {
  std::string keys;
  for (const auto& f : Config::fields()) keys += (keys.empty() ? "" : ", ") + std::string(f.key);
  return keys;
}

// Reads the keys present in j over c (so a file can set a few). Unknown keys are an Error naming the key and
// the known ones.
template <class Config>
void fields_from_json(const nlohmann::json& j, Config& c, const char* what) {
  require(j.is_object(), "{} must be a JSON object, got {}", what, j.dump());
  for (const auto& [key, value] : j.items()) {
    const ConfigField<Config>* f = find_field<Config>(key);
    require(f != nullptr, "{}: unknown key '{}' (known: {})", what, key, field_keys<Config>());
    field_from_json(*f, value, c, what);
  }
}

// The value of a field as text, for help ("16", "0.001", "gpt2").
template <class Config>
std::string field_text(const ConfigField<Config>& f, const Config& c) {
  return std::visit([&](auto member) { return fmt::format("{}", c.*member); }, f.member);
}

// Every numeric field within its range; an Error names the field, its range and its value.
template <class Config>
void check_field_ranges(const Config& c, const char* what) {
  for (const auto& f : Config::fields()) {
    std::visit(
        [&](auto member) {
          using T = std::remove_cvref_t<decltype(c.*member)>;
          if constexpr (!std::is_same_v<T, std::string>) {
            require(f.range.contains(double(c.*member)), "{}: {} must be {}, got {}", what, f.key, f.range.words(),
                    c.*member);
          }
        },
        f.member);
  }
}

}  // namespace minillm
