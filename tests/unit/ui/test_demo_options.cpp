// The chapter demos' options (ui/usage.hpp): read by CLI11, errors in the course's one-line words.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "ui/usage.hpp"

namespace minillm::ui {
namespace {

// argv for `args` (argv[0] is the program).
struct Argv {
  std::vector<std::string> words;
  std::vector<char*> pointers;
  explicit Argv(std::vector<std::string> args) : words(std::move(args)) {
    words.insert(words.begin(), "chNN_demo");
    for (std::string& w : words) pointers.push_back(w.data());
  }
  int argc() { return static_cast<int>(pointers.size()); }
  char** argv() { return pointers.data(); }
};

std::string error_of(std::vector<std::string> args) {
  bool smoke = false;
  std::string out;
  Argv a(std::move(args));
  try {
    DemoOptions().flag("--smoke", smoke).value("--out", out, "DIR").parse(a.argc(), a.argv());
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(DemoOptions, ReadsFlagsAndValuesInAnyOrder) {
  bool smoke = false;
  std::string out;
  Argv a({"--out", "data/out/x", "--smoke"});
  DemoOptions().flag("--smoke", smoke).value("--out", out, "DIR").parse(a.argc(), a.argv());
  EXPECT_TRUE(smoke);
  EXPECT_EQ(out, "data/out/x");
}

TEST(DemoOptions, AnUnknownOptionOrAMissingValueIsOneClearLine) {
  EXPECT_EQ(error_of({"--fast"}), "unknown option '--fast'; use --smoke, --out DIR (--help says more)");
  EXPECT_EQ(error_of({"--out"}), "--out needs a value after it, e.g. --out DIR");
  EXPECT_EQ(error_of({"--smoke"}), "(no error)");
}

}  // namespace
}  // namespace minillm::ui
