#pragma once
// An RGB image in memory that charts draw on: pixels, lines with thickness, filled rectangles, circles and
// text. Text uses stb_easy_font (a tiny built-in bitmap-like font made of quads, ~6x7 px per glyph at scale
// 1), drawn at an integer scale (2 is comfortable to read) and rasterised here. Drawing outside the image
// is clipped, never an error.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "plot/color.hpp"

namespace minillm::plot {

class Canvas {
 public:
  Canvas(int width, int height, Rgb background = kWhite);

  int width() const { return width_; }
  int height() const { return height_; }
  Rgb pixel(int x, int y) const;  // requires 0 <= x < width, 0 <= y < height
  const std::vector<uint8_t>& rgb() const { return rgb_; }  // row-major, 3 bytes per pixel

  void set_pixel(int x, int y, Rgb color);                   // clipped
  void fill_rect(int x0, int y0, int x1, int y1, Rgb color); // inclusive corners, any order
  void rect_outline(int x0, int y0, int x1, int y1, Rgb color);
  // A line of `thickness` pixels between real-valued points (a round brush swept along it).
  void line(double x0, double y0, double x1, double y1, Rgb color, double thickness = 1.0);
  void fill_circle(double cx, double cy, double radius, Rgb color);

  // Text with its top-left corner at (x, y). `rotated` draws it reading bottom-to-top (for a y-axis label),
  // with (x, y) then the bottom-left corner.
  void text(int x, int y, std::string_view text, Rgb color, int scale = 2, bool rotated = false);

  // Copies `other` with its top-left corner at (x, y), clipped (panels side by side in one image).
  void paste(int x, int y, const Canvas& other);

  // PNG bytes of the image (stb_image_write into memory).
  std::string encode_png() const;
  // encode_png() written atomically to `path`.
  void save_png(const std::filesystem::path& path) const;

 private:
  int width_, height_;
  std::vector<uint8_t> rgb_;
};

// Size of `text` in pixels at `scale` (width of the longest line, height of all lines).
int text_width(std::string_view text, int scale = 2);
int text_height(std::string_view text, int scale = 2);

}  // namespace minillm::plot
