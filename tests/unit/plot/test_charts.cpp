#include <cmath>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "plot/canvas.hpp"
#include "plot/chart_axes.hpp"
#include "plot/charts.hpp"
#include "../test_support.hpp"
#include "png_reader.hpp"

namespace minillm::plot {
namespace {

using testing::load_png;
using testing::output_path;
using minillm::test_support::error_of;
using chart::kGlyphHeight;
using chart::kText;

// True if any pixel in the rectangle has `color`.
bool region_has(const testing::Png& png, int x0, int y0, int x1, int y1, Rgb color) {
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x)
      if (png.at(x, y) == color) return true;
  return false;
}

// A canvas seen as a decoded PNG, for region_has on images that were not saved.
testing::Png as_png(const Canvas& c) { return {c.width(), c.height(), std::string(c.rgb().begin(), c.rgb().end())}; }

TEST(Canvas, ThickLinesCoverTheirWidthAndNoMore) {
  Canvas c(40, 30);
  c.line(5, 10, 35, 10, kBlack, 3);
  EXPECT_EQ(c.pixel(20, 9), kBlack) << "a 3-pixel line at y=10 covers rows 9..11";
  EXPECT_EQ(c.pixel(20, 10), kBlack);
  EXPECT_EQ(c.pixel(20, 11), kBlack);
  EXPECT_EQ(c.pixel(20, 13), kWhite) << "row 13 is outside the line";
  c.fill_circle(20, 22, 4, Rgb{200, 0, 0});
  EXPECT_EQ(c.pixel(20, 22), (Rgb{200, 0, 0}));
  EXPECT_EQ(c.pixel(20, 28), kWhite) << "6 px from the centre is outside a radius-4 circle";
  c.line(-100, -100, 100, 100, kBlack, 1);  // clipped, not a crash
}

TEST(Canvas, TextLandsInsideItsMeasuredBox) {
  Canvas c(120, 40);
  c.text(10, 10, "Loss 42", kBlack, 2);
  const int w = text_width("Loss 42", 2);
  EXPECT_GT(w, 40) << "7 characters at scale 2 are more than 40 px wide";
  int inside = 0, outside = 0;
  for (int y = 0; y < 40; ++y)
    for (int x = 0; x < 120; ++x) {
      if (c.pixel(x, y) != kBlack) continue;
      const bool in_box = x >= 10 && x < 10 + w && y >= 10 && y < 10 + text_height("Loss 42", 2);
      ++(in_box ? inside : outside);
    }
  EXPECT_GT(inside, 50) << "the glyphs are drawn";
  EXPECT_EQ(outside, 0) << "no ink outside the box text_width/text_height describe";
  c.text(0, 0, "caf\xc3\xa9\t", kBlack);  // bytes outside ASCII become '?', never a crash
  EXPECT_EQ(text_width("caf\xc3\xa9", 2), text_width("caf?", 2)) << "one '?' per UTF-8 character, not per byte";
}

TEST(Canvas, PngRoundTripKeepsEveryPixel) {
  Canvas c(7, 5);
  c.set_pixel(3, 2, Rgb{1, 2, 3});
  const auto path = output_path("roundtrip.png");
  c.save_png(path);
  const testing::Png png = load_png(path);
  ASSERT_EQ(png.width, 7);
  ASSERT_EQ(png.height, 5);
  EXPECT_EQ(png.at(3, 2), (Rgb{1, 2, 3}));
  EXPECT_EQ(png.at(0, 0), kWhite);
}

LineChartSpec flat_and_diagonal() {
  LineChartSpec spec;
  spec.title = "A flat line at 5 and a diagonal";
  spec.x_label = "step";
  spec.y_label = "value";
  spec.series = {{"flat", {0, 10}, {5, 5}, {}}, {"diagonal", {0, 10}, {0, 10}, {}}};
  return spec;
}

TEST(LineChart, ASeriesColoursThePixelsWhereItsValuesMap) {
  const LineChartSpec spec = flat_and_diagonal();
  const auto path = output_path("line_flat_diagonal.png");
  line_chart(path, spec);
  const testing::Png png = load_png(path);
  ASSERT_EQ(png.width, 900);
  ASSERT_EQ(png.height, 600);
  const PlotArea a = line_chart_layout(spec);
  EXPECT_DOUBLE_EQ(a.y_lo, 0.0);
  EXPECT_DOUBLE_EQ(a.y_hi, 10.0) << "data 0..10 gives a 0..10 axis";
  EXPECT_NEAR(a.to_px_y(5), (a.top + a.bottom) / 2.0, 0.5) << "y=5 on a 0..10 axis is the middle row";
  EXPECT_EQ(png.at(a.to_px_x(2.5), a.to_px_y(5)), palette_color(0)) << "the flat series at y=5";
  EXPECT_EQ(png.at(a.to_px_x(7.5), a.to_px_y(5)), palette_color(0));
  EXPECT_EQ(png.at(a.to_px_x(2.5), a.to_px_y(2.5)), palette_color(1)) << "the diagonal passes (2.5, 2.5)";
  EXPECT_EQ(png.at(a.to_px_x(3), a.to_px_y(7)), kWhite) << "nothing is drawn at (3, 7), off the lines and grid";
  // The legend sits right of the plot area and shows both colours.
  EXPECT_TRUE(region_has(png, a.right + 1, a.top, png.width - 1, a.top + 80, palette_color(0)));
  EXPECT_TRUE(region_has(png, a.right + 1, a.top, png.width - 1, a.top + 80, palette_color(1)));
  // The title is drawn in the band above the plot.
  EXPECT_TRUE(region_has(png, 0, 0, png.width - 1, a.top - 1, kBlack)) << "title text above the plot";
}

TEST(LineChart, ANoteIsANumberedDotAndALineOfTextUnderTheChart) {
  LineChartSpec spec = flat_and_diagonal();
  const Rgb kMark{90, 90, 90};
  const testing::Png before = as_png(render_line_chart(spec));
  spec.notes.push_back({2.0, 2.0, "step 2: hello"});
  spec.notes.push_back({8.0, 8.0, "step 8: world"});
  const testing::Png png = as_png(render_line_chart(spec));
  const PlotArea a = line_chart_layout(spec);
  EXPECT_EQ(png.height, before.height + 10 + 2 * (kGlyphHeight + 12)) << "a band of one line per note under the chart";
  EXPECT_EQ(png.width, before.width);
  EXPECT_EQ(png.at(a.to_px_x(2.0), a.to_px_y(2.0)), kMark) << "a dot on the first note's point";
  EXPECT_EQ(png.at(a.to_px_x(8.0), a.to_px_y(8.0)), kMark) << "and on the second's";
  EXPECT_TRUE(region_has(png, int(a.to_px_x(2.0)) + 6, int(a.to_px_y(2.0)) - kGlyphHeight - 6, int(a.to_px_x(2.0)) + 20,
                         int(a.to_px_y(2.0)) - 6, kMark))
      << "its number beside the dot";
  EXPECT_TRUE(region_has(png, a.left, spec.height + 10, png.width - 1, spec.height + 10 + kGlyphHeight, kText))
      << "the first note's text on the band's first line";
  EXPECT_FALSE(region_has(before, 0, before.height - 20, before.width - 1, before.height - 1, kMark));
  for (int y = 0; y < before.height; ++y) {  // the chart itself is unchanged above the band, but for the dots
    if (y >= a.top && y <= a.bottom) continue;
    for (int x = 0; x < before.width; ++x) {
      ASSERT_EQ(png.at(x, y), before.at(x, y)) << "(" << x << ", " << y << ")";
    }
  }
  spec.notes[0].y = NAN;
  EXPECT_NE(error_of([&] { render_line_chart(spec); }).find("a note's y"), std::string::npos);
}

TEST(LineChart, LogAxisPutsEachDecadeTheSameDistanceApart) {
  LineChartSpec spec;
  spec.series = {{"loss", {1, 2, 3}, {1, 10, 100}, Rgb{200, 0, 0}}};
  spec.log_y = true;
  const PlotArea a = line_chart_layout(spec);
  EXPECT_NEAR(a.to_px_y(1) - a.to_px_y(10), a.to_px_y(10) - a.to_px_y(100), 1e-9)
      << "1 -> 10 and 10 -> 100 are equal steps on a log axis";
  const Canvas c = render_line_chart(spec);
  EXPECT_EQ(c.pixel(static_cast<int>(a.to_px_x(2)), static_cast<int>(a.to_px_y(10))), (Rgb{200, 0, 0}))
      << "the point (2, 10) is on the line, in the series' own colour";
}

TEST(LineChart, BadInputIsExplained) {
  LineChartSpec spec;
  EXPECT_NE(error_of([&] { render_line_chart(spec); }).find("no series"), std::string::npos);
  spec.series = {{"loss", {}, {}, {}}};
  EXPECT_NE(error_of([&] { render_line_chart(spec); }).find("'loss' is empty"), std::string::npos);
  spec.series = {{"loss", {1, 2, 3}, {1, 2}, {}}};
  EXPECT_NE(error_of([&] { render_line_chart(spec); }).find("3 x values but 2 y values"), std::string::npos);
  spec.series = {{"loss", {1, 2}, {1, NAN}, {}}};
  EXPECT_NE(error_of([&] { render_line_chart(spec); }).find("y[1] of series 'loss' is nan"), std::string::npos);
  spec.series = {{"loss", {1, 2}, {1, 0}, {}}};
  spec.log_y = true;
  EXPECT_NE(error_of([&] { render_line_chart(spec); }).find("log axis"), std::string::npos);
}

TEST(LineChart, LineWidthAndMarkersAreDrawnAsAsked) {
  LineChartSpec spec;
  // y from 2 to 8 on the axis: both lines lie between grid lines, away from the frame.
  spec.series = {{"thin", {0, 10}, {2.5, 2.5}, Rgb{200, 0, 0}, 1.0, false},
                 {"dotted", {0, 5, 10}, {7.5, 7.5, 7.5}, Rgb{0, 0, 200}, 1.0, true}};
  const PlotArea a = line_chart_layout(spec);
  const Canvas c = render_line_chart(spec);
  const int thin_y = static_cast<int>(std::lround(a.to_px_y(2.5)));
  EXPECT_EQ(c.pixel(static_cast<int>(a.to_px_x(5)), thin_y), (Rgb{200, 0, 0})) << "the 1-px line itself";
  EXPECT_NE(c.pixel(static_cast<int>(a.to_px_x(5)), thin_y - 2), (Rgb{200, 0, 0}))
      << "2 px above a 1-px line is off the line (the default 2.5 px would not be thinner than this)";
  const int dot_y = static_cast<int>(std::lround(a.to_px_y(7.5)));
  const int marker_x = static_cast<int>(std::lround(a.to_px_x(5))), between_x = static_cast<int>(std::lround(a.to_px_x(2.5)));
  EXPECT_EQ(c.pixel(marker_x, dot_y - 2), (Rgb{0, 0, 200})) << "the marker at x=5 is wider than its 1-px line";
  EXPECT_NE(c.pixel(between_x, dot_y - 2), (Rgb{0, 0, 200})) << "between markers only the thin line is drawn";
  // The legend shows the marker too: a dot taller than the 1-px line swatch.
  EXPECT_TRUE(region_has(as_png(c), a.right + 1, a.top, c.width() - 1, a.top + 80, Rgb{0, 0, 200}));
  spec.series[0].line_width = 0;
  EXPECT_NE(error_of([&] { render_line_chart(spec); }).find("line width 0"), std::string::npos);
}

TEST(LineChart, ExplicitTicksOnALogXAxisSpanTheTicksAndSpaceDoublingsEvenly) {
  LineChartSpec spec;
  spec.x_label = "vocabulary size";
  spec.series = {{"bytes per token", {256, 512, 1024, 2048}, {1, 2, 2.5, 3}, {}, 2.5, true}};
  spec.log_x = true;
  spec.x_ticks = {256, 512, 1024, 2048};
  spec.series[0].name.clear();  // one unnamed series: no legend, the plot takes the whole width
  const PlotArea a = line_chart_layout(spec);
  EXPECT_NEAR(a.to_px_x(256), a.left, 1e-9) << "the axis starts at the first tick, not at a power of ten";
  EXPECT_NEAR(a.to_px_x(2048), a.right, 1e-9);
  EXPECT_NEAR(a.to_px_x(512) - a.to_px_x(256), a.to_px_x(2048) - a.to_px_x(1024), 1e-9)
      << "each doubling is the same distance on a log axis";
  const auto path = output_path("line_log_x_ticks.png");
  line_chart(path, spec);
  const testing::Png png = load_png(path);
  // A label under each tick ("512" in dark text), and a tick mark on the axis.
  const Rgb text{30, 30, 30};
  for (double v : spec.x_ticks) {
    const int px = static_cast<int>(std::lround(a.to_px_x(v)));
    EXPECT_TRUE(region_has(png, px - 12, a.bottom + 8, px + 12, a.bottom + 26, text)) << "label under tick " << v;
    EXPECT_EQ(png.at(px, a.bottom + 3), kAxisGrey) << "tick mark at " << v;
  }
  EXPECT_EQ(png.at(a.to_px_x(512), a.to_px_y(2)), palette_color(0)) << "the point (512, 2)";
  EXPECT_GT(a.right, png.width - 40) << "no legend takes room on the right";
  spec.series[0].x[0] = -1;
  EXPECT_NE(error_of([&] { render_line_chart(spec); }).find("log axis"), std::string::npos);
}

TEST(ScatterPlot, PointsHaveTheirGroupColourAndTheLegendNamesGroups) {
  ScatterSpec spec;
  spec.title = "Words in 2-D";
  spec.points = {{0, 0, "king", 0}, {4, 3, "queen", 1}, {-2, 5, "apple", 2}, {3, -1, "", 1}};
  spec.group_names = {"royal", "female", "fruit"};
  const auto path = output_path("scatter.png");
  scatter_plot(path, spec);
  const testing::Png png = load_png(path);
  const PlotArea a = scatter_layout(spec);
  for (const ScatterPoint& p : spec.points)
    EXPECT_EQ(png.at(a.to_px_x(p.x), a.to_px_y(p.y)), palette_color(static_cast<std::size_t>(p.group)))
        << "the centre of the point (" << p.x << ", " << p.y << ") has its group's colour";
  for (std::size_t g = 0; g < 3; ++g)
    EXPECT_TRUE(region_has(png, a.right + 1, a.top, png.width - 1, a.top + 100, palette_color(g)))
        << "legend entry for group " << g;
  spec.points.push_back({1, 1, "pear", 3});
  EXPECT_NE(error_of([&] { render_scatter(spec); }).find("group 3"), std::string::npos)
      << "a group without a name is a mistake";
  spec.points.back() = {NAN, 1, "pear", 0};
  EXPECT_NE(error_of([&] { render_scatter(spec); }).find("is nan"), std::string::npos);
}

// Close points (a cluster of words on a map) must not print their labels over each other or over the dots.
TEST(ScatterPlot, LabelsOfNearbyPointsDoNotOverlap) {
  ScatterSpec spec;
  spec.title = "a crowded corner";
  for (int i = 0; i < 5; ++i) spec.points.push_back({0.1 * i, 0.05 * (i % 2), fmt::format("label{}", i), 0});
  for (int i = 0; i < 20; ++i) spec.points.push_back({double(i % 5), 5.0 + double(i / 5), "", 0});  // the rest
  spec.points.push_back({4, 2.5, "alone", 0});
  const PlotArea a = scatter_layout(spec);
  const std::vector<LabelBox> boxes = scatter_label_boxes(spec);
  ASSERT_EQ(boxes.size(), spec.points.size());
  const auto shared = [](const LabelBox& p, const LabelBox& q) {
    return std::min(p.x1, q.x1) >= std::max(p.x0, q.x0) && std::min(p.y1, q.y1) >= std::max(p.y0, q.y0);
  };
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < i; ++j) EXPECT_FALSE(shared(boxes[i], boxes[j])) << "labels " << j << " and " << i << " overlap";
    for (int j = 0; j < 5; ++j) {
      if (j == i) continue;
      const int x = static_cast<int>(a.to_px_x(spec.points[j].x)), y = static_cast<int>(a.to_px_y(spec.points[j].y));
      EXPECT_FALSE(shared(boxes[i], {x - 4, y - 4, x + 4, y + 4})) << "label " << i << " covers point " << j;
    }
  }
  // With room to spare, a label sits just right of its point, vertically centred on it.
  const LabelBox& alone = boxes.back();
  const int x = static_cast<int>(a.to_px_x(4)), y = static_cast<int>(a.to_px_y(2.5));
  EXPECT_GT(alone.x0, x);
  EXPECT_LT(alone.x0, x + 12);
  EXPECT_LT(alone.y0, y);
  EXPECT_GT(alone.y1, y);
}

