#include "plot/charts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"

namespace minillm::plot {

namespace {

constexpr int kScale = 2;                 // text scale: stb_easy_font glyphs are ~6x7 px at 1
constexpr int kGlyphHeight = 7 * kScale;  // visible height of a capital letter
constexpr int kPad = 12;
constexpr Rgb kText{30, 30, 30};

// ---- shared axes (line chart and scatter plot) ----

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
                 int height, int legend_width) {
  Axes axes;
  axes.x_ticks = x_ticks;
  axes.y_ticks = y_ticks;
  int y_label_width = 0;
  for (double v : axes.y_ticks.values)
    y_label_width = std::max(y_label_width, text_width(format_tick(v, axes.y_ticks.step), kScale));
  PlotArea& a = axes.area;
  a.left = kPad + (text.y_label.empty() ? 0 : kGlyphHeight + kPad) + y_label_width + 10;
  a.top = kPad + (text.title.empty() ? 0 : kGlyphHeight + 2 * kPad);
  a.right = width - 1 - kPad - 10 - (legend_width > 0 ? legend_width + kPad : 0);
  a.bottom = height - 1 - kPad - (text.x_label.empty() ? 0 : kGlyphHeight + kPad) - kGlyphHeight - 12;
  require(a.right - a.left >= 40 && a.bottom - a.top >= 40,
          "a {}x{} image leaves no room for the plot after the labels; make it larger", width, height);
  a.log_x = log_x;
  a.x_lo = log_x ? std::log10(axes.x_ticks.lo) : axes.x_ticks.lo;
  a.x_hi = log_x ? std::log10(axes.x_ticks.hi) : axes.x_ticks.hi;
  a.log_y = log_y;
  a.y_lo = log_y ? std::log10(axes.y_ticks.lo) : axes.y_ticks.lo;
  a.y_hi = log_y ? std::log10(axes.y_ticks.hi) : axes.y_ticks.hi;
  return axes;
}

Ticks linear_or_log_ticks(double lo, double hi, bool log, int target_count) {
  return log ? log_ticks(lo, hi) : nice_ticks(lo, hi, target_count);
}

void draw_grid(Canvas& c, const Axes& axes) {
  const PlotArea& a = axes.area;
  for (double v : axes.x_ticks.values) {
    const int px = static_cast<int>(std::lround(a.to_px_x(v)));
    c.fill_rect(px, a.top, px, a.bottom, kGridGrey);
  }
  for (double v : axes.y_ticks.values) {
    const int py = static_cast<int>(std::lround(a.to_px_y(v)));
    c.fill_rect(a.left, py, a.right, py, kGridGrey);
  }
}

void draw_frame_and_labels(Canvas& c, const Axes& axes, const AxesText& text) {
  const PlotArea& a = axes.area;
  c.rect_outline(a.left, a.top, a.right, a.bottom, kAxisGrey);
  for (double v : axes.x_ticks.values) {
    const int px = static_cast<int>(std::lround(a.to_px_x(v)));
    c.fill_rect(px, a.bottom, px, a.bottom + 5, kAxisGrey);
    const std::string label = format_tick(v, axes.x_ticks.step);
    c.text(px - text_width(label, kScale) / 2, a.bottom + 10, label, kText, kScale);
  }
  for (double v : axes.y_ticks.values) {
    const int py = static_cast<int>(std::lround(a.to_px_y(v)));
    c.fill_rect(a.left - 5, py, a.left, py, kAxisGrey);
    const std::string label = format_tick(v, axes.y_ticks.step);
    c.text(a.left - 10 - text_width(label, kScale), py - kGlyphHeight / 2, label, kText, kScale);
  }
  if (!text.title.empty())
    c.text((c.width() - text_width(text.title, kScale)) / 2, kPad + 4, text.title, kBlack, kScale);
  if (!text.x_label.empty())
    c.text((a.left + a.right - text_width(text.x_label, kScale)) / 2, c.height() - kPad - kGlyphHeight,
           text.x_label, kText, kScale);
  if (!text.y_label.empty())
    c.text(kPad, (a.top + a.bottom + text_width(text.y_label, kScale)) / 2, text.y_label, kText, kScale, true);
}

// Legend entries longer than this are cut ("validation_lo..") so the plot keeps most of the width.
constexpr std::size_t kMaxLegendChars = 20;
std::string legend_text(const std::string& name) {
  return name.size() <= kMaxLegendChars ? name : name.substr(0, kMaxLegendChars - 2) + "..";
}

int legend_width(const std::vector<std::string>& names) {
  if (names.empty()) return 0;
  int w = 0;
  for (const auto& n : names) w = std::max(w, text_width(legend_text(n), kScale));
  return w + 44;
}

// How a legend entry shows its series: a short line (of the series' width, within reason), a dot, or both.
struct Swatch {
  Rgb color;
  double line_width = 0;  // 0 = no line
  bool dot = false;
};

// Legend to the right of the plot area: a swatch and the name for each entry.
void draw_legend(Canvas& c, const PlotArea& a, const std::vector<std::string>& names,
                 const std::vector<Swatch>& swatches) {
  if (names.empty()) return;
  const int x0 = a.right + kPad, row = kGlyphHeight + 12;
  const int x1 = x0 + legend_width(names), y1 = a.top + 8 + row * static_cast<int>(names.size());
  c.rect_outline(x0, a.top, x1, y1, kGridGrey);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const int cy = a.top + 8 + row * static_cast<int>(i) + kGlyphHeight / 2;
    const Swatch& s = swatches[i];
    if (s.line_width > 0) c.line(x0 + 8, cy, x0 + 28, cy, s.color, std::clamp(s.line_width, 2.0, 4.0));
    if (s.dot) c.fill_circle(x0 + 18, cy, 5, s.color);
    c.text(x0 + 36, cy - kGlyphHeight / 2, legend_text(names[i]), kText, kScale);
  }
}

