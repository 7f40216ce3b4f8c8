// The CI check on the fixture chapter (seven tasks, add_one .. add_seven, filters AddOne.* ...), with small shell scripts standing
// in for the gtest binaries so each defect can be staged exactly.
#include <gtest/gtest.h>

#include <filesystem>

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "practice/check.hpp"
#include "temp_dir.hpp"

namespace minillm::practice {
namespace {

namespace fs = std::filesystem;

// The fixture chapter's seven tasks, add_one .. add_seven, one test each (AddOne.AddsOne, ...). The fake
// binaries below list the tests of the suite a "Suite.*" filter names (as gtest's --gtest_list_tests
// --gtest_filter does), and for a test run ignore the filter and print every test, as a binary whose tests
// all pass or all fail; they write no JSON report, so the check reads their console output.
struct FixtureTest {
  const char* name;  // "AddOne.AddsOne"
  const char* task;  // "add_one"
};
constexpr FixtureTest kTests[] = {{"AddOne.AddsOne", "add_one"},
                                  {"AddTwo.AddsTwo", "add_two"},
                                  {"AddThree.AddsThree", "add_three"},
                                  {"AddFour.AddsFour", "add_four"},
                                  {"AddFive.AddsFive", "add_five"},
                                  {"AddSix.AddsSix", "add_six"},
                                  {"AddSeven.AddsSeven", "add_seven"}};

// What --gtest_list_tests prints: "AddOne.\n  AddsOne\n..." (escaped for printf).
std::string listing() {
  std::string text;
  for (const FixtureTest& test : kTests) {
    const std::string name = test.name;
    text += name.substr(0, name.find('.') + 1) + "\\n  " + name.substr(name.find('.') + 1) + "\\n";
  }
  return text;
}

std::string all_pass() {
  std::string run;
  for (const FixtureTest& test : kTests)
    run += fmt::format("echo '[ RUN      ] {0}'; echo '[       OK ] {0} (0 ms)';", test.name);
  return run + "exit 0";
}

std::string all_fail() {
  std::string run;
  for (const FixtureTest& test : kTests)
    run += fmt::format("echo '[ RUN      ] {0}'; echo 'unknown file: Failure'; echo 'not implemented yet: {1}';"
                       "echo '[  FAILED  ] {0} (0 ms)';",
                       test.name, test.task);
  return run + "exit 1";
}

constexpr const char* kNoTests = "echo '[==========] 0 tests from 0 test suites ran.'; exit 0";

// A fake gtest binary: `tests` is what --gtest_list_tests prints, `run` the shell code for a test run.
void fake_binary(const fs::path& path, const std::string& tests, const std::string& run) {
  const std::string list =
      "filter='*'\nfor a in \"$@\"; do case \"$a\" in --gtest_filter=*) filter=\"${a#--gtest_filter=}\";; esac; done\n"
      "printf '" + tests + "' | awk -v f=\"$filter\" 'BEGIN { s = f; sub(/\\*$/, \"\", s) } "
      "/^[^ ]/ { keep = (f == \"*\" || $0 == s) } keep'\n";
  write_file_atomically(path, "#!/bin/sh\ncase \"$*\" in *--gtest_list_tests*)\n" + list + "exit 0;; esac\n" + run + "\n");
  fs::permissions(path, fs::perms::owner_all);
}

struct FakeBuild {
  testing::TempDir dir;
  void binaries(const std::string& tests, const std::string& stubs_run, const std::string& solutions_run) {
    fs::create_directories(dir.path() / "practice");
    fake_binary(dir.path() / "practice/ch90_practice_stubs", tests, stubs_run);
    fake_binary(dir.path() / "practice/ch90_practice", tests, solutions_run);
  }
  CheckSummary check() const { return check_practice(testing::fixture("root"), dir.path()); }
};

std::string defects(const CheckSummary& summary) {
  std::string text;
  for (const std::string& line : summary.defects) text += line + "\n";
  return text;
}

TEST(PracticeCheck, AGoodChapterPasses) {
  FakeBuild build;
  build.binaries(listing(), all_fail(), all_pass());
  const CheckSummary summary = build.check();
  EXPECT_TRUE(summary.defects.empty()) << defects(summary);
  EXPECT_EQ(summary_line(summary), "practice: 7 tasks, 7 fail on stubs, 7 pass on solutions");
}

TEST(PracticeCheck, ATestPassingOnTheStubIsADefect) {
  FakeBuild build;
  build.binaries(listing(), all_pass(), all_pass());
  const CheckSummary summary = build.check();
  EXPECT_NE(defects(summary).find("AddOne.AddsOne passes on the untouched stub"), std::string::npos) << defects(summary);
  EXPECT_EQ(summary.fail_on_stubs, 0);
}

TEST(PracticeCheck, AFailingSolutionIsADefect) {
  FakeBuild build;
  build.binaries(listing(), all_fail(), all_fail());
  const CheckSummary summary = build.check();
  EXPECT_NE(defects(summary).find("AddOne.AddsOne fails on the solution: not implemented yet"), std::string::npos)
      << defects(summary);
  EXPECT_EQ(summary.pass_on_solutions, 0);
}

TEST(PracticeCheck, AFilterSelectingNothingAndOrphanTestsAreDefects) {
  FakeBuild build;
  build.binaries("Other.\\n  Test\\n", kNoTests, kNoTests);
  const std::string text = defects(build.check());
  EXPECT_NE(text.find("ch90 add_one (filter AddOne.*): the filter selects no test"), std::string::npos) << text;
  EXPECT_NE(text.find("the test Other.Test belongs to no task"), std::string::npos) << text;
}

TEST(PracticeCheck, MissingStubsBinariesExplainTheSetting) {
  testing::TempDir empty_build;
  try {
    check_practice(testing::fixture("root"), empty_build.path());
    FAIL() << "without the stubs binaries the check cannot prove anything";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("MINILLM_PRACTICE_STUBS_ROOT"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace minillm::practice
