#pragma once
// Running a GoogleTest binary and reading its results, so the runner can tell a learner in words which test
// failed and why, and the CI check can count the tests a filter selected. The results come from gtest's own
// JSON report (--gtest_output=json), read with nlohmann-json; gtest writes it when the binary exits, so for
// a binary that crashed or ran out of time the console output is read instead (parse_gtest_output).
#include <chrono>
#include <filesystem>
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

struct ProcessResult;

// Runs `binary` on the tests `filter` selects (--gtest_filter syntax) within `time_limit`; `process` gets
// how it ended and what it printed.
GtestRun run_gtest(const std::filesystem::path& binary, const std::string& filter, std::chrono::seconds time_limit,
                   ProcessResult& process);

// The tests `filter` selects in `binary`, as gtest itself lists them (--gtest_list_tests): "Suite.Test".
std::vector<std::string> list_gtest_tests(const std::filesystem::path& binary, const std::string& filter,
                                          std::chrono::seconds time_limit);

// Parses gtest's JSON report. Error when it is not one.
GtestRun parse_gtest_json(std::string_view json_text);

// Parses the output of a gtest binary (stdout and stderr interleaved). A test that printed "[ RUN ]" but
// no result line is reported as crashed.
GtestRun parse_gtest_output(std::string_view output);

// Parses `--gtest_list_tests` output into full names "Suite.Test" (parameter comments dropped).
std::vector<std::string> parse_gtest_list(std::string_view output);

}  // namespace minillm::practice
