#include <cmath>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "ui/progress.hpp"
#include "ui/terminal.hpp"

namespace minillm::ui {
namespace {

TEST(ProgressEstimate, RateAndTimeLeftFollowFromDoneAndElapsed) {
  const ProgressEstimate e = estimate_progress(50, 200, 10);
  EXPECT_DOUBLE_EQ(e.fraction, 0.25) << "50 of 200 is a quarter";
  EXPECT_DOUBLE_EQ(e.rate, 5.0) << "50 units in 10 s is 5 units/s";
  EXPECT_DOUBLE_EQ(e.seconds_left, 30.0) << "150 units left at 5 units/s take 30 s";
}

TEST(ProgressEstimate, UnknownBeforeAnythingIsDoneAndClampedPastTheEnd) {
  const ProgressEstimate start = estimate_progress(0, 100, 0);
  EXPECT_EQ(start.rate, 0.0) << "no rate before any time has passed";
  EXPECT_LT(start.seconds_left, 0.0) << "time left is unknown (-1) before anything is done";
  const ProgressEstimate over = estimate_progress(120, 100, 4);
  EXPECT_DOUBLE_EQ(over.fraction, 1.0) << "more than the total is shown as 100%, not 120%";
  EXPECT_DOUBLE_EQ(over.seconds_left, 0.0);
}

TEST(ProgressFormat, CountsUseThreeSignificantDigitsAndSuffixes) {
  EXPECT_EQ(format_count(950), "950");
  EXPECT_EQ(format_count(1500), "1500") << "whole numbers below 10000 are exact";
  EXPECT_EQ(format_count(1500.5), "1.50k");
  EXPECT_EQ(format_count(12345), "12.3k");
  EXPECT_EQ(format_count(123456), "123k");
  EXPECT_EQ(format_count(4.2e6), "4.20M");
  EXPECT_EQ(format_count(7.5e9), "7.50G");
  EXPECT_EQ(format_count(2.5), "2.50");
}

TEST(ProgressFormat, RatesBelowOnePerSecondAreShownAsSecondsPerUnit) {
  EXPECT_EQ(format_rate(12345, "tok"), "12.3k tok/s");
  EXPECT_EQ(format_rate(0.4, "steps"), "2.50 s/step") << "0.4 steps/s reads better as 2.5 seconds per step";
  EXPECT_EQ(format_rate(0, "steps"), "? steps/s");
}

TEST(ProgressFormat, ClockIsMinutesSecondsOrHours) {
  EXPECT_EQ(format_clock(7), "0:07");
  EXPECT_EQ(format_clock(125), "2:05");
  EXPECT_EQ(format_clock(3725), "1:02:05");
  EXPECT_EQ(format_clock(-1), "?") << "unknown time left";
}

TEST(ProgressFormat, LineShowsPercentBarCountsRateTimesAndMetrics) {
  const std::string line = format_progress_line("training", 250, 1000, "steps", 10, {{"loss", 3.21}}, 8);
  EXPECT_NE(line.find("training"), std::string::npos) << line;
  EXPECT_NE(line.find(" 25%"), std::string::npos) << line;
  EXPECT_NE(line.find("[##......]"), std::string::npos) << "a quarter of an 8-wide bar is 2 #: " << line;
  EXPECT_NE(line.find("250/1000 steps"), std::string::npos) << line;
  EXPECT_NE(line.find("25 steps/s"), std::string::npos) << line;
  EXPECT_NE(line.find("0:10 elapsed"), std::string::npos) << line;
  EXPECT_NE(line.find("0:30 left"), std::string::npos) << "750 steps at 25/s: " << line;
  EXPECT_NE(line.find("loss 3.2100"), std::string::npos) << "metrics with 4 fixed decimals: " << line;
  const std::string rates = format_progress_line("training", 1, 2, "steps", 1, {{"tok/s", 5328.4}, {"lr", 3e-5}});
  EXPECT_NE(rates.find("tok/s 5.33k"), std::string::npos) << "a thousand or more: 3 significant digits: " << rates;
  EXPECT_NE(rates.find("lr 3e-05"), std::string::npos) << "tiny values in %g: " << rates;
}

TEST(ProgressFormat, UnknownTotalShowsCountAndRateOnly) {
  const std::string line = format_progress_line("reading", 1500, 0, "lines", 3, {});
  EXPECT_EQ(line, "reading 1500 lines  500 lines/s  0:03 elapsed") << "no percentage or ETA without a total";
}

std::string read_all(std::FILE* f) {
  std::rewind(f);
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) out.append(buffer, n);
  return out;
}

TEST(ProgressBarLog, NotATerminalPrintsAboutEveryTenthNotEveryStep) {
  std::FILE* log = std::tmpfile();
  ASSERT_NE(log, nullptr);
  {
    ProgressBar bar("counting", 1000, "steps", log);
    for (int i = 1; i <= 1000; ++i) bar.update(i, {{"loss", 1.0 / i}});
    bar.finish();
  }
  const std::string text = read_all(log);
  std::fclose(log);
  int lines = 0;
  for (char c : text) lines += c == '\n';
  EXPECT_GE(lines, 10) << "a line every tenth of the way:\n" << text;
  EXPECT_LE(lines, 12) << "1000 updates must not print 1000 lines:\n" << text;
  EXPECT_NE(text.find("100%"), std::string::npos) << text;
  EXPECT_EQ(text.find("100%"), text.rfind("100%")) << "100% is printed once, by finish():\n" << text;
  EXPECT_NE(text.find("done in"), std::string::npos) << "finish() prints the total time:\n" << text;
  EXPECT_EQ(text.find('\r'), std::string::npos) << "no carriage returns in a log file";
}

TEST(ProgressBarLog, AdvanceAddsAndFinishPrintsOnce) {
  std::FILE* log = std::tmpfile();
  ASSERT_NE(log, nullptr);
  ProgressBar bar("bytes", 10, "B", log);
  bar.advance(3);
  bar.advance(4);
  EXPECT_DOUBLE_EQ(bar.done(), 7.0) << "advance(3) then advance(4) makes 7 done";
  bar.finish();
  bar.finish();
  const std::string text = read_all(log);
  std::fclose(log);
  std::size_t count = 0;
  for (std::size_t p = 0; (p = text.find("done in", p)) != std::string::npos; ++p) ++count;
  EXPECT_EQ(count, 1u) << "a second finish() prints nothing:\n" << text;
}

TEST(ProgressBarLog, ANegativeOrNanTotalIsAnError) {
  EXPECT_THROW(ProgressBar("x", -1), minillm::Error);
  EXPECT_THROW(ProgressBar("x", NAN), minillm::Error);
}

TEST(Terminal, ColourOnlyWhenEnabledAndNeverIntoAFile) {
  EXPECT_EQ(colourize("tok", ansi_foreground(196), false), "tok");
  EXPECT_EQ(colourize("tok", ansi_foreground(196), true), "\033[38;5;196mtok\033[0m");
  EXPECT_EQ(ansi_background(21), "\033[48;5;21m");
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(is_terminal(f)) << "a temporary file is not a terminal";
  EXPECT_FALSE(colour_enabled(f)) << "no ANSI codes into files";
  std::fclose(f);
}

}  // namespace
}  // namespace minillm::ui
