#pragma once
// Charts saved as PNG files: line charts (loss curves), scatter plots (embeddings in 2-D) and heatmaps
// (attention weights). Each takes a plain spec struct, checks it (an Error says what is wrong: empty
// series, NaN, mismatched sizes, log axis with values <= 0), draws on a Canvas and writes the PNG
// atomically. The *_layout functions expose where data lands in pixels, so tests (and curious readers)
// can find a point without repeating the layout arithmetic.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "plot/canvas.hpp"
#include "plot/color.hpp"
#include "plot/ticks.hpp"

namespace minillm::plot {

// The rectangle where data is drawn, and the mapping from data coordinates to pixels.
struct PlotArea {
  int left = 0, top = 0, right = 0, bottom = 0;  // pixel bounds, inclusive
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1; // data range (log10 of it when log_y)
  bool log_y = false;
  double to_px_x(double x) const;
  double to_px_y(double y) const;  // y grows upwards in data, downwards in pixels
};

struct Series {
  std::string name;
  std::vector<double> x, y;
  std::optional<Rgb> color;  // default: palette_color(index)
};

struct LineChartSpec {
  std::string title, x_label, y_label;
  std::vector<Series> series;
  bool log_y = false;
  int width = 900, height = 600;
};

// Checks the spec and computes the plot area (ticks included) without drawing anything.
PlotArea line_chart_layout(const LineChartSpec& spec);
Canvas render_line_chart(const LineChartSpec& spec);
void line_chart(const std::filesystem::path& path, const LineChartSpec& spec);

struct ScatterPoint {
  double x = 0, y = 0;
  std::string label;   // drawn next to the point when not empty
  int group = 0;       // index into ScatterSpec::group_names (colour palette_color(group))
};

struct ScatterSpec {
  std::string title, x_label, y_label;
  std::vector<ScatterPoint> points;
  std::vector<std::string> group_names;  // legend entries; empty = no legend, all groups allowed
  double point_radius = 5;
  int width = 900, height = 600;
};

PlotArea scatter_layout(const ScatterSpec& spec);
Canvas render_scatter(const ScatterSpec& spec);
void scatter_plot(const std::filesystem::path& path, const ScatterSpec& spec);

struct HeatmapSpec {
  std::string title;
  int rows = 0, cols = 0;
  std::vector<double> values;  // (rows, cols) row-major
  std::vector<std::string> row_labels, col_labels;  // empty, or one per row / column
  std::optional<double> v_min, v_max;  // colour scale range (default: the data's min and max)
  int width = 900, height = 600;
};

// Where the cells go: cell (r, c) covers [left + c*cell_w, left + (c+1)*cell_w) x [top + r*cell_h, ...).
struct HeatmapLayout {
  int left = 0, top = 0;
  double cell_w = 0, cell_h = 0;
  double v_min = 0, v_max = 1;
  int bar_left = 0, bar_top = 0, bar_width = 0, bar_height = 0;  // the colour bar
  int cell_center_x(int c) const { return left + static_cast<int>((c + 0.5) * cell_w); }
  int cell_center_y(int r) const { return top + static_cast<int>((r + 0.5) * cell_h); }
  Rgb color_of(double value) const;  // the colour map applied to value in [v_min, v_max]
};

HeatmapLayout heatmap_layout(const HeatmapSpec& spec);
Canvas render_heatmap(const HeatmapSpec& spec);
void heatmap(const std::filesystem::path& path, const HeatmapSpec& spec);

}  // namespace minillm::plot
