#include "train/loss_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include <fmt/format.h>
#include <stb_easy_font.h>
#include <stb_image_write.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

namespace minillm {

namespace {

struct Canvas {
  int width, height;
  std::vector<uint8_t> rgb;
  Canvas(int w, int h) : width(w), height(h), rgb(static_cast<size_t>(w) * static_cast<size_t>(h) * 3, 255) {}
  void fill(int x0, int y0, int x1, int y1, uint32_t color) {  // [x0, x1) x [y0, y1)
    for (int y = std::max(0, y0); y < std::min(height, y1); ++y)
      for (int x = std::max(0, x0); x < std::min(width, x1); ++x) {
        uint8_t* p = &rgb[(static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)) * 3];
        p[0] = static_cast<uint8_t>(color >> 16), p[1] = static_cast<uint8_t>(color >> 8), p[2] = static_cast<uint8_t>(color);
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
  // stb_easy_font emits quads of 4 vertices (16 bytes each: x, y, z, rgba); glyphs are 7 px high.
  void text(int x, int y, std::string s, int scale, uint32_t color) {
    std::vector<char> buffer(s.size() * 64 * 24 + 64);
    const int quads = stb_easy_font_print(0, 0, s.data(), nullptr, buffer.data(), static_cast<int>(buffer.size()));
    for (int q = 0; q < quads; ++q) {
      const float* v = reinterpret_cast<const float*>(buffer.data() + q * 64);
      fill(x + static_cast<int>(v[0]) * scale, y + static_cast<int>(v[1]) * scale, x + static_cast<int>(v[8]) * scale,
           y + static_cast<int>(v[9]) * scale, color);
    }
  }
  static int text_width(std::string s, int scale) { return stb_easy_font_width(s.data()) * scale; }
};

}  // namespace

void write_loss_chart(const std::filesystem::path& file, const std::vector<std::pair<double, double>>& train,
                      const std::vector<std::pair<double, double>>& val) {
  require(!train.empty(), "the loss chart needs at least one training step");
  constexpr int W = 800, H = 480, left = 80, right = 30, top = 60, bottom = 70;
  constexpr uint32_t ink = 0x222222, grid = 0xDDDDDD, light_blue = 0xAEC7E8, blue = 0x1F77B4, orange = 0xFF7F0E;
  Canvas c(W, H);
  double x_max = train.back().first, y_min = 1e30, y_max = -1e30;
  for (const auto& [s, l] : train) y_min = std::min(y_min, l), y_max = std::max(y_max, l);
  for (const auto& [s, l] : val) y_min = std::min(y_min, l), y_max = std::max(y_max, l), x_max = std::max(x_max, s);
  y_min = std::floor(y_min), y_max = std::ceil(y_max);
  if (y_max <= y_min) y_max = y_min + 1;
  x_max = std::max(x_max, 2.0);
  auto px = [&](double step) { return left + (step - 1) / (x_max - 1) * (W - left - right); };
  auto py = [&](double loss) { return H - bottom - (loss - y_min) / (y_max - y_min) * (H - top - bottom); };

  const int y_ticks = static_cast<int>(y_max - y_min);
  for (int i = 0; i <= y_ticks; i += std::max(1, y_ticks / 8)) {  // horizontal grid, one line per nat
    const double y = y_min + i;
    c.line(left, py(y), W - right, py(y), 1, grid);
    const std::string label = fmt::format("{:g}", y);
    c.text(left - 12 - Canvas::text_width(label, 2), static_cast<int>(py(y)) - 7, label, 2, ink);
  }
  for (int i = 0; i <= 4; ++i) {  // five step labels
    const double step = 1 + (x_max - 1) * i / 4;
    const std::string label = fmt::format("{:.0f}", step);
    c.text(static_cast<int>(px(step)) - Canvas::text_width(label, 2) / 2, H - bottom + 12, label, 2, ink);
  }
  c.line(left, top - 10, left, H - bottom, 2, ink);
  c.line(left, H - bottom, W - right, H - bottom, 2, ink);

  for (size_t i = 0; i + 1 < train.size(); ++i)  // every step: noisy, drawn light
    c.line(px(train[i].first), py(train[i].second), px(train[i + 1].first), py(train[i + 1].second), 1, light_blue);
  const size_t window = std::max<size_t>(1, train.size() / 50);  // running mean: the trend
  double prev_x = 0, prev_y = 0;
  for (size_t i = 0; i < train.size(); ++i) {
    double sum = 0;
    const size_t from = i + 1 >= window ? i + 1 - window : 0;
    for (size_t j = from; j <= i; ++j) sum += train[j].second;
    const double x = px(train[i].first), y = py(sum / double(i + 1 - from));
    if (i > 0) c.line(prev_x, prev_y, x, y, 3, blue);
    prev_x = x, prev_y = y;
  }
  for (size_t i = 0; i < val.size(); ++i) {
    const double x = px(val[i].first), y = py(val[i].second);
    if (i > 0) c.line(px(val[i - 1].first), py(val[i - 1].second), x, y, 2, orange);
    c.fill(static_cast<int>(x) - 5, static_cast<int>(y) - 5, static_cast<int>(x) + 6, static_cast<int>(y) + 6, orange);
  }
  const std::string title = "Loss while training (nats per token)";
  c.text(W / 2 - Canvas::text_width(title, 2) / 2, 14, title, 2, ink);
  c.text(W / 2 - Canvas::text_width("step", 2) / 2, H - 28, "step", 2, ink);
  c.fill(W - 300, 40, W - 280, 46, blue);
  c.text(W - 272, 36, "training (mean)", 2, ink);
  c.fill(W - 300, 58, W - 280, 64, orange);
  c.text(W - 272, 54, "validation", 2, ink);

  std::string png;
  auto append = [](void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size));
  };
  require(stbi_write_png_to_func(append, &png, W, H, 3, c.rgb.data(), W * 3) != 0, "could not encode the loss chart");
  write_file_atomically(file, png);
}

}  // namespace minillm
