#include "practice/manifest.hpp"

#include <cctype>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

namespace minillm::practice {
namespace {

using nlohmann::json;

// The string at object[key]; an Error naming `field` (e.g. "tasks[2].goal") when it is absent, not a
// string, or empty. `example` tells the author what a good value looks like.
std::string required_string(const json& object, const char* key, const std::string& field, std::string_view where,
                            std::string_view example) {
  if (!object.contains(key)) fail("{}: {} is missing (for example {})", where, field, example);
  const json& value = object.at(key);
  if (!value.is_string()) fail("{}: {} must be a string (for example {}), not {}", where, field, example, value.dump());
  std::string text = value.get<std::string>();
  if (text.empty()) fail("{}: {} is empty (for example {})", where, field, example);
  return text;
}

bool is_identifier(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

Task parse_task(const json& object, size_t index, std::string_view where) {
  const std::string field = fmt::format("tasks[{}]", index);
  if (!object.is_object()) fail("{}: {} must be an object with name, file, goal, tests and hints", where, field);
  Task task;
  task.name = required_string(object, "name", field + ".name", where, "\"count_pairs\"");
  require(is_identifier(task.name), "{}: {}.name \"{}\" must be a C++ identifier (it tags the stub's TODO({}))", where,
          field, task.name, task.name);
  task.file = required_string(object, "file", field + ".file", where, "\"tasks.cpp\"");
  require(task.file.ends_with(".cpp") && task.file.find('/') == std::string::npos && !task.file.starts_with("test_"),
          "{}: {}.file \"{}\" must be the learner's .cpp file directly in practice/ (not a test_*.cpp), "
          "for example \"tasks.cpp\"",
          where, field, task.file);
  task.goal = required_string(object, "goal", field + ".goal", where, "\"Count how often each pair occurs.\"");
  task.tests = required_string(object, "tests", field + ".tests", where, "\"CountPairs.*\", a gtest filter");
  if (!object.contains("hints")) fail("{}: {}.hints is missing (a list of hints, gentlest first)", where, field);
  const json& hints = object.at("hints");
  require(hints.is_array() && !hints.empty(), "{}: {}.hints must be a non-empty list of strings, gentlest first",
          where, field);
  for (size_t i = 0; i < hints.size(); ++i) {
    require(hints[i].is_string() && !hints[i].get<std::string>().empty(), "{}: {}.hints[{}] must be a non-empty string",
            where, field, i);
    task.hints.push_back(hints[i].get<std::string>());
  }
  return task;
}

}  // namespace

Manifest parse_manifest(std::string_view json_text, std::string_view where) {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::parse_error& e) {
    fail("{}: not valid JSON ({})", where, e.what());
  }
  require(root.is_object(), "{}: the manifest must be a JSON object with chapter, title and tasks", where);
  Manifest manifest;
  manifest.chapter = required_string(root, "chapter", "chapter", where, "\"01\"");
  const bool two_digits = manifest.chapter.size() == 2 && std::isdigit(static_cast<unsigned char>(manifest.chapter[0])) &&
                          std::isdigit(static_cast<unsigned char>(manifest.chapter[1]));
  require(two_digits, "{}: chapter \"{}\" must be the chapter's two digits as a string, for example \"01\"", where,
          manifest.chapter);
  manifest.title = required_string(root, "title", "title", where, "\"Tokenization: byte-pair encoding\"");
  if (!root.contains("tasks")) fail("{}: tasks is missing (a list of tasks in the order the learner does them)", where);
  const json& tasks = root.at("tasks");
  require(tasks.is_array() && !tasks.empty(), "{}: tasks must be a non-empty list of tasks", where);
  std::set<std::string> names;
  for (size_t i = 0; i < tasks.size(); ++i) {
    Task task = parse_task(tasks[i], i, where);
    require(names.insert(task.name).second, "{}: tasks[{}].name \"{}\" is used by an earlier task; names must be unique",
            where, i, task.name);
    manifest.tasks.push_back(std::move(task));
  }
  return manifest;
}

Manifest load_manifest(const std::filesystem::path& path) {
  return parse_manifest(read_file(path), path.string());
}

}  // namespace minillm::practice
