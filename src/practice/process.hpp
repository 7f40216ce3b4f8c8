#pragma once
// Running a program and collecting everything it prints (stdout and stderr interleaved, as a learner would
// see them in a terminal), with an optional time limit so a learner's endless loop cannot hang the runner.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace minillm::practice {

struct ProcessResult {
  int exit_code = -1;      // when the program exited normally
  int signal = 0;          // when a signal ended it (11 = SIGSEGV: a crash)
  bool timed_out = false;  // killed after the time limit
  std::string output;
  bool ok() const { return signal == 0 && !timed_out && exit_code == 0; }
};

// Runs argv[0] (searched in PATH) with the arguments. Throws Error when the program cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv,
                          std::optional<std::chrono::seconds> time_limit = std::nullopt);

// Whether `program` is an executable in PATH.
bool program_in_path(const std::string& program);

}  // namespace minillm::practice
