// Reading gtest's output: real output from tests/fixtures/practice/gtest/ (make_outputs.sh made it).
#include <cstdlib>

#include <gtest/gtest.h>

#include "io/atomic_file.hpp"
#include "core/error.hpp"
#include "practice/gtest_output.hpp"
#include "practice/process.hpp"
#include "temp_dir.hpp"

namespace minillm::practice {
namespace {

std::string sample(const std::string& name) { return read_file(testing::fixture("gtest/" + name)); }

TEST(GtestOutput, SeparatesPassedAndFailedTests) {
  const GtestRun run = parse_gtest_output(sample("failures.txt"));
  EXPECT_EQ(run.tests_run(), 3);
  EXPECT_EQ(run.passed, (std::vector<std::string>{"CountPairs.Passes"}));
  ASSERT_EQ(run.failed.size(), 2u);
  EXPECT_EQ(run.failed[0].name, "CountPairs.CountsEveryAdjacentPair");
  EXPECT_EQ(run.failed[1].name, "MergePair.Stub");
  EXPECT_FALSE(run.failed[0].crashed);
}

TEST(GtestOutput, KeepsEachAssertionsMessageAndPlace) {
  const FailedTest test = parse_gtest_output(sample("failures.txt")).failed.at(0);
  ASSERT_EQ(test.failures.size(), 2u) << "two assertions failed in this test";
  EXPECT_EQ(test.where[0], "sample_test.cpp:5");
  EXPECT_NE(test.failures[0].find("Which is: 2"), std::string::npos) << test.failures[0];
  EXPECT_NE(test.failures[0].find("(1, 2) occurs at positions 0 and 3"), std::string::npos)
      << "the test's own words (after <<) are part of the message";
  EXPECT_EQ(test.failures[0].find("Failure"), std::string::npos) << "the 'file:line: Failure' line is not repeated";
  EXPECT_NE(test.failures[1].find("an empty sequence has no pairs"), std::string::npos);
  EXPECT_EQ(test.failures[1].find("[  FAILED  ]"), std::string::npos) << "the message stops at the result line";
  EXPECT_FALSE(test.not_implemented);
}

TEST(GtestOutput, RecognizesTheStub) {
  const FailedTest test = parse_gtest_output(sample("failures.txt")).failed.at(1);
  EXPECT_TRUE(test.not_implemented) << "the stub's NotImplemented says 'not implemented yet'";
  EXPECT_EQ(test.where.at(0), "") << "'unknown file: Failure' has no place";
}

TEST(GtestOutput, ATestThatNeverFinishedCrashed) {
  const GtestRun run = parse_gtest_output(sample("crash.txt"));
  ASSERT_FALSE(run.failed.empty());
  EXPECT_EQ(run.failed.back().name, "Crash.Segfault");
  EXPECT_TRUE(run.failed.back().crashed) << "the output ends after [ RUN ] Crash.Segfault";
  EXPECT_EQ(run.tests_run(), 4);
}

TEST(GtestOutput, ASkippedTestIsNotAPass) {
  const GtestRun run = parse_gtest_output(
      "[ RUN      ] Cosine.Works\n[       OK ] Cosine.Works (0 ms)\n"
      "[ RUN      ] Cosine.Later\ntest_tasks.cpp:9: Skipped\n\n[  SKIPPED ] Cosine.Later (0 ms)\n");
  EXPECT_EQ(run.passed, (std::vector<std::string>{"Cosine.Works"}));
  ASSERT_EQ(run.failed.size(), 1u) << "a skipped test checks nothing: neither a done task nor a passing solution";
  EXPECT_EQ(run.failed[0].name, "Cosine.Later");
  EXPECT_TRUE(run.failed[0].skipped);
  EXPECT_NE(run.failed[0].failures.at(0).find("skipped"), std::string::npos);
}

TEST(GtestOutput, EmptyOutputHasNoTests) { EXPECT_EQ(parse_gtest_output("").tests_run(), 0); }

TEST(GtestList, ReadsFullNames) {
  EXPECT_EQ(parse_gtest_list(sample("list.txt")),
            (std::vector<std::string>{"CountPairs.CountsEveryAdjacentPair", "CountPairs.Passes", "MergePair.Stub",
                                      "Crash.Segfault"}));  // (list.txt leaves out Later.*)
  EXPECT_EQ(parse_gtest_list("Sizes/Param.  # TypeParam = int\n  Works/0  # GetParam() = 1\n"),
            (std::vector<std::string>{"Sizes/Param.Works/0"}))
      << "parameter comments after '  #' are dropped";
}

// gtest's own JSON report of the same sample (failures.json, from make_outputs.sh), plus a skipped test.
TEST(GtestJson, ReadsPassedFailedAndSkippedTests) {
  const GtestRun run = parse_gtest_json(sample("failures.json"));
  EXPECT_EQ(run.tests_run(), 4);
  EXPECT_EQ(run.passed, (std::vector<std::string>{"CountPairs.Passes"}));
  ASSERT_EQ(run.failed.size(), 3u);
  EXPECT_EQ(run.failed[0].name, "CountPairs.CountsEveryAdjacentPair");
  EXPECT_EQ(run.failed[1].name, "MergePair.Stub");
  EXPECT_EQ(run.failed[2].name, "Later.Skips");
  EXPECT_TRUE(run.failed[2].skipped) << "a skipped test checks nothing: neither a done task nor a passing solution";
}

TEST(GtestJson, KeepsEachAssertionsMessageAndPlace) {
  const GtestRun run = parse_gtest_json(sample("failures.json"));
  const FailedTest& test = run.failed.at(0);
  ASSERT_EQ(test.failures.size(), 2u);
  EXPECT_EQ(test.where[0], "sample_test.cpp:5");
  EXPECT_NE(test.failures[0].find("Which is: 2"), std::string::npos) << test.failures[0];
  EXPECT_NE(test.failures[0].find("(1, 2) occurs at positions 0 and 3"), std::string::npos);
  EXPECT_EQ(test.failures[0].find("sample_test.cpp"), std::string::npos) << "the place is not repeated in the message";
  EXPECT_FALSE(test.not_implemented);
  EXPECT_TRUE(run.failed.at(1).not_implemented) << "the stub's 'not implemented yet'";
  EXPECT_EQ(run.failed.at(1).where.at(0), "") << "'unknown file' has no place";
}

TEST(GtestJson, ANonReportIsAClearError) {
  EXPECT_THROW(parse_gtest_json("[ RUN      ] A.B"), Error);
}

// What RunGtest runs in a child process to see a crash: disabled, so it never runs in the suite itself.
TEST(CrashOnPurpose, DISABLED_Aborts) { std::abort(); }

// The runner on this very binary: the JSON report when it exits, the console when it dies before writing it.
TEST(RunGtest, ReadsTheReportAndFallsBackToTheConsoleOnACrash) {
  const std::filesystem::path binary = std::filesystem::path(MINILLM_BINARY_DIR) / "tests" / "unit_practice";
  ProcessResult process;
  const GtestRun ok = run_gtest(binary, "GtestList.*", std::chrono::seconds(60), process);
  EXPECT_EQ(ok.passed, (std::vector<std::string>{"GtestList.ReadsFullNames"}));
  EXPECT_TRUE(ok.failed.empty());
  EXPECT_EQ(list_gtest_tests(binary, "GtestJson.*:RunGtest.*", std::chrono::seconds(60)).size(), 4u)
      << "gtest's own filter selects the tests";
  ::setenv("GTEST_ALSO_RUN_DISABLED_TESTS", "1", 1);  // the child inherits it (gtest reads its flags from GTEST_*)
  const GtestRun crashed = run_gtest(binary, "CrashOnPurpose.*", std::chrono::seconds(60), process);
  ::unsetenv("GTEST_ALSO_RUN_DISABLED_TESTS");
  EXPECT_FALSE(process.ok());
  ASSERT_EQ(crashed.failed.size(), 1u);
  EXPECT_EQ(crashed.failed[0].name, "CrashOnPurpose.DISABLED_Aborts");
  EXPECT_TRUE(crashed.failed[0].crashed) << "no report was written, so the console says it never finished";
}

}  // namespace
}  // namespace minillm::practice
