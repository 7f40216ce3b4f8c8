// Reading gtest's output: real output from tests/fixtures/practice/gtest/ (make_outputs.sh made it).
#include <gtest/gtest.h>

#include "io/atomic_file.hpp"
#include "practice/gtest_output.hpp"
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
                                      "Crash.Segfault"}));
  EXPECT_EQ(parse_gtest_list("Sizes/Param.  # TypeParam = int\n  Works/0  # GetParam() = 1\n"),
            (std::vector<std::string>{"Sizes/Param.Works/0"}))
      << "parameter comments after '  #' are dropped";
}

TEST(GtestFilter, MatchesLikeGtest) {
  EXPECT_TRUE(gtest_filter_matches("CountPairs.*", "CountPairs.Overlaps"));
  EXPECT_FALSE(gtest_filter_matches("CountPairs.*", "MergePair.Overlaps"));
  EXPECT_FALSE(gtest_filter_matches("CountPairs.*", "CountPairsExtra.X")) << "the '.' must match literally";
  EXPECT_TRUE(gtest_filter_matches("A.*:B.*", "B.x")) << "':' separates alternatives";
  EXPECT_TRUE(gtest_filter_matches("A.?", "A.x"));
  EXPECT_FALSE(gtest_filter_matches("A.?", "A.xy")) << "'?' is exactly one character";
  EXPECT_FALSE(gtest_filter_matches("A.*-A.Slow*", "A.SlowOne")) << "after '-' come exclusions";
  EXPECT_TRUE(gtest_filter_matches("A.*-A.Slow*", "A.Fast"));
  EXPECT_TRUE(gtest_filter_matches("-A.*", "B.x")) << "only exclusions: everything else is selected";
  EXPECT_TRUE(gtest_filter_matches("*a*b*", "xxaxxbxx"));
  EXPECT_FALSE(gtest_filter_matches("*a*b", "xxaxxbxx"));
}

}  // namespace
}  // namespace minillm::practice
