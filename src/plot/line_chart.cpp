// Line charts (loss curves): axes, a polyline per series, a legend.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"
#include "plot/chart_axes.hpp"
#include "plot/charts.hpp"

namespace minillm::plot {

using namespace chart;  // the parts every chart shares: kScale, Axes, draw_legend, ...

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

// The notes' boxes, top to bottom in the plot's upper right corner, each joined to its point.
void draw_notes(Canvas& c, const PlotArea& area, const std::vector<Note>& notes) {
  constexpr int kNoteScale = 2, kPadding = 6, kGap = 10;
  const Rgb kBox{250, 250, 245}, kEdge{120, 120, 120}, kInk{40, 40, 40};
  int top = area.top + kGap;
  for (const Note& n : notes) {
    const int w = text_width(n.text, kNoteScale) + 2 * kPadding, h = text_height(n.text, kNoteScale) + 2 * kPadding;
    const int x0 = std::max(area.left + kGap, area.right - kGap - w), y0 = top;
    require_finite(n.x, "a note's x"), require_finite(n.y, "a note's y");
    const double px = area.to_px_x(n.x), py = area.to_px_y(n.y);
    c.line(px, py, x0, y0 + h / 2.0, kEdge, 1.0);  // under the box, so it starts at the box's edge
    c.fill_circle(px, py, 4, kEdge);
    c.fill_rect(x0, y0, x0 + w, y0 + h, kBox);
    c.rect_outline(x0, y0, x0 + w, y0 + h, kEdge);
    c.text(x0 + kPadding, y0 + kPadding, n.text, kInk, kNoteScale);
    top = y0 + h + kGap;
  }
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
  draw_notes(c, area, spec.notes);
  return c;
}

void line_chart(const std::filesystem::path& path, const LineChartSpec& spec) { render_line_chart(spec).save_png(path); }

}  // namespace minillm::plot