TEST(Heatmap, EachCellHasTheColourMapColourOfItsValue) {
  HeatmapSpec spec;
  spec.title = "Attention weights";
  spec.rows = 3, spec.cols = 4;
  for (int i = 0; i < 12; ++i) spec.values.push_back(i / 11.0);
  spec.row_labels = {"the", "whale", "surfaced"};
  spec.col_labels = {"the", "whale", "surfaced", "a-very-long-column-label"};
  const auto path = output_path("heatmap.png");
  heatmap(path, spec);
  const testing::Png png = load_png(path);
  const HeatmapLayout L = heatmap_layout(spec);
  EXPECT_DOUBLE_EQ(L.v_min, 0.0);
  EXPECT_DOUBLE_EQ(L.v_max, 1.0);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c)
      EXPECT_EQ(png.at(L.cell_center_x(c), L.cell_center_y(r)), colormap_viridis((r * 4 + c) / 11.0))
          << "cell (" << r << ", " << c << ") with value " << (r * 4 + c) / 11.0;
  EXPECT_EQ(png.at(L.bar_left + L.bar_width / 2, L.bar_top), colormap_viridis(1)) << "the colour bar's top is v_max";
  EXPECT_EQ(png.at(L.bar_left + L.bar_width / 2, L.bar_top + L.bar_height - 1), colormap_viridis(0));
}

