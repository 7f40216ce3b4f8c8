#include <cmath>
#include <set>
#include <tuple>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "plot/color.hpp"
#include "plot/ticks.hpp"

namespace minillm::plot {
namespace {

TEST(NiceStep, RoundsToOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_DOUBLE_EQ(nice_step(1.2), 1.0);
  EXPECT_DOUBLE_EQ(nice_step(0.37), 0.5) << "3.7 x 0.1 rounds to 5 x 0.1";
  EXPECT_DOUBLE_EQ(nice_step(23), 20.0);
  EXPECT_DOUBLE_EQ(nice_step(0.0071), 0.005);
  EXPECT_DOUBLE_EQ(nice_step(8), 10.0);
  EXPECT_THROW(nice_step(0), Error);
}

TEST(NiceTicks, CoverTheDataWithWholeSteps) {
  const Ticks t = nice_ticks(0, 9.3, 6);
  EXPECT_DOUBLE_EQ(t.step, 2.0) << "9.3 over 5 gaps is about 1.9, rounded to 2";
  EXPECT_EQ(t.values, (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_DOUBLE_EQ(t.lo, 0.0);
  EXPECT_DOUBLE_EQ(t.hi, 10.0) << "the axis ends on the first whole step above 9.3";
}

TEST(NiceTicks, NegativeRangesHaveAnExactZero) {
  const Ticks t = nice_ticks(-0.3, 0.3, 7);
  ASSERT_EQ(t.values.size(), 7u);
  EXPECT_EQ(t.values[3], 0.0) << "the middle tick is exactly 0, not 5.5e-17";
  EXPECT_FALSE(std::signbit(t.values[3])) << "and not -0";
}

TEST(NiceTicks, AFlatRangeIsWidenedAroundTheValue) {
  const Ticks t = nice_ticks(5, 5);
  EXPECT_LT(t.lo, 5.0);
  EXPECT_GT(t.hi, 5.0);
  EXPECT_THROW(nice_ticks(0, NAN), Error);
  EXPECT_THROW(nice_ticks(3, 1), Error) << "a reversed range is a mistake";
}

TEST(LogTicks, PowersOfTenAroundTheData) {
  const Ticks t = log_ticks(0.03, 700);
  EXPECT_DOUBLE_EQ(t.lo, 0.01);
  EXPECT_DOUBLE_EQ(t.hi, 1000.0);
  EXPECT_EQ(t.values.size(), 6u) << "1e-2, 1e-1, 1, 10, 100, 1000";
}

TEST(LogTicks, FewDecadesGetTwoAndFiveTicks) {
  const Ticks t = log_ticks(1.5, 4.2);
  EXPECT_EQ(t.values, (std::vector<double>{1, 2, 5, 10}));
  EXPECT_THROW(log_ticks(0, 1), Error) << "log of 0 does not exist";
  EXPECT_THROW(log_ticks(-1, 1), Error);
}

TEST(FormatTick, AsManyDecimalsAsTheStepNeeds) {
  EXPECT_EQ(format_tick(0.5, 0.5), "0.5");
  EXPECT_EQ(format_tick(1000, 200), "1000");
  EXPECT_EQ(format_tick(-0.3, 0.1), "-0.3");
  EXPECT_EQ(format_tick(2, 0.5), "2.0") << "ticks 1.5, 2.0, 2.5 line up with one decimal each";
  EXPECT_EQ(format_tick(2.5e-5, 5e-6), "0.000025");
  EXPECT_EQ(format_tick(1e-4, 5e-5), "0.00010") << "same decimals as its neighbour 0.00005";
  EXPECT_EQ(format_tick(800000, 2e5), "800k");
  EXPECT_EQ(format_tick(1e6, 2e5), "1M");
  EXPECT_EQ(format_tick(1.2e6, 2e5), "1.2M");
  EXPECT_EQ(format_tick(10000, 2000), "10k");
  EXPECT_EQ(format_tick(0.01, 0), "0.01") << "log axis labels (step 0)";
  EXPECT_EQ(format_tick(100, 0), "100");
  EXPECT_EQ(format_tick(0, 0.1), "0");
}

double luminance(Rgb c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; }

TEST(Colormap, EndsAtDarkPurpleAndYellowAndBrightensSteadily) {
  EXPECT_EQ(colormap_viridis(0), (Rgb{68, 1, 84}));
  EXPECT_EQ(colormap_viridis(1), (Rgb{253, 231, 37}));
  EXPECT_EQ(colormap_viridis(-3), colormap_viridis(0)) << "values below the range are clamped";
  for (int i = 1; i <= 100; ++i)
    EXPECT_GT(luminance(colormap_viridis(i / 100.0)), luminance(colormap_viridis((i - 1) / 100.0)))
        << "brightness must rise with the value (a perceptual map), at t = " << i / 100.0;
}

TEST(Palette, EightDistinctColoursThenRepeats) {
  std::set<std::tuple<int, int, int>> seen;
  for (std::size_t i = 0; i < kPaletteSize; ++i) {
    const Rgb c = palette_color(i);
    seen.insert({c.r, c.g, c.b});
    EXPECT_NE(c, kWhite) << "a white series would be invisible";
  }
  EXPECT_EQ(seen.size(), kPaletteSize);
  EXPECT_EQ(palette_color(kPaletteSize), palette_color(0));
}

}  // namespace
}  // namespace minillm::plot
