#pragma once
// What the three kinds of chart share (line_chart.cpp, scatter.cpp, heatmap.cpp; chart_axes.cpp defines
// it): text sizes, the axes of the line chart and scatter plot (layout, grid, frame, tick labels) and the
// legend. Internal to the plot module: the API is plot/charts.hpp.
#include <string>
#include <string_view>
#include <vector>

#include "plot/canvas.hpp"
#include "plot/charts.hpp"
#include "plot/color.hpp"
#include "plot/ticks.hpp"

namespace minillm::plot::chart {

inline constexpr int kScale = 2;                 // text scale: stb_easy_font glyphs are ~6x7 px at 1
inline constexpr int kGlyphHeight = 7 * kScale;  // visible height of a capital letter
inline constexpr int kPad = 12;
inline constexpr Rgb kText{30, 30, 30};

struct AxesText {
  std::string title, x_label, y_label;
};

struct Axes {
  PlotArea area;
  Ticks x_ticks, y_ticks;
};

// Places the plot area inside a width x height image, leaving room for the title, tick labels, axis labels
// and (on the right) a legend `legend_width` wide. The ticks decide the axis ranges.
Axes layout_axes(const AxesText& text, const Ticks& x_ticks, const Ticks& y_ticks, bool log_x, bool log_y, int width,
                 int height, int legend_width);
Ticks linear_or_log_ticks(double lo, double hi, bool log, int target_count);
void draw_grid(Canvas& c, const Axes& axes);
void draw_frame_and_labels(Canvas& c, const Axes& axes, const AxesText& text);

// How a legend entry shows its series: a short line (of the series' width, within reason), a dot, or both.
struct Swatch {
  Rgb color;
  double line_width = 0;  // 0 = no line
  bool dot = false;
};

// The width of the legend of these entries (0 for none), and the legend drawn right of the plot area.
int legend_width(const std::vector<std::string>& names);
void draw_legend(Canvas& c, const PlotArea& a, const std::vector<std::string>& names,
                 const std::vector<Swatch>& swatches);

// An Error naming `what` unless v is finite.
void require_finite(double v, std::string_view what);

}  // namespace minillm::plot::chart
