#pragma once
// Reading a big safetensors file (a Hugging Face checkpoint) tensor by tensor, straight into memory the
// caller owns. load_safetensors() (safetensors.hpp) reads the whole file into a string and copies every
// tensor out of it: fine for our checkpoints, but for GPT-2 124M (0.5 GB) it would hold the file twice.
// This reader parses only the JSON header; read_f32() then reads one tensor's bytes from the file into the
// destination, converting half precision on the way:
//   F32   copied as is
//   F16   IEEE binary16 (1 sign, 5 exponent, 10 mantissa bits), subnormals, inf and NaN included
//   BF16  bfloat16: the top 16 bits of a float32, so the conversion is a 16-bit shift
// Other dtypes (BOOL masks, integers) are listed in entries() but read_f32 refuses them, naming the tensor.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace minillm {

struct SafetensorsEntry {
  std::string name, dtype;      // dtype as in the header: "F32", "F16", "BF16", "BOOL", ...
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;  // byte offsets in the file (header included)
  int64_t numel() const;
};

class SafetensorsReader {
 public:
  // Reads and checks the header (length, JSON, every entry's dtype size x shape = its byte range, ranges
  // inside the file). Error naming the file and what is wrong.
  explicit SafetensorsReader(const std::filesystem::path& path);

  const std::vector<SafetensorsEntry>& entries() const { return entries_; }
  const SafetensorsEntry* find(const std::string& name) const;  // nullptr when absent
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const std::filesystem::path& path() const { return path_; }

  // dst[entry.numel()] = the tensor as float32. Error for a dtype that is not F32, F16 or BF16.
  void read_f32(const SafetensorsEntry& entry, float* dst);
  // dst[entry's bytes] = the tensor's raw bytes; Error unless its dtype is `dtype` (e.g. "I8", "F16").
  void read_raw(const SafetensorsEntry& entry, const char* dtype, void* dst);

 private:
  std::filesystem::path path_;
  std::ifstream in_;
  std::vector<SafetensorsEntry> entries_;
  std::map<std::string, std::string> metadata_;
};

// The conversions, exposed for tests.
float f16_to_f32(uint16_t bits);
float bf16_to_f32(uint16_t bits);

}  // namespace minillm