void require_finite(double v, std::string_view what) {
  require(std::isfinite(v), "{} is {}; plots need finite numbers (check for a diverged loss or a division by 0)", what, v);
}

}  // namespace

double PlotArea::to_px_x(double x) const {
  const double v = log_x ? std::log10(x) : x;
  return left + (v - x_lo) / (x_hi - x_lo) * (right - left);
}

double PlotArea::to_px_y(double y) const {
  const double v = log_y ? std::log10(y) : y;
  return bottom - (v - y_lo) / (y_hi - y_lo) * (bottom - top);
}

// ---- line chart ----

namespace {

// The legend lists the named series; a series without a name is left out (no legend if none has one).
std::vector<std::string> series_names(const LineChartSpec& spec) {
  std::vector<std::string> names;
  for (const Series& s : spec.series)
    if (!s.name.empty()) names.push_back(s.name);
  return names;
}

// The x axis: the explicit ticks if there are any (spanning exactly them and the data), else nice ticks.
Ticks line_chart_x_ticks(const LineChartSpec& spec, double x_lo, double x_hi) {
  if (spec.x_ticks.empty()) return linear_or_log_ticks(x_lo, x_hi, spec.log_x, 7);
  Ticks t;
  t.step = 0;  // labels with {:g}: the ticks are the caller's numbers, not a regular step
  t.values = spec.x_ticks;
  std::sort(t.values.begin(), t.values.end());
  for (double v : t.values) {
    require_finite(v, "an x tick");
    require(!spec.log_x || v > 0, "x tick {} cannot go on a log axis (needs x > 0); drop it", v);
  }
  t.lo = std::min(x_lo, t.values.front()), t.hi = std::max(x_hi, t.values.back());
  if (t.lo == t.hi) {  // one tick and one x: widen so the axis has a length
    const double pad = spec.log_x ? 2.0 : (t.lo != 0 ? std::fabs(t.lo) * 0.1 : 1.0);
    t.lo = spec.log_x ? t.lo / pad : t.lo - pad;
    t.hi = spec.log_x ? t.hi * pad : t.hi + pad;
  }
  return t;
}

// Checks every series and lays out axes that cover all of them.
Axes line_chart_axes(const LineChartSpec& spec) {
  require(!spec.series.empty(), "line chart '{}' has no series; add at least one", spec.title);
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo, y_lo = x_lo, y_hi = -x_lo;
  for (const Series& s : spec.series) {
    require(!s.x.empty(), "series '{}' is empty; give it at least one (x, y) point", s.name);
    require(s.x.size() == s.y.size(), "series '{}' has {} x values but {} y values; give one y per x", s.name,
            s.x.size(), s.y.size());
    require(s.line_width > 0 && std::isfinite(s.line_width), "series '{}' has line width {}; give a width > 0",
            s.name, s.line_width);
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      require_finite(s.x[i], fmt::format("x[{}] of series '{}'", i, s.name));
      require_finite(s.y[i], fmt::format("y[{}] of series '{}'", i, s.name));
      require(!spec.log_x || s.x[i] > 0,
              "x[{}] = {} of series '{}' cannot go on a log axis (needs x > 0); drop it or use a linear axis", i,
              s.x[i], s.name);
      require(!spec.log_y || s.y[i] > 0,
              "y[{}] = {} of series '{}' cannot go on a log axis (needs y > 0); drop it or use a linear axis", i,
              s.y[i], s.name);
      x_lo = std::min(x_lo, s.x[i]), x_hi = std::max(x_hi, s.x[i]);
      y_lo = std::min(y_lo, s.y[i]), y_hi = std::max(y_hi, s.y[i]);
    }
  }
  return layout_axes({spec.title, spec.x_label, spec.y_label}, line_chart_x_ticks(spec, x_lo, x_hi),
                     linear_or_log_ticks(y_lo, y_hi, spec.log_y, 6), spec.log_x, spec.log_y, spec.width,
                     spec.height, legend_width(series_names(spec)));
}

}  // namespace

