#include "io/file_hash.hpp"

#include <fstream>
#include <string>

#include "core/error.hpp"

namespace minillm {

uint64_t fnv1a64(std::string_view bytes, uint64_t h) {
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

uint64_t file_hash(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  require(in.good(), "cannot read {}", path.string());
  std::string block(1 << 20, '\0');
  uint64_t h = kFnv1a64Offset;
  while (in) {
    in.read(block.data(), std::streamsize(block.size()));
    h = fnv1a64(std::string_view(block.data(), size_t(in.gcount())), h);
  }
  require(in.eof(), "reading {} failed part-way", path.string());
  return h;
}

}  // namespace minillm
