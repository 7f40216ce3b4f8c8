#pragma once
// Charts saved as PNG files: line charts (loss curves), scatter plots (embeddings in 2-D) and heatmaps
// (attention weights, one panel per head, the causal mask in grey). Each takes a plain spec struct, checks
// it (an Error says what is wrong: empty series, NaN, mismatched sizes, log axis with values <= 0), draws
// on a Canvas and writes the PNG atomically. The *_layout functions expose where data lands in pixels, so tests (and curious readers)
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
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1; // data range (log10 of it when log_x / log_y)
  bool log_x = false, log_y = false;
  double to_px_x(double x) const;
  double to_px_y(double y) const;  // y grows upwards in data, downwards in pixels
};

struct Series {
  std::string name;          // the legend entry; empty = not in the legend (no legend if no series has a name)
  std::vector<double> x, y;
  std::optional<Rgb> color;  // default: palette_color(index)
  double line_width = 2.5;   // pixels; a thin light line suits a noisy series drawn under its trend
  bool markers = false;      // a dot on every point: for few, separate measurements (a validation loss)
};

// A text about one point of the chart (the loss curve's samples of generated text): the point gets a dot and
// the note's number, and the numbered text goes on a line of its own in a band under the chart (the image
// grows by that band), where it covers nothing.
struct Note {
  double x = 0, y = 0;  // the point, in data units
  std::string text;     // one line, drawn as given (printable ASCII)
};

struct LineChartSpec {
  std::string title, x_label, y_label;
  std::vector<Series> series;  // drawn in order, so later series lie on top; the legend lists them in order
  bool log_x = false, log_y = false;  // log10 axes (values must be > 0)
  // Explicit x ticks (e.g. each vocabulary size measured); the x axis then spans exactly the ticks and the
  // data, and labels use {:g}. Empty = nice ticks chosen automatically.
  std::vector<double> x_ticks;
  int width = 900, height = 600;
  std::vector<Note> notes;  // numbered 1, 2, ... in this order
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
// Where render_scatter draws each point's label: a pixel box (inclusive) beside its point, chosen to keep
// clear of the other labels and points where it can (an empty label gets an empty box, x1 < x0).
struct LabelBox {
  int x0, y0, x1, y1;
};
std::vector<LabelBox> scatter_label_boxes(const ScatterSpec& spec);
Canvas render_scatter(const ScatterSpec& spec);
void scatter_plot(const std::filesystem::path& path, const ScatterSpec& spec);

struct HeatmapSpec {
  std::string title;
  std::string x_label, y_label;  // what the columns and rows are ("keys", "queries"); empty = none
  int rows = 0, cols = 0;
  std::vector<double> values;  // (rows, cols) row-major
  std::vector<std::string> row_labels, col_labels;  // empty, or one per row / column
  // Empty, or one flag per cell (row-major): a masked cell is drawn kMaskedGrey, whatever its value, and its
  // value is left out of the colour range (attention's causal mask: the future is "not allowed", which is
  // not the same as "allowed but weight 0"). A NaN value is still an error, masked or not: a mask is a
  // decision, a NaN is a bug.
  std::vector<bool> masked;
  std::string masked_label;  // legend text for the grey under the grid, e.g. "masked: the future"
  std::optional<double> v_min, v_max;  // colour scale range (default: the unmasked data's min and max)
  bool color_bar = true;
  // > 0: square cells of this many pixels, and the image size follows from it (width/height are ignored).
  int cell_size = 0;
  int width = 900, height = 600;
};

// Where the cells go: cell (r, c) covers [left + c*cell_w, left + (c+1)*cell_w) x [top + r*cell_h, ...).
struct HeatmapLayout {
  int width = 0, height = 0;  // the image
  int left = 0, top = 0;
  double cell_w = 0, cell_h = 0;
  int mask_legend_x = 0, mask_legend_y = 0;  // top-left of the grey swatch under the grid (if it is drawn)
  double v_min = 0, v_max = 1;
  int bar_left = 0, bar_top = 0, bar_width = 0, bar_height = 0;  // the colour bar
  int cell_center_x(int c) const { return left + static_cast<int>((c + 0.5) * cell_w); }
  int cell_center_y(int r) const { return top + static_cast<int>((r + 0.5) * cell_h); }
  Rgb color_of(double value) const;  // the colour map applied to value in [v_min, v_max]
};

HeatmapLayout heatmap_layout(const HeatmapSpec& spec);
Canvas render_heatmap(const HeatmapSpec& spec);
void heatmap(const std::filesystem::path& path, const HeatmapSpec& spec);

// Several heatmaps side by side in one image (one per attention head, say), each drawn as render_heatmap
// draws it, under a shared `title`. Panel i's left edge is heatmap_panel_x(panels, i) (its top is
// heatmap_panels_top(title)); give the panels one v_min/v_max so equal colours mean equal values.
Canvas render_heatmap_panels(const std::vector<HeatmapSpec>& panels, const std::string& title = "");
void heatmap_panels(const std::filesystem::path& path, const std::vector<HeatmapSpec>& panels,
                    const std::string& title = "");
int heatmap_panel_x(const std::vector<HeatmapSpec>& panels, std::size_t index);
int heatmap_panels_top(const std::string& title);

}  // namespace minillm::plot
