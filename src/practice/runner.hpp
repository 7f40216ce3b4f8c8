#pragma once
// `minillm-practice run`: build the learner's practice binaries, run each task's tests in manifest order,
// show a progress table and, for the first unfinished task, what failed and what to try next.
#include <filesystem>
#include <string>
#include <vector>

#include "practice/chapters.hpp"
#include "practice/gtest_output.hpp"
#include "practice/process.hpp"

namespace minillm::practice {

struct RunOptions {
  std::filesystem::path source;  // repository root
  std::filesystem::path build;   // build directory
  std::string chapter;           // "" = every chapter
  bool hint = false;             // reveal the next hint of the first unfinished task
  bool watch = false;            // rerun on every save
  std::string reset;             // chapter whose learner files go back to the stubs
};

enum class TaskState { Done, Todo, NoTests, DoesNotCompile };

struct TaskResult {
  TaskState state = TaskState::Todo;
  GtestRun tests;
  ProcessResult process;
};

// What to tell the learner about an unfinished task, one line per entry ("CountPairs.Overlaps failed: ...").
std::vector<std::string> explain_failure(const TaskResult& result);

// The most useful lines of a failed build: the compiler's "error:" lines, with the source root stripped.
std::vector<std::string> compile_errors(const std::string& build_output, const std::filesystem::path& source);

// The whole `run` command; returns the process exit code (0 when every selected task is done).
int run_command(const RunOptions& options);

}  // namespace minillm::practice
