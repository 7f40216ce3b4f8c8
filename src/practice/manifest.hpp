#pragma once
// A chapter's practice/manifest.json: the tasks in the order a learner does them. Each task names the
// learner's file, a one-line goal, the gtest filter that selects its tests, and hints revealed one by one.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace minillm::practice {

struct Task {
  std::string name;   // "count_pairs": also the tag in the stub's TODO(count_pairs)
  std::string file;   // the learner's file, relative to practice/: "tasks.cpp"
  std::string goal;   // one line shown in the progress table
  std::string tests;  // gtest filter: "CountPairs.*"
  std::vector<std::string> hints;
};

struct Manifest {
  std::string chapter;  // two digits: "01"
  std::string title;
  std::vector<Task> tasks;
};

// Parses manifest JSON. `where` names the source in error messages (usually the file's path). Throws Error
// naming the field that is missing or wrong: "manifest.json: tasks[2].tests is missing ...".
Manifest parse_manifest(std::string_view json_text, std::string_view where);

// Reads and parses a manifest file.
Manifest load_manifest(const std::filesystem::path& path);

}  // namespace minillm::practice
