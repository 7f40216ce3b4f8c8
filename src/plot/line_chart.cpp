// Line charts (loss curves): axes, a polyline per series, a legend.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

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

// Notes: a numbered dot on each note's point, and the numbered texts in a band under the chart, one line
// each, where they cover nothing.
constexpr int kNoteLine = kGlyphHeight + 12;  // pixels per line of the band
int notes_band_height(const std::vector<Note>& notes) {
  return notes.empty() ? 0 : 10 + kNoteLine * static_cast<int>(notes.size());
}

void draw_notes(Canvas& c, const PlotArea& area, const std::vector<Note>& notes, int band_top) {
  const Rgb kMark{90, 90, 90};
  for (size_t i = 0; i < notes.size(); ++i) {
    const Note& n = notes[i];
    require_finite(n.x, "a note's x"), require_finite(n.y, "a note's y");
    const double px = area.to_px_x(n.x), py = area.to_px_y(n.y);
    const std::string number = std::to_string(i + 1);
    c.fill_circle(px, py, 5, kMark);
    c.text(int(px) + 6, int(py) - kGlyphHeight - 6, number, kMark, kScale);  // above and right of the dot
    c.text(area.left, band_top + 10 + kNoteLine * int(i), number + "  " + n.text, kText, kScale);
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
  if (spec.notes.empty()) return c;
  Canvas with_band(spec.width, spec.height + notes_band_height(spec.notes));  // the notes' texts under the chart
  with_band.paste(0, 0, c);
  draw_notes(with_band, area, spec.notes, spec.height);
  return with_band;
}

void line_chart(const std::filesystem::path& path, const LineChartSpec& spec) { render_line_chart(spec).save_png(path); }

}  // namespace minillm::plot