PlotArea line_chart_layout(const LineChartSpec& spec) { return line_chart_axes(spec).area; }

Canvas render_line_chart(const LineChartSpec& spec) {
  const Axes axes = line_chart_axes(spec);
  const PlotArea& area = axes.area;
  std::vector<Rgb> colors;
  for (std::size_t i = 0; i < spec.series.size(); ++i) colors.push_back(spec.series[i].color.value_or(palette_color(i)));
  Canvas c(spec.width, spec.height);
  draw_grid(c, axes);
  for (std::size_t i = 0; i < spec.series.size(); ++i) {
    const Series& s = spec.series[i];
    for (std::size_t j = 1; j < s.x.size(); ++j)
      c.line(area.to_px_x(s.x[j - 1]), area.to_px_y(s.y[j - 1]), area.to_px_x(s.x[j]), area.to_px_y(s.y[j]), colors[i],
             s.line_width);
    // Markers on every point; a lone point gets one anyway, or it would not show at all.
    if (s.markers || s.x.size() == 1)
      for (std::size_t j = 0; j < s.x.size(); ++j)
        c.fill_circle(area.to_px_x(s.x[j]), area.to_px_y(s.y[j]), std::max(3.0, s.line_width + 2), colors[i]);
  }
  // Frame and labels after the data, so a curve along an edge does not hide the axis.
  draw_frame_and_labels(c, axes, {spec.title, spec.x_label, spec.y_label});
  std::vector<Swatch> swatches;
  for (std::size_t i = 0; i < spec.series.size(); ++i)
    if (!spec.series[i].name.empty()) swatches.push_back({colors[i], spec.series[i].line_width, spec.series[i].markers});
  draw_legend(c, area, series_names(spec), swatches);
  return c;
}

void line_chart(const std::filesystem::path& path, const LineChartSpec& spec) { render_line_chart(spec).save_png(path); }

// ---- scatter plot ----

