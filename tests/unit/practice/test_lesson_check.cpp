// The lesson checker on the fixture chapter (tests/fixtures/practice/root/chapters/90_fake) and on copies of
// it that the tests break on purpose.
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "practice/lesson_check.hpp"
#include "temp_dir.hpp"

namespace minillm::practice {
namespace {

namespace fs = std::filesystem;

// A writable copy of the fixture repository root, for tests that break it.
struct FixtureCopy {
  testing::TempDir dir;
  FixtureCopy() { fs::copy(testing::fixture("root"), dir.path(), fs::copy_options::recursive); }
  fs::path readme() const { return dir.path() / "chapters/90_fake/README.md"; }
  void replace_in(const fs::path& file, const std::string& from, const std::string& to) const {
    std::string text = read_file(file);
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << "the fixture no longer contains: " << from;
    text.replace(at, from.size(), to);
    write_file_atomically(file, text);
  }
};

std::string all_messages(const LessonCheck& check) {
  std::string text;
  for (const LessonProblem& problem : check.problems) text += to_string(problem) + "\n";
  return text;
}

TEST(LessonCheck, TheFixtureChapterIsClean) {
  const LessonCheck check = check_chapter(testing::fixture("root"), "90_fake", false);
  EXPECT_TRUE(check.problems.empty()) << all_messages(check);
  EXPECT_EQ(check.quotes, 1) << "the fixture quotes src/fake/fake.cpp add_one once";
}

TEST(LessonCheck, FindsChapterFolders) {
  EXPECT_EQ(chapter_dirs(testing::fixture("root")), (std::vector<std::string>{"90_fake"}));
}

TEST(LessonCheck, HeadingsCompareLoosely) {
  EXPECT_EQ(normalize_heading("Architecture \\& Workflow  Diagram "), "architecture & workflow diagram");
  EXPECT_EQ(normalize_heading("code example"), normalize_heading("Code Example"));
}

TEST(LessonCheck, ReadsTheRegionBetweenMarkers) {
  const std::string source = "a\n  // lesson: r\n  x;\n\n  y;\n  // end lesson: r\nb\n";
  EXPECT_EQ(lesson_region(source, "r"), (std::vector<std::string>{"  x;", "", "  y;"}))
      << "indented markers count; the lines between them are kept as they are";
  EXPECT_FALSE(lesson_region(source, "other").has_value());
  EXPECT_THROW(lesson_region("// lesson: r\nx;\n", "r"), Error) << "a region without its end marker is an error";
}

TEST(LessonCheck, ReportsADriftedQuoteAndRefreshRepairsIt) {
  FixtureCopy copy;
  copy.replace_in(copy.readme(), "  return x + 1;  // the region", "  return x + 2;  // the region");
  const LessonCheck drifted = check_chapter(copy.dir.path(), "90_fake", false);
  ASSERT_EQ(drifted.problems.size(), 1u) << all_messages(drifted);
  const LessonProblem& problem = drifted.problems[0];
  EXPECT_TRUE(problem.drifted_quote);
  EXPECT_EQ(problem.file, "chapters/90_fake/README.md");
  EXPECT_EQ(problem.line, 28) << "the line of the first differing quoted line";
  EXPECT_NE(problem.message.find("return x + 2;"), std::string::npos) << problem.message;
  EXPECT_NE(problem.message.find("./run lessons --refresh"), std::string::npos) << "the message says how to fix it";

  const LessonCheck refreshed = check_chapter(copy.dir.path(), "90_fake", true);
  EXPECT_EQ(refreshed.refreshed, 1);
  EXPECT_TRUE(refreshed.problems.empty()) << all_messages(refreshed);
  EXPECT_EQ(read_file(copy.readme()), read_file(testing::fixture("root/chapters/90_fake/README.md")))
      << "after --refresh the lesson is byte for byte the original";
  EXPECT_TRUE(check_chapter(copy.dir.path(), "90_fake", false).problems.empty());
}

TEST(LessonCheck, RefreshFollowsAChangedSource) {
  FixtureCopy copy;
  const fs::path source = copy.dir.path() / "src/fake/fake.cpp";
  copy.replace_in(source, "  return x + 1;", "  const int one = 1;\n  return x + one;");
  EXPECT_EQ(check_chapter(copy.dir.path(), "90_fake", false).problems.size(), 1u) << "the source moved on";
  EXPECT_EQ(check_chapter(copy.dir.path(), "90_fake", true).refreshed, 1);
  EXPECT_NE(read_file(copy.readme()).find("  const int one = 1;\n  return x + one;"), std::string::npos)
      << "the quote now has the source's new lines, longer than before";
  EXPECT_TRUE(check_chapter(copy.dir.path(), "90_fake", false).problems.empty());
}

TEST(LessonCheck, AMissingRegionOrFileNamesTheLessonLine) {
  FixtureCopy copy;
  copy.replace_in(copy.readme(), "fake.cpp add_one -->", "fake.cpp add_two -->");
  const LessonCheck no_region = check_chapter(copy.dir.path(), "90_fake", true);
  ASSERT_EQ(no_region.problems.size(), 1u) << all_messages(no_region);
  EXPECT_EQ(no_region.problems[0].line, 25) << "the line of the quote marker";
  EXPECT_NE(no_region.problems[0].message.find("// lesson: add_two"), std::string::npos)
      << "the message shows the marker to add: " << no_region.problems[0].message;

  copy.replace_in(copy.readme(), "src/fake/fake.cpp add_two", "src/fake/gone.cpp add_one");
  const LessonCheck no_file = check_chapter(copy.dir.path(), "90_fake", false);
  ASSERT_EQ(no_file.problems.size(), 1u);
  EXPECT_NE(no_file.problems[0].message.find("src/fake/gone.cpp, which does not exist"), std::string::npos);
}

TEST(LessonCheck, SectionsMustAllBeThereInOrder) {
  FixtureCopy copy;
  copy.replace_in(copy.readme(), "### Analogy\n", "");
  copy.replace_in(copy.readme(), "### Best Practices", "### Best Practise");
  const LessonCheck check = check_chapter(copy.dir.path(), "90_fake", false);
  const std::string messages = all_messages(check);
  EXPECT_NE(messages.find("section \"### Analogy\" is missing: add it before \"### Architecture \\& Workflow "
                          "Diagram\""),
            std::string::npos)
      << messages;
  EXPECT_NE(messages.find("\"### Best Practise\" is not one of the lesson's sections"), std::string::npos) << messages;
  EXPECT_NE(messages.find("section \"### Best Practices\" is missing"), std::string::npos)
      << "a misspelled section also counts as missing: " << messages;
  EXPECT_EQ(messages.find("Not A Section"), std::string::npos) << "headings inside code blocks are code";

  FixtureCopy swapped;
  swapped.replace_in(swapped.readme(), "### Key Takeaways", "### Why It Matters");
  EXPECT_NE(all_messages(check_chapter(swapped.dir.path(), "90_fake", false)).find("out of order or repeated"),
            std::string::npos);
}

TEST(LessonCheck, PracticeTimeAndRealWorldTipCloseEveryLesson) {
  FixtureCopy missing;
  missing.replace_in(missing.readme(), "### Practice Time\n", "#### Practice Time\n");
  missing.replace_in(missing.readme(), "### Real-World Tip\n", "#### Real-World Tip\n");
  const std::string messages = all_messages(check_chapter(missing.dir.path(), "90_fake", false));
  EXPECT_NE(messages.find("section \"### Practice Time\" is missing: add it at the end"), std::string::npos)
      << "the seed's thirteenth section is required: " << messages;
  EXPECT_NE(messages.find("section \"### Real-World Tip\" is missing: add it at the end"), std::string::npos)
      << "the seed's fourteenth section is required: " << messages;

  FixtureCopy swapped;
  swapped.replace_in(swapped.readme(), "### Practice Time\n", "### Real-World Tip first\n");
  swapped.replace_in(swapped.readme(), "### Real-World Tip\n", "### Practice Time\n");
  swapped.replace_in(swapped.readme(), "### Real-World Tip first\n", "### Real-World Tip\n");
  const std::string swapped_messages = all_messages(check_chapter(swapped.dir.path(), "90_fake", false));
  EXPECT_NE(swapped_messages.find("section \"### Practice Time\" is missing: add it before \"### Real-World Tip\""),
            std::string::npos)
      << "Real-World Tip comes last: " << swapped_messages;
  EXPECT_NE(swapped_messages.find("\"### Practice Time\" is out of order or repeated"), std::string::npos)
      << swapped_messages;
}

TEST(LessonCheck, TheChapterNeedsItsFiles) {
  FixtureCopy copy;
  const fs::path chapter = copy.dir.path() / "chapters/90_fake";
  fs::remove(chapter / "demo.cpp");
  fs::remove(chapter / "practice/test_tasks.cpp");
  copy.replace_in(chapter / "practice/manifest.json", "\"90\"", "\"89\"");
  const std::string messages = all_messages(check_chapter(copy.dir.path(), "90_fake", false));
  EXPECT_NE(messages.find("chapters/90_fake/demo.cpp: missing"), std::string::npos) << messages;
  EXPECT_NE(messages.find("has no test_*.cpp"), std::string::npos) << messages;
  EXPECT_NE(messages.find("\"chapter\" is \"89\" but the folder is 90_fake"), std::string::npos) << messages;
}

TEST(LessonCheck, ASolutionMustStillCompileWhenCopiedOverTheLearnersFile) {
  FixtureCopy copy;
  const fs::path solution = copy.dir.path() / "chapters/90_fake/practice/solution/tasks.cpp";
  copy.replace_in(solution, "#include \"tasks.hpp\"", "#include \"../tasks.hpp\"");
  const std::string messages = all_messages(check_chapter(copy.dir.path(), "90_fake", false));
  EXPECT_NE(messages.find("practice/solution/tasks.cpp: includes a header by a \"../\" path"), std::string::npos)
      << messages;
}

TEST(LessonCheck, TheBrokenFixtureFailsWithoutSections) {
  const LessonCheck check = check_chapter(testing::fixture("broken"), "91_broken", false);
  const std::string messages = all_messages(check);
  EXPECT_NE(messages.find("must start with a `## Title`"), std::string::npos) << messages;
  EXPECT_NE(messages.find("has none of the lesson's fourteen sections"), std::string::npos) << messages;
  EXPECT_NE(messages.find("chapters/91_broken/README.md:3: the quote marker names src/fake/fake.cpp"),
            std::string::npos)
      << messages;
  EXPECT_NE(messages.find("practice/manifest.json: missing"), std::string::npos) << messages;
}

TEST(LessonCheck, AChapterNeedsAtLeastSevenTasks) {
  // The fixture has exactly seven (add_one .. add_seven): the fewest allowed. Drop the last one.
  FixtureCopy copy;
  const fs::path manifest = copy.dir.path() / "chapters/90_fake/practice/manifest.json";
  std::string text = read_file(manifest);
  const size_t last = text.rfind(",\n    {");
  ASSERT_NE(last, std::string::npos) << "the fixture manifest no longer lists its tasks one per block";
  text = text.substr(0, last) + "\n  ]\n}\n";
  write_file_atomically(manifest, text);
  const std::string messages = all_messages(check_chapter(copy.dir.path(), "90_fake", false));
  EXPECT_NE(messages.find("practice/manifest.json: has 6 task(s); a chapter needs at least 7"), std::string::npos)
      << messages;
}

TEST(LessonCheck, RecognisesCodeInAHint) {
  // Prose and maths pass: a nudge may name shapes and write formulas.
  EXPECT_EQ(code_in_hint("Row-major: the last index moves fastest; one row down skips cols floats."), "");
  EXPECT_EQ(code_in_hint("out(i, j) is the sum over p of a(i, p) * b(p, j), shapes [B, T, C]."), "");
  EXPECT_EQ(code_in_hint("d/dx of -log σ(x) is σ(x) - 1, and the gradient of x is 2x."), "");
  // C++ does not.
  EXPECT_EQ(code_in_hint("Use `std::max` here."), "`");
  EXPECT_EQ(code_in_hint("Row r starts at table[r * C]."), "table[");
  EXPECT_EQ(code_in_hint("Then dbias += dout."), "+=");
  EXPECT_EQ(code_in_hint("Loop with for (i = 0; ...)."), "for (");
  EXPECT_EQ(code_in_hint("Call std::sqrt on it."), "::");
  EXPECT_EQ(code_in_hint("Keep a float sum = 0 first"), "float sum =");
  EXPECT_EQ(code_in_hint("Start with m = 0; then add."), "m = 0;");
  EXPECT_EQ(code_in_hint("Finish with return x + 1;"), "return x + 1;");
}

TEST(LessonCheck, TheFirstHintMustBeANudgeNotCode) {
  FixtureCopy copy;
  copy.replace_in(copy.dir.path() / "chapters/90_fake/practice/manifest.json", "\"One more than x.\"",
                  "\"return x + 1;\"");
  const std::string messages = all_messages(check_chapter(copy.dir.path(), "90_fake", false));
  EXPECT_NE(messages.find("task add_one: the first hint contains code (\"return x + 1;\")"), std::string::npos)
      << messages;
}

}  // namespace
}  // namespace minillm::practice
