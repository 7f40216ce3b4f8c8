// Scatter plots (words in 2-D): tight axes, dots by group, labels placed where they do not collide.
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

}  // namespace minillm::plot
