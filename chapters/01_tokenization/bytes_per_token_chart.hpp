#pragma once
// The demo's one picture: bytes per token (y) against vocabulary size (x, doubling steps), as a PNG.
// A small self-contained line chart: pixels in a buffer, text with stb_easy_font, encoded by
// stb_image_write into memory and saved atomically.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <stb_easy_font.h>
#include <stb_image_write.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

struct ChartPoint {
  double vocab_size;
  double bytes_per_token;
};

namespace chart_detail {

struct Canvas {
  int width, height;
  std::vector<uint8_t> rgb;
  Canvas(int w, int h) : width(w), height(h), rgb(static_cast<size_t>(w) * h * 3, 255) {}
  void fill(int x0, int y0, int x1, int y1, uint32_t color) {  // inclusive-exclusive rectangle
    for (int y = std::max(0, y0); y < std::min(height, y1); ++y)
      for (int x = std::max(0, x0); x < std::min(width, x1); ++x) {
        uint8_t* p = &rgb[(static_cast<size_t>(y) * width + x) * 3];
        p[0] = color >> 16, p[1] = (color >> 8) & 0xFF, p[2] = color & 0xFF;
      }
  }
  void line(double x0, double y0, double x1, double y1, int thickness, uint32_t color) {
    const int steps = static_cast<int>(std::max(std::abs(x1 - x0), std::abs(y1 - y0))) + 1;
    for (int i = 0; i <= steps; ++i) {
      const int x = static_cast<int>(std::lround(x0 + (x1 - x0) * i / steps));
      const int y = static_cast<int>(std::lround(y0 + (y1 - y0) * i / steps));
      fill(x - thickness / 2, y - thickness / 2, x + (thickness + 1) / 2, y + (thickness + 1) / 2, color);
    }
  }
  // stb_easy_font emits quads (4 vertices of 16 bytes: x, y, z floats + RGBA); the font is 7 px high.
  void text(int x, int y, const std::string& s, int scale, uint32_t color) {
    std::vector<char> buffer(s.size() * 64 * 24 + 64);  // 64 bytes per quad, at most ~20 quads a character
    std::string copy = s;
    const int quads = stb_easy_font_print(0, 0, copy.data(), nullptr, buffer.data(), static_cast<int>(buffer.size()));
    for (int q = 0; q < quads; ++q) {
      const float* v = reinterpret_cast<const float*>(buffer.data() + q * 64);
      const int qx0 = static_cast<int>(v[0]), qy0 = static_cast<int>(v[1]);
      const int qx1 = static_cast<int>(v[8]), qy1 = static_cast<int>(v[9]);  // the opposite corner
      fill(x + qx0 * scale, y + qy0 * scale, x + qx1 * scale, y + qy1 * scale, color);
    }
  }
  static int text_width(const std::string& s, int scale) {
    std::string copy = s;
    return stb_easy_font_width(copy.data()) * scale;
  }
};

}  // namespace chart_detail

inline void write_bytes_per_token_chart(const std::filesystem::path& file, const std::vector<ChartPoint>& points) {
  minillm::require(points.size() >= 2, "the chart needs at least two vocabulary sizes");
  using chart_detail::Canvas;
  constexpr int W = 760, H = 460, left = 80, right = 30, top = 60, bottom = 70;
  constexpr uint32_t ink = 0x222222, grid = 0xDDDDDD, blue = 0x1F77B4;
  Canvas c(W, H);
  const double x_min = std::log2(points.front().vocab_size), x_max = std::log2(points.back().vocab_size);
  double y_max = 0;
  for (const auto& p : points) y_max = std::max(y_max, p.bytes_per_token);
  y_max = std::ceil(y_max + 0.25);
  auto px = [&](double vocab) { return left + (std::log2(vocab) - x_min) / std::max(1e-9, x_max - x_min) * (W - left - right); };
  auto py = [&](double bpt) { return H - bottom - bpt / y_max * (H - top - bottom); };

  for (int y = 0; y <= static_cast<int>(y_max); ++y) {  // horizontal grid with labels
    c.line(left, py(y), W - right, py(y), 1, grid);
    const std::string label = std::to_string(y);
    c.text(left - 12 - Canvas::text_width(label, 2), static_cast<int>(py(y)) - 7, label, 2, ink);
  }
  for (const auto& p : points) {  // one tick per measured vocabulary size
    c.line(px(p.vocab_size), H - bottom, px(p.vocab_size), H - bottom + 6, 2, ink);
    const std::string label = fmt::format("{}", static_cast<int>(p.vocab_size));
    c.text(static_cast<int>(px(p.vocab_size)) - Canvas::text_width(label, 2) / 2, H - bottom + 12, label, 2, ink);
  }
  c.line(left, top - 10, left, H - bottom, 2, ink);
  c.line(left, H - bottom, W - right, H - bottom, 2, ink);
  for (size_t i = 0; i + 1 < points.size(); ++i)
    c.line(px(points[i].vocab_size), py(points[i].bytes_per_token), px(points[i + 1].vocab_size),
           py(points[i + 1].bytes_per_token), 3, blue);
  for (const auto& p : points) {
    const int x = static_cast<int>(px(p.vocab_size)), y = static_cast<int>(py(p.bytes_per_token));
    c.fill(x - 5, y - 5, x + 6, y + 6, blue);
  }
  const std::string title = "Bytes per token as the BPE vocabulary grows";
  c.text(W / 2 - Canvas::text_width(title, 2) / 2, 14, title, 2, ink);
  c.text(W / 2 - Canvas::text_width("vocabulary size (tokens)", 2) / 2, H - 28, "vocabulary size (tokens)", 2, ink);
  c.text(8, top - 26, "bytes/token", 2, ink);

  std::string png;
  auto append = [](void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size));
  };
  minillm::require(stbi_write_png_to_func(append, &png, W, H, 3, c.rgb.data(), W * 3) != 0,
                   "could not encode the chart as PNG");
  minillm::write_file_atomically(file, png);
}
