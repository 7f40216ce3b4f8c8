#include "embed/word_map.hpp"

#include <stb_easy_font.h>  // header-only: its functions are static, nothing to define
#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

namespace minillm::embed {

namespace {

// Ten colours that stay distinguishable (Tableau 10).
constexpr uint32_t kColours[] = {0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F,
                                 0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC};

struct Canvas {
  int width, height;
  std::vector<uint8_t> rgb;
  Canvas(int w, int h) : width(w), height(h), rgb(static_cast<size_t>(w) * static_cast<size_t>(h) * 3, 255) {}

  void fill(int x0, int y0, int x1, int y1, uint32_t colour) {  // [x0, x1) x [y0, y1), clipped
    for (int y = std::max(0, y0); y < std::min(height, y1); ++y)
      for (int x = std::max(0, x0); x < std::min(width, x1); ++x) {
        uint8_t* p = &rgb[(static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)) * 3];
        p[0] = uint8_t(colour >> 16), p[1] = uint8_t(colour >> 8), p[2] = uint8_t(colour);
      }
  }

  void dot(int cx, int cy, int radius, uint32_t colour) {
    for (int dy = -radius; dy <= radius; ++dy)
      for (int dx = -radius; dx <= radius; ++dx)
        if (dx * dx + dy * dy <= radius * radius) fill(cx + dx, cy + dy, cx + dx + 1, cy + dy + 1, colour);
  }

  // stb_easy_font turns text into quads (4 vertices of 16 bytes each: x, y, z as floats, then RGBA).
  void text(int x, int y, const std::string& s, int scale, uint32_t colour) {
    std::vector<char> buffer(s.size() * 64 * 24 + 64);
    std::string copy = s;
    const int quads = stb_easy_font_print(0, 0, copy.data(), nullptr, buffer.data(), static_cast<int>(buffer.size()));
    for (int q = 0; q < quads; ++q) {
      const float* v = reinterpret_cast<const float*>(buffer.data() + static_cast<size_t>(q) * 64);
      fill(x + int(v[0]) * scale, y + int(v[1]) * scale, x + int(v[8]) * scale, y + int(v[9]) * scale, colour);
    }
  }
};

void append_bytes(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size));
}

}  // namespace

void save_word_map_png(const std::filesystem::path& path, const std::vector<MapPoint>& points,
                       const std::string& title, int width, int height) {
  require(!points.empty(), "word map: no points to draw");
  require(width >= 200 && height >= 200, "word map: {}x{} pixels is too small (at least 200x200)", width, height);
  float min_x = points[0].x, max_x = min_x, min_y = points[0].y, max_y = min_y;
  for (const MapPoint& p : points) {
    require(std::isfinite(p.x) && std::isfinite(p.y), "word map: the point for \"{}\" is not finite", p.label);
    min_x = std::min(min_x, p.x), max_x = std::max(max_x, p.x);
    min_y = std::min(min_y, p.y), max_y = std::max(max_y, p.y);
  }
  const float span_x = std::max(max_x - min_x, 1e-6f), span_y = std::max(max_y - min_y, 1e-6f);
  Canvas canvas(width, height);
  const int margin = 40, top = 60, right_room = 110;  // room for the title and for labels at the right edge
  canvas.text(margin, 20, title, 3, 0x222222);
  for (const MapPoint& p : points) {
    const int x = margin + int((p.x - min_x) / span_x * float(width - margin - right_room - margin));
    const int y = height - margin - int((p.y - min_y) / span_y * float(height - top - 2 * margin));  // y grows up
    const uint32_t colour = kColours[static_cast<size_t>(std::abs(p.group)) % std::size(kColours)];
    canvas.dot(x, y, 5, colour);
    canvas.text(x + 8, y - 8, p.label, 2, colour);
  }
  std::string png;
  require(stbi_write_png_to_func(append_bytes, &png, width, height, 3, canvas.rgb.data(), width * 3) != 0,
          "word map: PNG encoding failed");
  write_file_atomically(path, png);
}

}  // namespace minillm::embed
