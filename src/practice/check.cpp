#include "practice/check.hpp"

#include <set>

#include <fmt/format.h>

#include "core/error.hpp"
#include "practice/chapters.hpp"
#include "practice/gtest_output.hpp"
#include "practice/process.hpp"

namespace minillm::practice {
namespace fs = std::filesystem;
namespace {

// Generous: CI machines are slow and shared, but a stub that loops forever must not hang CI.
constexpr std::chrono::seconds kTimeLimit{300};

GtestRun run_tests(const fs::path& binary, const std::string& filter, ProcessResult& process) {
  return run_gtest(binary, filter, kTimeLimit, process);
}

std::string first_failure(const FailedTest& test) {
  if (test.crashed) return "it crashed";
  if (test.failures.empty()) return "no message";
  const std::string& text = test.failures.front();
  return text.substr(0, text.find('\n'));
}

void check_task(const PracticeChapter& chapter, const Task& task, const fs::path& build,
                const std::vector<std::string>& selected, CheckSummary& summary) {
  const std::string label = fmt::format("ch{} {} (filter {})", chapter.number, task.name, task.tests);
  if (selected.empty()) {
    summary.defects.push_back(fmt::format("{}: the filter selects no test; fix \"tests\" in the manifest", label));
    return;
  }

  ProcessResult process;
  const GtestRun stubs = run_tests(chapter.binary(build, "stubs"), task.tests, process);
  if (process.timed_out) summary.defects.push_back(fmt::format("{}: the stubs' tests ran longer than {} s", label,
                                                               kTimeLimit.count()));
  if (stubs.tests_run() == 0) {
    summary.defects.push_back(fmt::format("{}: no test ran on the stubs (exit code {})", label, process.exit_code));
  } else if (process.ok() || !stubs.passed.empty()) {
    for (const std::string& test : stubs.passed) {
      summary.defects.push_back(fmt::format("{}: {} passes on the untouched stub, so it cannot tell the learner "
                                            "anything; make it fail until the task is done",
                                            label, test));
    }
  } else {
    ++summary.fail_on_stubs;
  }

  const GtestRun solutions = run_tests(chapter.binary(build, ""), task.tests, process);
  if (solutions.tests_run() == 0) {
    summary.defects.push_back(fmt::format("{}: no test ran on the solutions (exit code {})", label, process.exit_code));
  } else if (!process.ok() || !solutions.failed.empty()) {
    for (const FailedTest& test : solutions.failed) {
      summary.defects.push_back(fmt::format("{}: {} fails on the solution: {}", label, test.name, first_failure(test)));
    }
    if (solutions.failed.empty()) {
      summary.defects.push_back(fmt::format("{}: the solutions' test binary failed (exit code {}, signal {})", label,
                                            process.exit_code, process.signal));
    }
  } else {
    ++summary.pass_on_solutions;
  }
}

}  // namespace

CheckSummary check_practice(const fs::path& source, const fs::path& build, const std::string& only) {
  CheckSummary summary;
  for (const PracticeChapter& chapter : select_chapters(source, only)) {
    const fs::path stubs = chapter.binary(build, "stubs");
    require(fs::exists(stubs),
            "{} does not exist. The stubs binaries are built only when the build is configured with "
            "-DMINILLM_PRACTICE_STUBS_ROOT=<a pristine copy of the committed practice files>; ./run test does "
            "that (see export_pristine_stubs in ./run)",
            stubs.string());
    summary.tasks += static_cast<int>(chapter.manifest.tasks.size());
    const fs::path solutions = chapter.binary(build, "");
    if (!fs::exists(solutions)) {
      summary.defects.push_back(fmt::format("ch{}: {} does not exist: build the target {}", chapter.number,
                                            solutions.string(), chapter.target("")));
      continue;
    }
    std::set<std::string> owned;  // the tests some task's filter selects, as gtest's own filter reads it
    for (const Task& task : chapter.manifest.tasks) {
      const std::vector<std::string> selected = list_gtest_tests(solutions, task.tests, kTimeLimit);
      owned.insert(selected.begin(), selected.end());
      check_task(chapter, task, build, selected, summary);
    }
    for (const std::string& test : list_gtest_tests(solutions, "*", kTimeLimit)) {
      if (!owned.contains(test)) {
        summary.defects.push_back(fmt::format("ch{}: the test {} belongs to no task: widen a task's \"tests\" "
                                              "filter in the manifest or remove the test",
                                              chapter.number, test));
      }
    }
  }
  return summary;
}

std::string summary_line(const CheckSummary& summary) {
  return fmt::format("practice: {} tasks, {} fail on stubs, {} pass on solutions", summary.tasks,
                     summary.fail_on_stubs, summary.pass_on_solutions);
}

}  // namespace minillm::practice
