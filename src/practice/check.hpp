#pragma once
// `minillm-practice check`: the CI proof that the practice works. For every task of every chapter, its
// tests must all fail on the untouched stubs (chNN_practice_stubs) and all pass on the solutions
// (chNN_practice); a filter that selects no test, or a test that belongs to no task, is a defect.
#include <filesystem>
#include <string>
#include <vector>

namespace minillm::practice {

struct CheckSummary {
  int tasks = 0;
  int fail_on_stubs = 0;
  int pass_on_solutions = 0;
  std::vector<std::string> defects;  // one line each
};

// Runs the check; throws Error when the stubs binaries were not built (MINILLM_PRACTICE_STUBS_ROOT unset).
// `only` limits the check to one chapter ("01"); "" checks them all.
CheckSummary check_practice(const std::filesystem::path& source, const std::filesystem::path& build,
                            const std::string& only = "");

// "practice: 24 tasks, 24 fail on stubs, 24 pass on solutions"
std::string summary_line(const CheckSummary& summary);

}  // namespace minillm::practice