namespace {
// Nice tick values, but the axis spans exactly [lo, hi]: a scatter plot's points fill the picture instead
// of leaving the space up to the next whole step empty.
Ticks tight_ticks(double lo, double hi, int target_count) {
  Ticks t = nice_ticks(lo, hi, target_count);
  if (lo == hi) return t;  // one value: keep the widened range
  t.lo = lo, t.hi = hi;
  std::erase_if(t.values, [&](double v) { return v < lo - 1e-9 * t.step || v > hi + 1e-9 * t.step; });
  return t;
}

Axes scatter_axes(const ScatterSpec& spec) {
  require(!spec.points.empty(), "scatter plot '{}' has no points; add at least one", spec.title);
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo, y_lo = x_lo, y_hi = -x_lo;
  for (std::size_t i = 0; i < spec.points.size(); ++i) {
    const ScatterPoint& p = spec.points[i];
    require_finite(p.x, fmt::format("x of point {} ('{}')", i, p.label));
    require_finite(p.y, fmt::format("y of point {} ('{}')", i, p.label));
    require(p.group >= 0 && (spec.group_names.empty() || p.group < static_cast<int>(spec.group_names.size())),
            "point {} ('{}') is in group {}, but there are {} group names; groups are numbered from 0", i, p.label,
            p.group, spec.group_names.size());
    x_lo = std::min(x_lo, p.x), x_hi = std::max(x_hi, p.x), y_lo = std::min(y_lo, p.y), y_hi = std::max(y_hi, p.y);
  }
  // 5% of air on each side so points at the extremes are not cut by the frame, and on the right enough
  // for the widest label (estimated from the image width: the exact plot width comes from the layout).
  int label_px = 0;
  for (const ScatterPoint& p : spec.points)
    if (!p.label.empty()) label_px = std::max(label_px, text_width(p.label, kScale) + static_cast<int>(spec.point_radius) + 3);
  const double plot_px = std::max(100, spec.width - 160 - legend_width(spec.group_names));
  const double label_share = std::min(static_cast<double>(label_px) / plot_px, 0.3);
  const double x_span = (x_hi - x_lo) * 1.1 / (1 - label_share);
  const double x_pad = 0.05 * (x_hi - x_lo), y_pad = 0.05 * (y_hi - y_lo);
  return layout_axes({spec.title, spec.x_label, spec.y_label},
                     tight_ticks(x_lo - x_pad, x_lo - x_pad + x_span, 7), tight_ticks(y_lo - y_pad, y_hi + y_pad, 6),
                     false, false, spec.width, spec.height, legend_width(spec.group_names));
}
}  // namespace

PlotArea scatter_layout(const ScatterSpec& spec) { return scatter_axes(spec).area; }

namespace {
long overlap(const LabelBox& a, const LabelBox& b) {  // shared pixels
  const long w = std::min(a.x1, b.x1) - std::max(a.x0, b.x0) + 1, h = std::min(a.y1, b.y1) - std::max(a.y0, b.y0) + 1;
  return w > 0 && h > 0 ? w * h : 0;
}

// Where each point's label goes: beside its point on the right if that is free, else on the left, above or
// below, or diagonally; "free" means clear of the labels placed so far, of every other point, and of the
// frame. Where no place is free, the one overlapping least. Labels are placed in point order.
std::vector<LabelBox> place_labels(const ScatterSpec& spec, const PlotArea& a) {
  const int r = static_cast<int>(std::ceil(spec.point_radius)), gap = 3, h = kGlyphHeight;
  std::vector<LabelBox> dots, labels;
  for (const ScatterPoint& p : spec.points) {
    const int x = static_cast<int>(a.to_px_x(p.x)), y = static_cast<int>(a.to_px_y(p.y));
    dots.push_back({x - r, y - r, x + r, y + r});
  }
  for (std::size_t i = 0; i < spec.points.size(); ++i) {
    if (spec.points[i].label.empty()) {
      labels.push_back({0, 0, -1, -1});  // takes no room
      continue;
    }
    const int w = text_width(spec.points[i].label, kScale);
    const int x = (dots[i].x0 + dots[i].x1) / 2, y = (dots[i].y0 + dots[i].y1) / 2;
    const int right = x + r + gap, left = x - r - gap - w, centre = x - w / 2;
    const int middle = y - h / 2, above = y - r - gap - h, below = y + r + gap;
    const LabelBox candidates[] = {{right, middle, right + w, middle + h}, {left, middle, left + w, middle + h},
                              {centre, above, centre + w, above + h},  {centre, below, centre + w, below + h},
                              {right, above, right + w, above + h},    {right, below, right + w, below + h},
                              {left, above, left + w, above + h},      {left, below, left + w, below + h}};
    LabelBox best = candidates[0];
    long best_cost = -1;
    for (const LabelBox& b : candidates) {
      long cost = 0;
      for (const LabelBox& l : labels) cost += overlap(b, l);
      for (std::size_t j = 0; j < dots.size(); ++j)
        if (j != i) cost += overlap(b, dots[j]);
      if (b.x0 < a.left + 1 || b.x1 > a.right - 1 || b.y0 < a.top + 1 || b.y1 > a.bottom - 1) cost += 1000000;
      if (best_cost < 0 || cost < best_cost) best = b, best_cost = cost;
      if (cost == 0) break;
    }
    labels.push_back(best);
  }
  return labels;
}
}  // namespace

