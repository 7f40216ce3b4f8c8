// Heatmaps (attention weights): a grid of coloured cells, a colour bar, the mask in grey; several side by side.
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