// A causal attention pattern: row r may look at columns 0..r; the rest is masked.
HeatmapSpec causal_heatmap(int n) {
  HeatmapSpec spec;
  spec.title = "causal";
  spec.x_label = "keys";
  spec.y_label = "queries";
  spec.rows = n, spec.cols = n;
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      spec.values.push_back(c <= r ? 1.0 / (r + 1) : 100.0);  // 100 under the mask must not set the colour range
      spec.masked.push_back(c > r);
    }
  for (int i = 0; i < n; ++i) {
    spec.row_labels.push_back(fmt::format("q{}", i));
    spec.col_labels.push_back(fmt::format("k{}", i));
  }
  spec.masked_label = "masked: the future";
  spec.v_min = 0;
  return spec;
}

TEST(Heatmap, MaskedCellsAreGreyAndLeftOutOfTheColourRange) {
  const HeatmapSpec spec = causal_heatmap(4);
  const auto path = output_path("heatmap_masked.png");
  heatmap(path, spec);
  const testing::Png png = load_png(path);
  const HeatmapLayout L = heatmap_layout(spec);
  EXPECT_DOUBLE_EQ(L.v_max, 1.0) << "the masked cells' value 100 is not part of the colour range";
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) {
      const Rgb want = c > r ? kMaskedGrey : colormap_viridis(1.0 / (r + 1));
      EXPECT_EQ(png.at(L.cell_center_x(c), L.cell_center_y(r)), want) << "cell (" << r << ", " << c << ")";
    }
  // The legend under the grid: a grey swatch, then its text to the right.
  EXPECT_EQ(png.at(L.mask_legend_x + 8, L.mask_legend_y + 8), kMaskedGrey);
  const Rgb text{30, 30, 30};
  EXPECT_TRUE(region_has(png, L.mask_legend_x + 20, L.mask_legend_y, L.mask_legend_x + 200, L.mask_legend_y + 16, text))
      << "the masked label next to the swatch";
  EXPECT_TRUE(region_has(png, 0, L.cell_center_y(1), 30, L.cell_center_y(2), text)) << "the y label, left of the rows";
  EXPECT_TRUE(region_has(png, L.left, L.top + static_cast<int>(4 * L.cell_h) + 30, L.left + static_cast<int>(4 * L.cell_w),
                         L.mask_legend_y - 1, text))
      << "the x label between the column labels and the mask legend";
  // Without a label (or without masked cells) there is no legend: the bottom row of pixels stays white.
  HeatmapSpec plain = spec;
  plain.masked_label.clear();
  const HeatmapLayout P = heatmap_layout(plain);
  const Canvas c = render_heatmap(plain);
  EXPECT_GT(P.cell_h, L.cell_h) << "no room is kept for a legend that is not drawn: the grid gets it";
  EXPECT_FALSE(region_has(as_png(c), 0, P.top + static_cast<int>(4 * P.cell_h) + 1, c.width() - 1, c.height() - 1,
                          kMaskedGrey))
      << "nothing grey under the grid";
}

