#pragma once
// Hints revealed one at a time: BUILD/practice/hints-state.json remembers how many hints of each task the
// learner has seen, so `./run practice --hint` again shows the next one.
#include <filesystem>
#include <string>

#include "practice/manifest.hpp"

namespace minillm::practice {

// How many hints of chapter/task were shown (0 when none, or when there is no state file yet).
int hints_shown(const std::filesystem::path& build, const std::string& chapter, const std::string& task);

// The text to print for the next hint ("Hint 2 of 3 for merge_pair: ..."), recording it as shown. When all
// were shown, repeats the last one and points to the solution.
std::string reveal_next_hint(const std::filesystem::path& build, const std::string& chapter, const Task& task);

}  // namespace minillm::practice
