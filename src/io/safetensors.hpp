#pragma once
// safetensors, the weight format of Hugging Face and PyTorch users: an 8-byte little-endian header length,
// a JSON header {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__":
// {...}}, then the raw little-endian bytes. minillm stores float32 only; reading accepts F32 tensors.
// Because the layout is this simple, PyTorch's `safetensors.torch.load_file` reads our checkpoints and we
// read theirs, and the golden fixtures under tests/fixtures/ use it too.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace minillm {

struct SafetensorsFile {
  std::map<std::string, Tensor> tensors;            // name -> tensor (float32)
  std::map<std::string, std::string> metadata;      // the optional "__metadata__" strings

  const Tensor& at(const std::string& name) const;  // Error naming the tensor and the file's names if missing
};

// Reads a file of F32 tensors (through SafetensorsReader, safetensors_reader.hpp); Errors say what is wrong
// (truncated, bad header JSON, a dtype other than F32, offsets out of range).
SafetensorsFile load_safetensors(const std::filesystem::path& path);

// Writes atomically. Tensors are laid out in the map's (sorted) order.
void save_safetensors(const std::filesystem::path& path, const SafetensorsFile& file);

// A tensor of any dtype as raw little-endian bytes ("F32", "F16", "I8", ...), for files that mix dtypes
// (a quantized model: int8 values and fp16 scales). The caller's bytes must match dtype x shape. The
// bytes are written straight from the caller's memory, without a copy; with `transposed` (a 2D F32 tensor
// only), `data` holds the tensor's transpose ([shape[1], shape[0]]) and is transposed on the way out
// through a buffer of a few rows. A checkpoint save streams the model's buffers this way.
struct SafetensorsBlob {
  std::string name, dtype;
  std::vector<int64_t> shape;
  const void* data = nullptr;
  size_t bytes = 0;
  bool transposed = false;
};
// Writes atomically, in the order given.
void save_safetensors_blobs(const std::filesystem::path& path, const std::vector<SafetensorsBlob>& tensors,
                            const std::map<std::string, std::string>& metadata = {});

// Writes every tensor of an arena (e.g. a model's parameters) under its arena name.
void save_safetensors(const std::filesystem::path& path, const TensorArena& arena,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace minillm
