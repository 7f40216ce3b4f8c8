#pragma once
// FNV-1a, 64 bits: the hash that names what a file held. A search index records its model's (search/), a
// quantized model its float source's (gpt/quantized_model.hpp), and a LoRA adapter its base model's
// (gpt/lora.hpp), so each can refuse a model file that changed since.
#include <cstdint>
#include <filesystem>
#include <string_view>

namespace minillm {

// `h` continues a hash over earlier bytes (the offset basis to start).
inline constexpr uint64_t kFnv1a64Offset = 14695981039346656037ull;
uint64_t fnv1a64(std::string_view bytes, uint64_t h = kFnv1a64Offset);

// FNV-1a 64 of a file's bytes, read in blocks (a GPT-2 model.safetensors is 500 MB). Error if unreadable.
uint64_t file_hash(const std::filesystem::path& path);

}  // namespace minillm
