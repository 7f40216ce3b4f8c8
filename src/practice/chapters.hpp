#pragma once
// The chapters that have practice tasks, and where their files and binaries are.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "practice/manifest.hpp"

namespace minillm::practice {

struct PracticeChapter {
  std::string number;  // "01"
  std::string dir;     // "01_tokenization"
  Manifest manifest;

  // "chapters/01_tokenization/practice" (relative to the repository root)
  std::filesystem::path practice_dir() const { return std::filesystem::path("chapters") / dir / "practice"; }
  // BUILD/practice/ch01_practice_learner (kind "" gives the solutions' binary ch01_practice)
  std::filesystem::path binary(const std::filesystem::path& build, std::string_view kind) const;
  std::string target(std::string_view kind) const;  // "ch01_practice_learner"
};

// Every chapters/NN_*/ under root with a practice/manifest.json, in chapter order. A broken manifest is an
// Error naming its field.
std::vector<PracticeChapter> practice_chapters(const std::filesystem::path& root);

// "1" or "01" -> "01"; an Error for anything that is not a chapter number.
std::string chapter_number(std::string_view text);

// The chapters to work on: all of them, or the one numbered `only` (an Error listing the chapters that
// exist when there is no such chapter).
std::vector<PracticeChapter> select_chapters(const std::filesystem::path& root, const std::string& only);

}  // namespace minillm::practice
