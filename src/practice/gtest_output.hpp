#pragma once
// Reading what a GoogleTest binary printed, so the runner can tell a learner in words which test failed and
// why, and so the CI check can count the tests a filter selected.
#include <string>
#include <string_view>
#include <vector>

namespace minillm::practice {

struct FailedTest {
  std::string name;                   // "CountPairs.CountsEveryAdjacentPair"
  std::vector<std::string> failures;  // one entry per failed assertion: its lines after "Failure", joined
  std::vector<std::string> where;     // parallel to failures: "test_tasks.cpp:12" ("" when gtest had no file)
  bool not_implemented = false;       // the stub's NotImplemented was thrown
  bool crashed = false;               // started but never finished (the binary died inside it)
  bool skipped = false;               // gtest reported it [ SKIPPED ]: counted as failed, it checked nothing
};

struct GtestRun {
  std::vector<std::string> passed;
  std::vector<FailedTest> failed;
  int tests_run() const { return static_cast<int>(passed.size() + failed.size()); }
};

// Parses the output of a gtest binary (stdout and stderr interleaved). A test that printed "[ RUN ]" but
// no result line is reported as crashed.
GtestRun parse_gtest_output(std::string_view output);

// Parses `--gtest_list_tests` output into full names "Suite.Test" (parameter comments dropped).
std::vector<std::string> parse_gtest_list(std::string_view output);

// Whether `test` ("Suite.Name") is selected by a gtest filter: ':'-separated globs (* and ?), optionally
// followed by '-' and globs to exclude, exactly as --gtest_filter reads it.
bool gtest_filter_matches(std::string_view filter, std::string_view test);

}  // namespace minillm::practice