TEST(Heatmap, CellSizeSetsSquareCellsAndTheImageGrowsAroundThem) {
  HeatmapSpec spec = causal_heatmap(5);
  spec.cell_size = 30;
  const HeatmapLayout L = heatmap_layout(spec);
  EXPECT_DOUBLE_EQ(L.cell_w, 30.0);
  EXPECT_DOUBLE_EQ(L.cell_h, 30.0);
  const Canvas c = render_heatmap(spec);
  EXPECT_EQ(c.width(), L.width);
  EXPECT_EQ(c.height(), L.height);
  EXPECT_EQ(c.pixel(L.cell_center_x(0), L.cell_center_y(0)), colormap_viridis(1.0));
  EXPECT_EQ(c.pixel(L.cell_center_x(4), L.cell_center_y(0)), kMaskedGrey);
}

TEST(Heatmap, PanelsSitSideBySideUnderOneTitle) {
  HeatmapSpec first = causal_heatmap(3), second = causal_heatmap(3);
  first.title = "head 0", second.title = "head 1";
  first.color_bar = false;  // one colour bar, on the last panel, is enough when they share the range
  first.v_max = second.v_max = 1.0;
  for (double& v : second.values) v = v > 1 ? v : 1.0 - v;  // a different pattern in the second panel
  first.cell_size = second.cell_size = 40;
  const std::vector<HeatmapSpec> panels = {first, second};
  const auto path = output_path("heatmap_panels.png");
  heatmap_panels(path, panels, "Two heads");
  const testing::Png png = load_png(path);
  const int top = heatmap_panels_top("Two heads");
  EXPECT_GT(top, 0) << "room for the shared title";
  EXPECT_TRUE(region_has(png, 0, 0, png.width - 1, top - 1, kBlack)) << "the shared title";
  const HeatmapLayout L0 = heatmap_layout(first), L1 = heatmap_layout(second);
  EXPECT_EQ(L0.bar_width, 0) << "no colour bar on the first panel";
  EXPECT_EQ(png.width, L0.width + L1.width);
  const int x1 = heatmap_panel_x(panels, 1);
  EXPECT_EQ(x1, L0.width);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c <= r; ++c) {
      const std::size_t i = static_cast<std::size_t>(r) * 3 + c;
      EXPECT_EQ(png.at(L0.cell_center_x(c), top + L0.cell_center_y(r)), L0.color_of(first.values[i]));
      EXPECT_EQ(png.at(x1 + L1.cell_center_x(c), top + L1.cell_center_y(r)), L1.color_of(second.values[i]));
    }
  EXPECT_EQ(png.at(x1 + L1.cell_center_x(2), top + L1.cell_center_y(0)), kMaskedGrey);
  EXPECT_EQ(png.at(x1 + L1.bar_left + L1.bar_width / 2, top + L1.bar_top), colormap_viridis(1))
      << "the second panel keeps its colour bar";
  EXPECT_NE(error_of([&] { render_heatmap_panels({}); }).find("no panels"), std::string::npos);
}

TEST(Heatmap, BadInputIsExplained) {
  HeatmapSpec spec;
  spec.rows = 2, spec.cols = 2;
  spec.values = {1, 2, 3};
  EXPECT_NE(error_of([&] { render_heatmap(spec); }).find("has 3 values"), std::string::npos);
  spec.values = {1, 2, 3, NAN};
  EXPECT_NE(error_of([&] { render_heatmap(spec); }).find("(1, 1) is nan"), std::string::npos);
  spec.values = {1, 2, 3, 4};
  spec.row_labels = {"only one"};
  EXPECT_NE(error_of([&] { render_heatmap(spec); }).find("2 rows but 1 row labels"), std::string::npos);
  spec.row_labels.clear();
  spec.masked = {false, true, false};
  EXPECT_NE(error_of([&] { render_heatmap(spec); }).find("4 cells but 3 mask flags"), std::string::npos);
  spec.masked = {false, true, false, false};
  spec.values = {1, NAN, 3, 4};
  EXPECT_NE(error_of([&] { render_heatmap(spec); }).find("(0, 1) is nan"), std::string::npos)
      << "a NaN is a bug even under the mask";
}

}  // namespace
}  // namespace minillm::plot