std::vector<LabelBox> scatter_label_boxes(const ScatterSpec& spec) { return place_labels(spec, scatter_layout(spec)); }

Canvas render_scatter(const ScatterSpec& spec) {
  const Axes axes = scatter_axes(spec);
  const PlotArea& a = axes.area;
  Canvas c(spec.width, spec.height);
  draw_grid(c, axes);
  // Labels first, then points on top, so a label never hides a point (and the labels avoid the points).
  const std::vector<LabelBox> labels = place_labels(spec, a);
  for (std::size_t i = 0; i < spec.points.size(); ++i)
    if (!spec.points[i].label.empty()) c.text(labels[i].x0, labels[i].y0, spec.points[i].label, kText, kScale);
  for (const ScatterPoint& p : spec.points)
    c.fill_circle(a.to_px_x(p.x), a.to_px_y(p.y), spec.point_radius, palette_color(static_cast<std::size_t>(p.group)));
  draw_frame_and_labels(c, axes, {spec.title, spec.x_label, spec.y_label});
  std::vector<Swatch> swatches;
  for (std::size_t g = 0; g < spec.group_names.size(); ++g) swatches.push_back({palette_color(g), 0, true});
  draw_legend(c, a, spec.group_names, swatches);
  return c;
}

void scatter_plot(const std::filesystem::path& path, const ScatterSpec& spec) { render_scatter(spec).save_png(path); }

// ---- heatmap ----

