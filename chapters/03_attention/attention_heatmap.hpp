#pragma once
// Attention heatmaps as a PNG: one panel per head, rows = queries, columns = keys, token labels on both
// axes (row labels on the left, column labels written upwards above the grid). White = probability 0,
// dark blue = 1; the masked future (above the diagonal) is light grey so it reads as "not allowed", not
// as "allowed but ignored". Pixels in a buffer, text with stb_easy_font, encoded by stb_image_write into
// memory and saved atomically.
// (A demo-local picture: src/plot's shared heatmap() did not exist yet when this chapter was written.)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <stb_easy_font.h>
#include <stb_image_write.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

struct HeatmapPanel {
  std::string title;
  const float* probs;  // [T, T], row = query, column = key
};

namespace heatmap_detail {

struct Canvas {
  int width, height;
  std::vector<uint8_t> rgb;
  Canvas(int w, int h) : width(w), height(h), rgb(static_cast<size_t>(w) * h * 3, 255) {}
  void fill(int x0, int y0, int x1, int y1, uint32_t color) {  // [x0, x1) x [y0, y1)
    for (int y = std::max(0, y0); y < std::min(height, y1); ++y)
      for (int x = std::max(0, x0); x < std::min(width, x1); ++x) {
        uint8_t* p = &rgb[(static_cast<size_t>(y) * width + x) * 3];
        p[0] = static_cast<uint8_t>(color >> 16), p[1] = static_cast<uint8_t>(color >> 8),
        p[2] = static_cast<uint8_t>(color);
      }
  }
  // stb_easy_font emits quads (4 vertices of 16 bytes: x, y, z floats + RGBA); the font is ~7 px high.
  // upwards = true rotates the text 90° counter-clockwise (it reads bottom to top, ending at (x, y)).
  void text(int x, int y, const std::string& s, int scale, uint32_t color, bool upwards = false) {
    std::vector<char> buffer(s.size() * 64 * 24 + 64);
    std::string copy = s;
    const int quads = stb_easy_font_print(0, 0, copy.data(), nullptr, buffer.data(), static_cast<int>(buffer.size()));
    for (int q = 0; q < quads; ++q) {
      const float* v = reinterpret_cast<const float*>(buffer.data() + q * 64);
      const int qx0 = static_cast<int>(v[0]) * scale, qy0 = static_cast<int>(v[1]) * scale;
      const int qx1 = static_cast<int>(v[8]) * scale, qy1 = static_cast<int>(v[9]) * scale;
      if (upwards)
        fill(x + qy0, y - qx1, x + qy1, y - qx0, color);
      else
        fill(x + qx0, y + qy0, x + qx1, y + qy1, color);
    }
  }
  static int text_width(const std::string& s, int scale) {
    std::string copy = s;
    return stb_easy_font_width(copy.data()) * scale;
  }
};

// White (p = 0) to dark blue (p = 1), with a square root so small weights are still visible.
inline uint32_t shade(float p) {
  const float t = std::sqrt(std::clamp(p, 0.0f, 1.0f));
  auto mix = [t](int from, int to) { return static_cast<uint32_t>(std::lround(from + (to - from) * t)); };
  return mix(255, 8) << 16 | mix(255, 48) << 8 | mix(255, 107);
}

}  // namespace heatmap_detail

inline void write_attention_heatmaps(const std::filesystem::path& file, const std::vector<std::string>& tokens,
                                     const std::vector<HeatmapPanel>& panels) {
  using heatmap_detail::Canvas;
  const int T = static_cast<int>(tokens.size());
  minillm::require(T >= 1 && !panels.empty(), "a heatmap needs at least one token and one panel");
  constexpr int cell = 28, font = 2, gap = 40, title_h = 40;
  constexpr uint32_t ink = 0x222222, masked = 0xE6E6E6, border = 0xBBBBBB;
  int label_w = 0;
  for (const auto& tok : tokens) label_w = std::max(label_w, Canvas::text_width(tok, font));
  label_w += 12;
  const int grid = T * cell;
  const int panel_w = label_w + grid;
  const int W = gap + static_cast<int>(panels.size()) * (panel_w + gap);
  const int H = title_h + label_w + grid + 60;
  Canvas c(W, H);
  for (size_t i = 0; i < panels.size(); ++i) {
    const int x0 = gap + static_cast<int>(i) * (panel_w + gap) + label_w;  // grid's left edge
    const int y0 = title_h + label_w;                                       // grid's top edge
    c.text(x0 - label_w, 12, panels[i].title, font, ink);
    for (int t = 0; t < T; ++t) {
      c.text(x0 - 6 - Canvas::text_width(tokens[t], font), y0 + t * cell + cell / 2 - 7, tokens[t], font, ink);
      c.text(x0 + t * cell + cell / 2 - 7, y0 - 6, tokens[t], font, ink, /*upwards=*/true);
      for (int s = 0; s < T; ++s) {
        const uint32_t color = s > t ? masked : heatmap_detail::shade(panels[i].probs[t * T + s]);
        c.fill(x0 + s * cell, y0 + t * cell, x0 + (s + 1) * cell - 1, y0 + (t + 1) * cell - 1, color);
      }
    }
    c.fill(x0 - 1, y0 + grid, x0 + grid, y0 + grid + 1, border);
    c.text(x0, y0 + grid + 10, "rows: queries   columns: keys", font, ink);
    c.text(x0, y0 + grid + 32, "grey: the masked future", font, 0x777777);
  }
  std::string png;
  auto append = [](void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size));
  };
  minillm::require(stbi_write_png_to_func(append, &png, W, H, 3, c.rgb.data(), W * 3) != 0,
                   "could not encode the heatmap PNG ({}x{} pixels)", W, H);
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  minillm::write_file_atomically(file, png);
}
