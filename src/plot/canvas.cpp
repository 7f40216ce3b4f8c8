#include "plot/canvas.hpp"

#include <algorithm>
#include <cmath>

#include <stb_easy_font.h>
#include <stb_image_write.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

namespace minillm::plot {

namespace {

// stb_easy_font indexes a table by (char - 32) without checks, so anything outside printable ASCII
// becomes '?' before it gets there: one '?' per UTF-8 character (its continuation bytes are dropped).
std::string printable(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte >= 0x80 && byte < 0xC0) continue;  // continuation byte of a multi-byte character
    out += ch == '\n' || (byte >= 32 && byte <= 126) ? ch : '?';
  }
  return out;
}

// The quads stb_easy_font would draw for `text` at the origin, in font units (1 unit = 1 pixel at scale 1).
struct Quad {
  float x0, y0, x1, y1;
};
std::vector<Quad> font_quads(std::string_view text) {
  std::string s = printable(text);
  struct Vertex {
    float x, y, z;
    unsigned char color[4];
  };
  // Each glyph is at most ~30 quads of 4 vertices.
  std::vector<Vertex> vertices(s.size() * 30 * 4 + 4);
  const int quads = stb_easy_font_print(0, 0, s.data(), nullptr, vertices.data(),
                                        static_cast<int>(vertices.size() * sizeof(Vertex)));
  std::vector<Quad> out(static_cast<std::size_t>(quads));
  for (int q = 0; q < quads; ++q) {
    const Vertex& a = vertices[4 * q];
    const Vertex& c = vertices[4 * q + 2];
    out[q] = {std::min(a.x, c.x), std::min(a.y, c.y), std::max(a.x, c.x), std::max(a.y, c.y)};
  }
  return out;
}

}  // namespace

Canvas::Canvas(int width, int height, Rgb background) : width_(width), height_(height) {
  require(width > 0 && height > 0 && width <= 16384 && height <= 16384,
          "a canvas of {}x{} pixels is not possible; use a size between 1x1 and 16384x16384", width, height);
  rgb_.resize(static_cast<std::size_t>(width) * height * 3);
  for (std::size_t i = 0; i < rgb_.size(); i += 3) {
    rgb_[i] = background.r;
    rgb_[i + 1] = background.g;
    rgb_[i + 2] = background.b;
  }
}

Rgb Canvas::pixel(int x, int y) const {
  require(x >= 0 && x < width_ && y >= 0 && y < height_, "pixel ({}, {}) is outside the {}x{} canvas", x, y,
          width_, height_);
  const std::size_t i = (static_cast<std::size_t>(y) * width_ + x) * 3;
  return {rgb_[i], rgb_[i + 1], rgb_[i + 2]};
}

void Canvas::set_pixel(int x, int y, Rgb color) {
  if (x < 0 || x >= width_ || y < 0 || y >= height_) return;
  const std::size_t i = (static_cast<std::size_t>(y) * width_ + x) * 3;
  rgb_[i] = color.r;
  rgb_[i + 1] = color.g;
  rgb_[i + 2] = color.b;
}

void Canvas::fill_rect(int x0, int y0, int x1, int y1, Rgb color) {
  if (x0 > x1) std::swap(x0, x1);
  if (y0 > y1) std::swap(y0, y1);
  x0 = std::max(x0, 0), y0 = std::max(y0, 0);
  x1 = std::min(x1, width_ - 1), y1 = std::min(y1, height_ - 1);
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x) set_pixel(x, y, color);
}

void Canvas::rect_outline(int x0, int y0, int x1, int y1, Rgb color) {
  fill_rect(x0, y0, x1, y0, color);
  fill_rect(x0, y1, x1, y1, color);
  fill_rect(x0, y0, x0, y1, color);
  fill_rect(x1, y0, x1, y1, color);
}

void Canvas::line(double x0, double y0, double x1, double y1, Rgb color, double thickness) {
  // Every pixel whose centre lies within thickness/2 of the segment: a round brush, so joints between
  // consecutive segments of a polyline have no gaps. (No anti-aliasing: tests can check exact colours.)
  const double r = std::max(thickness, 1.0) / 2;
  const int xa = static_cast<int>(std::floor(std::min(x0, x1) - r)), xb = static_cast<int>(std::ceil(std::max(x0, x1) + r));
  const int ya = static_cast<int>(std::floor(std::min(y0, y1) - r)), yb = static_cast<int>(std::ceil(std::max(y0, y1) + r));
  const double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
  for (int y = std::max(ya, 0); y <= std::min(yb, height_ - 1); ++y) {
    for (int x = std::max(xa, 0); x <= std::min(xb, width_ - 1); ++x) {
      // Distance from the pixel centre (x, y) to the nearest point of the segment.
      double t = len2 > 0 ? ((x - x0) * dx + (y - y0) * dy) / len2 : 0;
      t = std::clamp(t, 0.0, 1.0);
      const double ex = x0 + t * dx - x, ey = y0 + t * dy - y;
      if (ex * ex + ey * ey <= r * r + 0.25) set_pixel(x, y, color);
    }
  }
}

void Canvas::fill_circle(double cx, double cy, double radius, Rgb color) { line(cx, cy, cx, cy, color, 2 * radius); }

void Canvas::text(int x, int y, std::string_view text, Rgb color, int scale, bool rotated) {
  for (const Quad& q : font_quads(text)) {
    // Font units -> pixels at `scale`; quads cover [x0, x1) x [y0, y1).
    const int u0 = static_cast<int>(std::lround(q.x0 * scale)), u1 = static_cast<int>(std::lround(q.x1 * scale)) - 1;
    const int v0 = static_cast<int>(std::lround(q.y0 * scale)), v1 = static_cast<int>(std::lround(q.y1 * scale)) - 1;
    if (u1 < u0 || v1 < v0) continue;
    if (!rotated) {
      fill_rect(x + u0, y + v0, x + u1, y + v1, color);
    } else {
      // Turned 90 degrees counter-clockwise: along the text is up the page, down the glyph is right.
      fill_rect(x + v0, y - u1, x + v1, y - u0, color);
    }
  }
}

void Canvas::paste(int x, int y, const Canvas& other) {
  for (int v = 0; v < other.height_; ++v)
    for (int u = 0; u < other.width_; ++u) set_pixel(x + u, y + v, other.pixel(u, v));
}

std::string Canvas::encode_png() const {
  std::string png;
  auto append = [](void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
  };
  const int ok = stbi_write_png_to_func(append, &png, width_, height_, 3, rgb_.data(), width_ * 3);
  require(ok != 0 && !png.empty(), "could not encode a {}x{} PNG (out of memory?)", width_, height_);
  return png;
}

void Canvas::save_png(const std::filesystem::path& path) const { write_file_atomically(path, encode_png()); }

int text_width(std::string_view text, int scale) {
  std::string s = printable(text);
  return stb_easy_font_width(s.data()) * scale;
}

int text_height(std::string_view text, int scale) {
  std::string s = printable(text);
  return stb_easy_font_height(s.data()) * scale;
}

}  // namespace minillm::plot
