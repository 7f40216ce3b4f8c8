#include "io/safetensors.hpp"

#include <algorithm>
#include <cstring>
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/safetensors_reader.hpp"

namespace minillm {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string u64_le(uint64_t value) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[size_t(i)] = static_cast<char>((value >> (8 * i)) & 0xff);
  return out;
}

std::string names_of(const std::map<std::string, Tensor>& tensors) {
  std::string names;
  for (const auto& [name, tensor] : tensors) names += (names.empty() ? "" : ", ") + name;
  return names;
}

// A float32 tensor of `shape` as a blob (no copy).
SafetensorsBlob f32_blob(std::string name, const Shape& shape, const float* data) {
  return {std::move(name), "F32", shape.dims(), data, size_t(shape.numel()) * sizeof(float)};
}

// Writes a [rows, cols] tensor whose source holds its transpose, src[cols, rows], a block of rows at a time:
// the buffer is small, and each block reads the source's rows front to back.
void write_transposed(std::ostream& out, const float* src, int64_t rows, int64_t cols) {
  constexpr int64_t kRowsPerBlock = 64;
  std::vector<float> block(static_cast<size_t>(std::min(rows, kRowsPerBlock) * cols));
  for (int64_t r0 = 0; r0 < rows; r0 += kRowsPerBlock) {
    const int64_t n = std::min(kRowsPerBlock, rows - r0);
    for (int64_t c = 0; c < cols; ++c)
      for (int64_t r = 0; r < n; ++r) block[size_t(r * cols + c)] = src[c * rows + r0 + r];
    out.write(reinterpret_cast<const char*>(block.data()), std::streamsize(n * cols * int64_t{sizeof(float)}));
  }
}

}  // namespace

void save_safetensors_blobs(const fs::path& path, const std::vector<SafetensorsBlob>& items,
                            const std::map<std::string, std::string>& metadata) {
  json header = json::object();
  uint64_t offset = 0;
  for (const SafetensorsBlob& item : items) {
    require(!item.transposed || (item.dtype == "F32" && item.shape.size() == 2),
            "safetensors: only a 2D F32 tensor can be written transposed ('{}')", item.name);
    const uint64_t bytes = item.bytes;
    header[item.name] = {{"dtype", item.dtype}, {"shape", item.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // pad so the data starts 8-byte aligned, as the spec allows
  write_file_atomically(path, [&](std::ostream& out) {
    out << u64_le(text.size()) << text;
    for (const SafetensorsBlob& item : items) {
      if (item.transposed)
        write_transposed(out, static_cast<const float*>(item.data), item.shape[0], item.shape[1]);
      else
        out.write(static_cast<const char*>(item.data), std::streamsize(item.bytes));
    }
  });
}

const Tensor& SafetensorsFile::at(const std::string& name) const {
  auto it = tensors.find(name);
  require(it != tensors.end(), "no tensor '{}' in the safetensors file (it has: {})", name, names_of(tensors));
  return it->second;
}

// One parser for the format: SafetensorsReader's, whose header checks are the stricter (every entry's dtype
// size x shape equals its byte range, ranges inside the file, the header's own size limit).
SafetensorsFile load_safetensors(const fs::path& path) {
  SafetensorsReader reader(path);
  SafetensorsFile file;
  file.metadata = reader.metadata();
  for (const SafetensorsEntry& e : reader.entries()) {
    require(e.dtype == "F32", "{}: tensor '{}' has dtype {}; minillm reads float32 (F32) only here: convert it with "
            "tensor.float() before saving", path.string(), e.name, e.dtype);
    Tensor tensor(e.shape.empty() ? Shape{1} : Shape(e.shape));
    reader.read_f32(e, tensor.data());
    file.tensors.emplace(e.name, std::move(tensor));
  }
  return file;
}

void save_safetensors(const fs::path& path, const SafetensorsFile& file) {
  std::vector<SafetensorsBlob> blobs;
  for (const auto& [name, tensor] : file.tensors) blobs.push_back(f32_blob(name, tensor.shape(), tensor.data()));
  save_safetensors_blobs(path, blobs, file.metadata);
}

void save_safetensors(const fs::path& path, const TensorArena& arena, const std::map<std::string, std::string>& metadata) {
  std::vector<SafetensorsBlob> blobs;
  for (const auto& e : arena.entries()) blobs.push_back(f32_blob(e.name, e.shape, arena.data() + e.offset));
  save_safetensors_blobs(path, blobs, metadata);
}

}  // namespace minillm
