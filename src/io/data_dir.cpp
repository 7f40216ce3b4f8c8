#include "io/data_dir.hpp"

#include <cstdlib>

namespace minillm {

std::filesystem::path data_dir() {
  if (const char* dir = std::getenv("MINILLM_DATA_DIR"); dir != nullptr && *dir != '\0') return dir;
  // This file is src/io/data_dir.cpp in the source tree; data/ is next to src/.
  const std::filesystem::path source_data =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "data";
  if (std::filesystem::is_directory(source_data)) return source_data;
  return "data";
}

std::filesystem::path output_dir() { return data_dir() / "out"; }

}  // namespace minillm