namespace {
constexpr std::size_t kMaxLabelChars = 12;
constexpr int kBarWidth = 20;
constexpr int kSwatch = 16;  // the masked-grey square in the legend under the grid

std::string shorten(const std::string& label) {
  return label.size() <= kMaxLabelChars ? label : label.substr(0, kMaxLabelChars - 2) + "..";
}

int widest(const std::vector<std::string>& labels) {
  int w = 0;
  for (const auto& l : labels) w = std::max(w, text_width(shorten(l), kScale));
  return w;
}

Ticks bar_ticks(double v_min, double v_max) {
  Ticks t = nice_ticks(v_min, v_max, 5);
  // Only ticks inside the colour range: the bar is not widened to whole steps.
  std::erase_if(t.values, [&](double v) { return v < v_min - 1e-9 * t.step || v > v_max + 1e-9 * t.step; });
  return t;
}

bool is_masked(const HeatmapSpec& spec, std::size_t i) { return !spec.masked.empty() && spec.masked[i]; }

bool shows_mask_legend(const HeatmapSpec& spec) {
  return !spec.masked_label.empty() && std::find(spec.masked.begin(), spec.masked.end(), true) != spec.masked.end();
}

void check_heatmap(const HeatmapSpec& spec) {
  require(spec.rows > 0 && spec.cols > 0, "heatmap '{}' is {}x{}; it needs at least one row and one column",
          spec.title, spec.rows, spec.cols);
  const std::size_t cells = static_cast<std::size_t>(spec.rows) * spec.cols;
  require(spec.values.size() == cells, "heatmap '{}' is {}x{} but has {} values; give rows*cols = {} values, row by row",
          spec.title, spec.rows, spec.cols, spec.values.size(), cells);
  require(spec.masked.empty() || spec.masked.size() == cells,
          "heatmap '{}' has {} cells but {} mask flags; give one flag per cell (row by row) or none", spec.title,
          cells, spec.masked.size());
  require(spec.row_labels.empty() || spec.row_labels.size() == static_cast<std::size_t>(spec.rows),
          "heatmap has {} rows but {} row labels; give one per row or none", spec.rows, spec.row_labels.size());
  require(spec.col_labels.empty() || spec.col_labels.size() == static_cast<std::size_t>(spec.cols),
          "heatmap has {} columns but {} column labels; give one per column or none", spec.cols,
          spec.col_labels.size());
  require(spec.cell_size >= 0, "heatmap '{}' has cell size {}; give a size in pixels, or 0 to fit the image",
          spec.title, spec.cell_size);
  for (std::size_t i = 0; i < cells; ++i)
    require_finite(spec.values[i], fmt::format("heatmap value ({}, {})", i / spec.cols, i % spec.cols));
}

// The colour range: the spec's, or the unmasked values' min and max (all masked: 0..1).
void set_color_range(const HeatmapSpec& spec, HeatmapLayout& L) {
  L.v_min = std::numeric_limits<double>::infinity(), L.v_max = -L.v_min;
  for (std::size_t i = 0; i < spec.values.size(); ++i)
    if (!is_masked(spec, i)) L.v_min = std::min(L.v_min, spec.values[i]), L.v_max = std::max(L.v_max, spec.values[i]);
  if (L.v_min > L.v_max) L.v_min = 0, L.v_max = 1;
  if (spec.v_min) L.v_min = *spec.v_min;
  if (spec.v_max) L.v_max = *spec.v_max;
  require(L.v_min <= L.v_max, "heatmap colour range [{}, {}] is reversed; v_min must not exceed v_max", L.v_min,
          L.v_max);
}

// Column labels are written horizontally when they fit their cell, else rotated (reading upwards).
bool rotate_col_labels(const HeatmapSpec& spec, double cell_w) { return widest(spec.col_labels) + 4 > cell_w; }

// Height of everything under the grid: column labels, the x label, the masked-cell legend.
int heatmap_bottom_margin(const HeatmapSpec& spec, bool rotate) {
  int h = kPad;
  if (!spec.col_labels.empty()) h += (rotate ? widest(spec.col_labels) : kGlyphHeight) + 10;
  if (!spec.x_label.empty()) h += kGlyphHeight + kPad;
  if (shows_mask_legend(spec)) h += kSwatch + kPad;
  return h;
}
}  // namespace

Rgb HeatmapLayout::color_of(double value) const {
  return colormap_viridis(v_max > v_min ? (value - v_min) / (v_max - v_min) : 0.5);
}

