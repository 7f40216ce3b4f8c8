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

// A number option read, range-checked and stored; errors name the option, the text and what is usable.
std::string number_error(std::vector<std::string> args, int64_t* steps_out = nullptr, double* minutes_out = nullptr) {
  int64_t steps = 7;
  double minutes = 5.0;
  Argv a(std::move(args));
  DemoOptions options;
  try {
    options.number("--steps", steps, 1, 1000, "a whole number from 1 to 1000")
        .number("--minutes", minutes, 1e-3, 60.0, "a positive number of minutes, e.g. 5")
        .parse(a.argc(), a.argv());
  } catch (const Error& e) {
    return e.what();
  }
  if (steps_out) *steps_out = steps;
  if (minutes_out) *minutes_out = minutes;
  return options.given("--steps") ? "(given)" : "(not given)";
}

TEST(DemoOptions, NumbersAreReadAndCheckedAgainstTheirRange) {
  int64_t steps = 0;
  double minutes = 0;
  EXPECT_EQ(number_error({"--steps", "12", "--minutes", "0.5"}, &steps, &minutes), "(given)");
  EXPECT_EQ(steps, 12);
  EXPECT_EQ(minutes, 0.5);
  EXPECT_EQ(number_error({}, &steps, &minutes), "(not given)") << "unset numbers keep their defaults";
  EXPECT_EQ(steps, 7);
  EXPECT_EQ(minutes, 5.0);
  EXPECT_EQ(number_error({"--steps", "0"}), "--steps 0 is not usable: give a whole number from 1 to 1000");
  EXPECT_EQ(number_error({"--steps", "12abc"}), "--steps 12abc is not usable: give a whole number from 1 to 1000");
  EXPECT_EQ(number_error({"--steps", "1.5"}), "--steps 1.5 is not usable: give a whole number from 1 to 1000");
  EXPECT_EQ(number_error({"--minutes", "zero"}),
            "--minutes zero is not usable: give a positive number of minutes, e.g. 5");
  EXPECT_EQ(number_error({"--minutes"}), "--minutes needs a value after it, e.g. --minutes 5");
  EXPECT_EQ(number_error({"--steps"}), "--steps needs a value after it, e.g. --steps 7") << "the default as the example";
}

}  // namespace
}  // namespace minillm::ui
