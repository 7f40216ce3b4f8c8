#pragma once
// Tests look at the PNG a chart function wrote, decoded with stb_image, so they check what a reader sees.
#include <filesystem>
#include <string>

#include <stb_image.h>

#include "plot/color.hpp"

namespace minillm::plot::testing {

struct Png {
  int width = 0, height = 0;
  std::string rgb;  // 3 bytes per pixel
  Rgb at(double x, double y) const {
    const std::size_t i = (static_cast<std::size_t>(y) * width + static_cast<std::size_t>(x)) * 3;
    return {static_cast<uint8_t>(rgb[i]), static_cast<uint8_t>(rgb[i + 1]), static_cast<uint8_t>(rgb[i + 2])};
  }
};

inline Png load_png(const std::filesystem::path& path) {
  Png png;
  int channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &png.width, &png.height, &channels, 3);
  if (data == nullptr) return png;
  png.rgb.assign(reinterpret_cast<const char*>(data), static_cast<std::size_t>(png.width) * png.height * 3);
  stbi_image_free(data);
  return png;
}

inline std::filesystem::path output_path(const std::string& name) {
  const auto dir = std::filesystem::path(MINILLM_BINARY_DIR) / "tests" / "plot";
  std::filesystem::create_directories(dir);
  return dir / name;
}

}  // namespace minillm::plot::testing

inline std::ostream& operator<<(std::ostream& os, const minillm::plot::Rgb& c) {
  return os << "rgb(" << int(c.r) << ", " << int(c.g) << ", " << int(c.b) << ")";
}