HeatmapLayout heatmap_layout(const HeatmapSpec& spec) {
  check_heatmap(spec);
  HeatmapLayout L;
  set_color_range(spec, L);
  int tick_w = 0;
  const Ticks ticks = bar_ticks(L.v_min, L.v_max == L.v_min ? L.v_min + 1 : L.v_max);
  for (double v : ticks.values) tick_w = std::max(tick_w, text_width(format_tick(v, ticks.step), kScale));
  L.left = kPad + (spec.y_label.empty() ? 0 : kGlyphHeight + kPad) + widest(spec.row_labels) +
           (spec.row_labels.empty() ? 0 : 10);
  L.top = kPad + (spec.title.empty() ? 0 : kGlyphHeight + 2 * kPad);
  L.bar_width = spec.color_bar ? kBarWidth : 0;
  const int right_margin = spec.color_bar ? 3 * kPad + L.bar_width + 10 + tick_w : kPad;
  int grid_w = 0, grid_h = 0;
  if (spec.cell_size > 0) {
    // Square cells of a given size: the image grows to fit the grid and every text around it.
    grid_w = spec.cols * spec.cell_size, grid_h = spec.rows * spec.cell_size;
    const int bottom_text_w = std::max(text_width(spec.x_label, kScale),
                                       shows_mask_legend(spec) ? kSwatch + 8 + text_width(spec.masked_label, kScale) : 0);
    L.width = std::max({L.left + grid_w + right_margin, L.left + bottom_text_w + kPad,
                        text_width(spec.title, kScale) + 2 * kPad});
    L.height = L.top + grid_h + heatmap_bottom_margin(spec, rotate_col_labels(spec, spec.cell_size));
  } else {
    L.width = spec.width, L.height = spec.height;
    grid_w = spec.width - L.left - right_margin;
    const bool rotate = grid_w > 0 && rotate_col_labels(spec, static_cast<double>(grid_w) / spec.cols);
    grid_h = spec.height - L.top - heatmap_bottom_margin(spec, rotate);
    require(grid_w >= spec.cols && grid_h >= spec.rows,
            "a {}x{} heatmap does not fit in a {}x{} image with its labels; make the image larger", spec.rows,
            spec.cols, spec.width, spec.height);
  }
  L.cell_w = static_cast<double>(grid_w) / spec.cols;
  L.cell_h = static_cast<double>(grid_h) / spec.rows;
  L.bar_left = L.left + grid_w + 2 * kPad;
  L.bar_top = L.top;
  L.bar_height = grid_h;
  L.mask_legend_x = L.left;
  L.mask_legend_y = L.height - kPad - kSwatch;
  return L;
}

namespace {

void draw_heatmap_labels(Canvas& c, const HeatmapSpec& spec, const HeatmapLayout& L) {
  const int grid_bottom = L.top + static_cast<int>(spec.rows * L.cell_h);
  const int grid_right = L.left + static_cast<int>(spec.cols * L.cell_w);
  // With more rows or columns than fit a label each, every k-th is labelled (labels never overlap).
  const int row_every = std::max(1, static_cast<int>(std::ceil((kGlyphHeight + 2) / L.cell_h)));
  for (int r = 0; r < spec.rows && !spec.row_labels.empty(); r += row_every) {
    const std::string label = shorten(spec.row_labels[r]);
    c.text(L.left - 10 - text_width(label, kScale), L.cell_center_y(r) - kGlyphHeight / 2, label, kText, kScale);
  }
  const int col_w = widest(spec.col_labels);
  const bool rotate = rotate_col_labels(spec, L.cell_w);
  const double col_label_size = rotate ? kGlyphHeight + 6 : col_w + 4;
  const int col_every = std::max(1, static_cast<int>(std::ceil(col_label_size / L.cell_w)));
  for (int col = 0; col < spec.cols && !spec.col_labels.empty(); col += col_every) {
    const std::string label = shorten(spec.col_labels[col]);
    if (rotate)
      c.text(L.cell_center_x(col) - kGlyphHeight / 2, grid_bottom + 8 + text_width(label, kScale), label, kText,
             kScale, true);
    else
      c.text(L.cell_center_x(col) - text_width(label, kScale) / 2, grid_bottom + 8, label, kText, kScale);
  }
  const int labels_bottom = grid_bottom + (spec.col_labels.empty() ? 0 : (rotate ? col_w : kGlyphHeight) + 10);
  if (!spec.x_label.empty())
    c.text((L.left + grid_right - text_width(spec.x_label, kScale)) / 2, labels_bottom + kPad, spec.x_label, kText,
           kScale);
  if (!spec.y_label.empty())
    c.text(kPad, (L.top + grid_bottom + text_width(spec.y_label, kScale)) / 2, spec.y_label, kText, kScale, true);
  if (shows_mask_legend(spec)) {
    c.fill_rect(L.mask_legend_x, L.mask_legend_y, L.mask_legend_x + kSwatch - 1, L.mask_legend_y + kSwatch - 1,
                kMaskedGrey);
    c.text(L.mask_legend_x + kSwatch + 8, L.mask_legend_y + (kSwatch - kGlyphHeight) / 2, spec.masked_label, kText,
           kScale);
  }
}

// Colour bar: top is v_max, bottom v_min, with tick values on its right.
void draw_color_bar(Canvas& c, const HeatmapLayout& L) {
  for (int y = 0; y < L.bar_height; ++y) {
    const double t = L.bar_height > 1 ? 1.0 - static_cast<double>(y) / (L.bar_height - 1) : 0.5;
    c.fill_rect(L.bar_left, L.bar_top + y, L.bar_left + L.bar_width - 1, L.bar_top + y, colormap_viridis(t));
  }
  c.rect_outline(L.bar_left - 1, L.bar_top - 1, L.bar_left + L.bar_width, L.bar_top + L.bar_height, kAxisGrey);
  if (L.v_max <= L.v_min) return;
  const Ticks ticks = bar_ticks(L.v_min, L.v_max);
  for (double v : ticks.values) {
    const int py = L.bar_top + static_cast<int>(std::lround((L.v_max - v) / (L.v_max - L.v_min) * (L.bar_height - 1)));
    c.fill_rect(L.bar_left + L.bar_width, py, L.bar_left + L.bar_width + 5, py, kAxisGrey);
    c.text(L.bar_left + L.bar_width + 10, py - kGlyphHeight / 2, format_tick(v, ticks.step), kText, kScale);
  }
}

}  // namespace

