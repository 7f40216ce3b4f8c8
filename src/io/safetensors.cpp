#include "io/safetensors.hpp"

#include <algorithm>
#include <cstring>
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

namespace minillm {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

uint64_t read_u64_le(const std::string& bytes) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[size_t(i)]);
  return value;
}

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

SafetensorsFile load_safetensors(const fs::path& path) {
  static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian");
  const std::string bytes = read_file(path);
  const std::string where = path.string();
  require(bytes.size() >= 8, "{} is not a safetensors file: shorter than its 8-byte header length", where);
  const uint64_t header_len = read_u64_le(bytes);
  require(header_len <= bytes.size() - 8, "{} is truncated: its header claims {} bytes", where, header_len);
  json header;
  try {
    header = json::parse(bytes.substr(8, header_len));
  } catch (const json::exception& e) {
    fail("{} has a malformed safetensors header: {}", where, e.what());
  }
  require(header.is_object(), "{}: the safetensors header is not a JSON object", where);
  const size_t data_start = 8 + header_len;
  const size_t data_size = bytes.size() - data_start;

  SafetensorsFile file;
  for (const auto& [name, info] : header.items()) {
    if (name == "__metadata__") {
      for (const auto& [key, value] : info.items()) file.metadata[key] = value.is_string() ? value.get<std::string>() : value.dump();
      continue;
    }
    try {
      const std::string dtype = info.at("dtype").get<std::string>();
      require(dtype == "F32", "{}: tensor '{}' has dtype {}; minillm reads float32 (F32) only: convert it with "
              "tensor.float() before saving", where, name, dtype);
      auto dims = info.at("shape").get<std::vector<int64_t>>();
      auto offsets = info.at("data_offsets").get<std::vector<uint64_t>>();
      require(offsets.size() == 2 && offsets[0] <= offsets[1] && offsets[1] <= data_size,
              "{}: tensor '{}' has data offsets outside the file", where, name);
      Shape shape = dims.empty() ? Shape{1} : Shape(dims);
      require(uint64_t(shape.numel()) * sizeof(float) == offsets[1] - offsets[0],
              "{}: tensor '{}' of shape {} does not match its {} data bytes", where, name, shape.str(),
              offsets[1] - offsets[0]);
      Tensor tensor(shape);
      std::memcpy(tensor.data(), bytes.data() + data_start + offsets[0], offsets[1] - offsets[0]);
      file.tensors.emplace(name, std::move(tensor));
    } catch (const json::exception& e) {
      fail("{}: malformed entry for tensor '{}': {}", where, name, e.what());
    }
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

void load_safetensors_into(const fs::path& path, TensorArena& arena, bool allow_extra) {
  SafetensorsFile file = load_safetensors(path);
  for (const auto& entry : arena.entries()) {
    const Tensor& tensor = file.at(entry.name);
    require(tensor.shape() == entry.shape, "{}: tensor '{}' has shape {} but the model expects {}", path.string(),
            entry.name, tensor.shape().str(), entry.shape.str());
    std::memcpy(arena.data() + entry.offset, tensor.data(), size_t(tensor.numel()) * sizeof(float));
  }
  if (!allow_extra) {
    for (const auto& [name, tensor] : file.tensors) {
      require(arena.contains(name), "{} holds tensor '{}', which this model does not have (wrong config?)",
              path.string(), name);
    }
  }
}

}  // namespace minillm
