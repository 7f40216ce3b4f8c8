// The chart parts shared by the line chart, scatter plot and heatmap (plot/chart_axes.hpp).
#include "plot/chart_axes.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace minillm::plot {

namespace chart {

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

}  // namespace chart

double PlotArea::to_px_x(double x) const {
  const double v = log_x ? std::log10(x) : x;
  return left + (v - x_lo) / (x_hi - x_lo) * (right - left);
}

double PlotArea::to_px_y(double y) const {
  const double v = log_y ? std::log10(y) : y;
  return bottom - (v - y_lo) / (y_hi - y_lo) * (bottom - top);
}

}  // namespace minillm::plot