Canvas render_heatmap(const HeatmapSpec& spec) {
  const HeatmapLayout L = heatmap_layout(spec);
  Canvas c(L.width, L.height);
  for (int r = 0; r < spec.rows; ++r)
    for (int col = 0; col < spec.cols; ++col) {
      const std::size_t i = static_cast<std::size_t>(r) * spec.cols + col;
      c.fill_rect(L.left + static_cast<int>(col * L.cell_w), L.top + static_cast<int>(r * L.cell_h),
                  L.left + static_cast<int>((col + 1) * L.cell_w) - 1, L.top + static_cast<int>((r + 1) * L.cell_h) - 1,
                  is_masked(spec, i) ? kMaskedGrey : L.color_of(spec.values[i]));
    }
  draw_heatmap_labels(c, spec, L);
  if (spec.color_bar) draw_color_bar(c, L);
  if (!spec.title.empty()) c.text((c.width() - text_width(spec.title, kScale)) / 2, kPad + 4, spec.title, kBlack, kScale);
  return c;
}

void heatmap(const std::filesystem::path& path, const HeatmapSpec& spec) { render_heatmap(spec).save_png(path); }

// ---- several heatmaps side by side ----

int heatmap_panels_top(const std::string& title) { return title.empty() ? 0 : kGlyphHeight + 2 * kPad; }

int heatmap_panel_x(const std::vector<HeatmapSpec>& panels, std::size_t index) {
  require(index < panels.size(), "panel {} of {} does not exist; panels are numbered from 0", index, panels.size());
  int x = 0;
  for (std::size_t i = 0; i < index; ++i) x += heatmap_layout(panels[i]).width;
  return x;
}

Canvas render_heatmap_panels(const std::vector<HeatmapSpec>& panels, const std::string& title) {
  require(!panels.empty(), "heatmap panels '{}': no panels to draw; give at least one", title);
  std::vector<Canvas> drawn;
  int width = 0, height = 0;
  for (const HeatmapSpec& p : panels) {
    drawn.push_back(render_heatmap(p));
    width += drawn.back().width(), height = std::max(height, drawn.back().height());
  }
  const int top = heatmap_panels_top(title);
  width = std::max(width, text_width(title, kScale) + 2 * kPad);
  Canvas c(width, top + height);
  int x = 0;
  for (const Canvas& d : drawn) {
    c.paste(x, top, d);
    x += d.width();
  }
  if (!title.empty()) c.text((width - text_width(title, kScale)) / 2, kPad + 4, title, kBlack, kScale);
  return c;
}

void heatmap_panels(const std::filesystem::path& path, const std::vector<HeatmapSpec>& panels,
                    const std::string& title) {
  render_heatmap_panels(panels, title).save_png(path);
}

}  // namespace minillm::plot
