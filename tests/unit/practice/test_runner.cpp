// What the runner tells a learner, hints revealed one at a time, stub detection for --reset, and running
// a program with a time limit.
#include <gtest/gtest.h>

#include "io/atomic_file.hpp"
#include "practice/hints.hpp"
#include "practice/process.hpp"
#include "practice/reset.hpp"
#include "practice/runner.hpp"
#include "temp_dir.hpp"

namespace minillm::practice {
namespace {

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

TaskResult result_of(const std::string& gtest_fixture, int exit_code) {
  TaskResult result;
  result.process.exit_code = exit_code;
  result.process.output = read_file(testing::fixture("gtest/" + gtest_fixture));
  result.tests = parse_gtest_output(result.process.output);
  return result;
}

TEST(ExplainFailure, ShowsTheFailedAssertionInTheTestsWords) {
  const std::string text = joined(explain_failure(result_of("failures.txt", 1)));
  EXPECT_NE(text.find("CountPairs.CountsEveryAdjacentPair failed"), std::string::npos) << text;
  EXPECT_NE(text.find("(at sample_test.cpp:5)"), std::string::npos) << text;
  EXPECT_NE(text.find("(1, 2) occurs at positions 0 and 3"), std::string::npos) << text;
  EXPECT_NE(text.find("(and 1 more failed check(s) in this test)"), std::string::npos)
      << "only the first failed check is shown in full: " << text;
  EXPECT_EQ(text.find("an empty sequence has no pairs"), std::string::npos) << "the second check is only counted";
  EXPECT_NE(text.find("Also failing: MergePair.Stub (not implemented yet)."), std::string::npos) << text;
  EXPECT_EQ(text.find("CountPairs.Passes"), std::string::npos) << "passing tests are not mentioned";
}

TEST(ExplainFailure, OnlyStubsSayNotImplementedOnce) {
  TaskResult result;
  result.process.exit_code = 1;
  result.tests = parse_gtest_output(
      "[ RUN      ] A.One\nunknown file: Failure\nC++ exception with description \"not implemented yet: a\" thrown\n"
      "[  FAILED  ] A.One (0 ms)\n[ RUN      ] A.Two\nunknown file: Failure\nnot implemented yet: a\n"
      "[  FAILED  ] A.Two (0 ms)\n");
  const std::vector<std::string> lines = explain_failure(result);
  ASSERT_EQ(lines.size(), 1u) << joined(lines);
  EXPECT_NE(lines[0].find("Not implemented yet: 2 test(s)"), std::string::npos) << lines[0];
}

TEST(ExplainFailure, CrashesAndTimeoutsAreNamed) {
  TaskResult crash = result_of("crash.txt", -1);
  crash.process.signal = 11;
  const std::vector<std::string> lines = explain_failure(crash);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0].find("Crash.Segfault crashed (signal 11)"), 0u)
      << "the crash is reported first (the tests after it never ran): " << joined(lines);
  TaskResult slow;
  slow.process.timed_out = true;
  EXPECT_NE(joined(explain_failure(slow)).find("did not finish"), std::string::npos);
}

TEST(CompileErrors, KeepsTheErrorLinesWithShortPaths) {
  const std::string output =
      "[1/2] Building CXX object chapters/x.o\nFAILED: chapters/x.o\n/repo/chapters/01_t/practice/tasks.cpp: In "
      "function 'int f()':\n/repo/chapters/01_t/practice/tasks.cpp:7:3: error: 'y' was not declared in this scope\n"
      "ninja: build stopped: subcommand failed.\n";
  EXPECT_EQ(compile_errors(output, "/repo"),
            (std::vector<std::string>{"chapters/01_t/practice/tasks.cpp:7:3: error: 'y' was not declared in this scope"}));
  EXPECT_EQ(compile_errors("something odd\nhappened\n", "/repo").back(), "happened")
      << "without error: lines, the end of the output is shown";
}

TEST(Hints, AreRevealedOneAtATimeAndRemembered) {
  testing::TempDir build;
  const Task task{"merge_pair", "tasks.cpp", "goal", "MergePair.*", {"first hint", "second hint"}};
  EXPECT_EQ(hints_shown(build.path(), "01", "merge_pair"), 0);
  EXPECT_EQ(reveal_next_hint(build.path(), "01", task), "Hint 1 of 2 for merge_pair: first hint");
  EXPECT_EQ(hints_shown(build.path(), "01", "merge_pair"), 1) << "stored in BUILD/practice/hints-state.json";
  EXPECT_TRUE(std::filesystem::exists(build.path() / "practice/hints-state.json"));
  EXPECT_EQ(reveal_next_hint(build.path(), "01", task), "Hint 2 of 2 for merge_pair: second hint");
  EXPECT_NE(reveal_next_hint(build.path(), "01", task).find("the last one"), std::string::npos);
  EXPECT_EQ(hints_shown(build.path(), "02", "merge_pair"), 0) << "each chapter's tasks count separately";
  write_file_atomically(build.path() / "practice/hints-state.json", "{ damaged");
  EXPECT_EQ(hints_shown(build.path(), "01", "merge_pair"), 0) << "a damaged state file reads as no hints shown";
}

TEST(Reset, RecognizesAStub) {
  const std::string stub = read_file(testing::fixture("root/chapters/90_fake/practice/tasks.cpp"));
  const std::string solved = read_file(testing::fixture("root/chapters/90_fake/practice/solution/tasks.cpp"));
  EXPECT_TRUE(is_stub_of(stub, {"add_one"}));
  EXPECT_FALSE(is_stub_of(solved, {"add_one"})) << "a solved file is not a stub";
  EXPECT_FALSE(is_stub_of(stub, {"add_one", "add_eight"})) << "a stub must stub every task of the file";
  EXPECT_FALSE(is_stub_of(stub, {})) << "no tasks, nothing to recognize";
}

TEST(Process, CapturesOutputAndExitCode) {
  const ProcessResult ok = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(ok.exit_code, 3);
  EXPECT_EQ(ok.output, "out\nerr\n") << "stdout and stderr both reach the learner";
  EXPECT_FALSE(ok.ok());
  EXPECT_TRUE(run_process({"true"}).ok());
}

TEST(Process, StopsAProgramAtTheTimeLimit) {
  const ProcessResult slow = run_process({"sleep", "30"}, std::chrono::seconds(1));
  EXPECT_TRUE(slow.timed_out) << "an endless loop in the learner's code must not hang the runner";
  EXPECT_FALSE(slow.ok());
  EXPECT_EQ(run_process({"minillm-no-such-program"}).exit_code, 127);
}

}  // namespace
}  // namespace minillm::practice
