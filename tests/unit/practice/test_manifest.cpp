// Manifest parsing: a good manifest reads as written; every bad one is an Error naming the field.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "practice/manifest.hpp"
#include "temp_dir.hpp"

namespace minillm::practice {
namespace {

constexpr const char* kGood = R"({
  "chapter": "07",
  "title": "Seven",
  "tasks": [
    {"name": "first", "file": "tasks.cpp", "goal": "Do one thing.", "tests": "First.*", "hints": ["a", "b"]},
    {"name": "second", "file": "more.cpp", "goal": "Do another.", "tests": "Second.*:Third.X", "hints": ["c"]}
  ]
})";

// The Error message of parse_manifest(text), or "" when it parsed.
std::string error_of(const std::string& text) {
  try {
    parse_manifest(text, "m.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Manifest, ReadsTasksInOrder) {
  const Manifest m = parse_manifest(kGood, "m.json");
  EXPECT_EQ(m.chapter, "07");
  EXPECT_EQ(m.title, "Seven");
  ASSERT_EQ(m.tasks.size(), 2u);
  EXPECT_EQ(m.tasks[0].name, "first") << "tasks keep the manifest's order";
  EXPECT_EQ(m.tasks[1].file, "more.cpp");
  EXPECT_EQ(m.tasks[1].tests, "Second.*:Third.X");
  EXPECT_EQ(m.tasks[0].hints, (std::vector<std::string>{"a", "b"}));
}

TEST(Manifest, ErrorsNameTheField) {
  EXPECT_NE(error_of("{not json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(R"({"title": "t", "tasks": []})").find("chapter is missing"), std::string::npos);
  EXPECT_NE(error_of(R"({"chapter": 7, "title": "t"})").find("chapter must be a string"), std::string::npos);
  EXPECT_NE(error_of(R"({"chapter": "7", "title": "t"})").find("two digits"), std::string::npos);
  EXPECT_NE(error_of(R"({"chapter": "07", "title": ""})").find("title is empty"), std::string::npos);
  EXPECT_NE(error_of(R"({"chapter": "07", "title": "t"})").find("tasks is missing"), std::string::npos);
  EXPECT_NE(error_of(R"({"chapter": "07", "title": "t", "tasks": []})").find("non-empty list"), std::string::npos);

  const std::string no_tests = R"({"chapter": "07", "title": "t", "tasks": [
      {"name": "a", "file": "tasks.cpp", "goal": "g", "tests": "A.*", "hints": ["h"]},
      {"name": "b", "file": "tasks.cpp", "goal": "g", "hints": ["h"]}]})";
  EXPECT_NE(error_of(no_tests).find("m.json: tasks[1].tests is missing"), std::string::npos)
      << "the message names the file and the field: " << error_of(no_tests);
}

TEST(Manifest, RejectsBadTaskValues) {
  const auto task = [](const std::string& fields) {
    return error_of(R"({"chapter": "07", "title": "t", "tasks": [{)" + fields + "}]}");
  };
  const std::string good = R"("goal": "g", "tests": "A.*", "hints": ["h"])";
  EXPECT_NE(task(R"("name": "two words", "file": "tasks.cpp", )" + good).find("tasks[0].name"), std::string::npos);
  EXPECT_NE(task(R"("name": "a", "file": "test_tasks.cpp", )" + good).find("tasks[0].file"), std::string::npos)
      << "the learner's file cannot be a test file";
  EXPECT_NE(task(R"("name": "a", "file": "sub/tasks.cpp", )" + good).find("tasks[0].file"), std::string::npos);
  EXPECT_NE(task(R"("name": "a", "file": "tasks.cpp", "goal": "g", "tests": "A.*", "hints": [])").find("tasks[0].hints"),
            std::string::npos)
      << "every task has at least one hint";
  EXPECT_NE(task(R"("name": "a", "file": "tasks.cpp", "goal": "g", "tests": "A.*", "hints": [3])").find("hints[0]"),
            std::string::npos);
  const std::string twice = R"({"chapter": "07", "title": "t", "tasks": [
      {"name": "a", "file": "tasks.cpp", "goal": "g", "tests": "A.*", "hints": ["h"]},
      {"name": "a", "file": "tasks.cpp", "goal": "g", "tests": "B.*", "hints": ["h"]}]})";
  EXPECT_NE(error_of(twice).find("tasks[1].name \"a\" is used by an earlier task"), std::string::npos);
}

TEST(Manifest, LoadsTheFixtureFromDisk) {
  const Manifest m = load_manifest(testing::fixture("root/chapters/90_fake/practice/manifest.json"));
  EXPECT_EQ(m.chapter, "90");
  ASSERT_EQ(m.tasks.size(), 7u);
  EXPECT_EQ(m.tasks[0].name, "add_one");
  EXPECT_EQ(m.tasks[4].tests, "AddFive.*");
  EXPECT_EQ(m.tasks[6].tests, "AddSeven.*");
  EXPECT_THROW(load_manifest(testing::fixture("no/such/manifest.json")), Error) << "a missing file is an Error";
}

}  // namespace
}  // namespace minillm::practice
