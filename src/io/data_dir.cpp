#include "io/data_dir.hpp"

#include <cstdlib>

namespace minillm {

std::filesystem::path data_dir() {
  if (const char* dir = std::getenv("MINILLM_DATA_DIR"); dir != nullptr && *dir != '\0') return dir;
  // The data/ folder of the source tree, given by src/CMakeLists.txt as an absolute path. (It was derived
  // from __FILE__, which a compiler cache with a base directory makes relative to the build folder.)
  const std::filesystem::path source_data = MINILLM_SOURCE_DATA_DIR;
  if (std::filesystem::is_directory(source_data)) return source_data;
  return "data";
}

std::filesystem::path output_dir() { return data_dir() / "out"; }

}  // namespace minillm
