#include "io/safetensors_reader.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace minillm {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // the format's own limit

int dtype_size(const std::string& dtype) {
  if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
  if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
  if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
  if (dtype == "BOOL" || dtype == "I8" || dtype == "U8") return 1;
  return 0;
}

SafetensorsEntry parse_entry(const std::string& where, const std::string& name, const json& info,
                             uint64_t data_start, uint64_t file_size) {
  SafetensorsEntry e;
  e.name = name;
  try {
    e.dtype = info.at("dtype").get<std::string>();
    e.shape = info.at("shape").get<std::vector<int64_t>>();
    const auto offsets = info.at("data_offsets").get<std::vector<uint64_t>>();
    require(offsets.size() == 2, "{}: tensor '{}' has {} data_offsets, not 2", where, name, offsets.size());
    e.begin = data_start + offsets[0];
    e.end = data_start + offsets[1];
    require(offsets[0] <= offsets[1] && offsets[1] <= file_size - data_start,
            "{}: tensor '{}' has data_offsets [{}, {}] outside the file's {} data bytes (truncated file?)", where,
            name, offsets[0], offsets[1], file_size - data_start);
  } catch (const json::exception& ex) {
    fail("{}: the header entry of tensor '{}' is malformed ({})", where, name, ex.what());
  }
  const int size = dtype_size(e.dtype);
  require(size > 0, "{}: tensor '{}' has an unknown dtype '{}'", where, name, e.dtype);
  int64_t numel = 1;
  for (int64_t d : e.shape) {
    require(d >= 0 && (d == 0 || numel <= INT64_MAX / d), "{}: tensor '{}' has a bad shape", where, name);
    numel *= d;
  }
  require(static_cast<uint64_t>(numel) * static_cast<uint64_t>(size) == e.end - e.begin,
          "{}: tensor '{}' is {} of {} elements = {} bytes, but its data_offsets span {} bytes", where, name,
          e.dtype, numel, numel * size, e.end - e.begin);
  return e;
}

}  // namespace

int64_t SafetensorsEntry::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

float bf16_to_f32(uint16_t bits) { return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16); }

float f16_to_f32(uint16_t bits) {
  const uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
  const uint32_t exponent = (bits >> 10) & 0x1Fu, mantissa = bits & 0x3FFu;
  if (exponent == 0x1F) return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));  // inf, NaN
  if (exponent != 0) return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
  // Zero or subnormal: mantissa x 2^-24, exact in float32.
  const float magnitude = static_cast<float>(mantissa) * 0x1p-24f;
  return sign ? -magnitude : magnitude;
}

SafetensorsReader::SafetensorsReader(const fs::path& path) : path_(path), in_(path, std::ios::binary) {
  static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian");
  const std::string where = path.string();
  require(in_.good(), "cannot open {}", where);
  std::error_code ec;
  const uint64_t file_size = fs::file_size(path, ec);
  require(!ec && file_size >= 8, "{} is not a safetensors file: shorter than its 8-byte header length", where);
  unsigned char len_bytes[8];
  in_.read(reinterpret_cast<char*>(len_bytes), 8);
  uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | len_bytes[i];
  require(header_len <= file_size - 8 && header_len <= kMaxHeaderBytes,
          "{} is truncated or not safetensors: its header claims {} bytes of a {}-byte file", where, header_len,
          file_size);
  std::string text(header_len, '\0');
  in_.read(text.data(), static_cast<std::streamsize>(header_len));
  require(in_.good(), "{}: could not read its {}-byte header", where, header_len);
  json header;
  try {
    header = json::parse(text);
  } catch (const json::exception& ex) {
    fail("{}: the header is not valid JSON ({})", where, ex.what());
  }
  require(header.is_object(), "{}: the header is not a JSON object", where);
  for (const auto& [name, info] : header.items()) {
    if (name == "__metadata__") {
      if (info.is_object())
        for (const auto& [key, value] : info.items())
          if (value.is_string()) metadata_[key] = value.get<std::string>();
      continue;
    }
    entries_.push_back(parse_entry(where, name, info, 8 + header_len, file_size));
  }
}

const SafetensorsEntry* SafetensorsReader::find(const std::string& name) const {
  for (const SafetensorsEntry& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

void SafetensorsReader::read_f32(const SafetensorsEntry& e, float* dst) {
  const std::string where = path_.string();
  const bool f32 = e.dtype == "F32", f16 = e.dtype == "F16", bf16 = e.dtype == "BF16";
  require(f32 || f16 || bf16, "{}: tensor '{}' is {}; only F32, F16 and BF16 can be read as float32", where,
          e.name, e.dtype);
  in_.clear();
  in_.seekg(static_cast<std::streamoff>(e.begin));
  const int64_t n = e.numel();
  if (f32) {  // straight into the destination
    in_.read(reinterpret_cast<char*>(dst), static_cast<std::streamsize>(n * 4));
  } else {    // through a small buffer, converting
    std::vector<uint16_t> chunk(size_t{1} << 16);
    for (int64_t done = 0; done < n && in_.good();) {
      const int64_t count = std::min<int64_t>(n - done, static_cast<int64_t>(chunk.size()));
      in_.read(reinterpret_cast<char*>(chunk.data()), static_cast<std::streamsize>(count * 2));
      for (int64_t i = 0; i < count; ++i) dst[done + i] = f16 ? f16_to_f32(chunk[size_t(i)]) : bf16_to_f32(chunk[size_t(i)]);
      done += count;
    }
  }
  require(in_.good(), "{}: could not read tensor '{}' (the file changed or is truncated)", where, e.name);
}

void SafetensorsReader::read_raw(const SafetensorsEntry& e, const char* dtype, void* dst) {
  require(e.dtype == dtype, "{}: tensor '{}' is {}, not {}", path_.string(), e.name, e.dtype, dtype);
  in_.clear();
  in_.seekg(static_cast<std::streamoff>(e.begin));
  in_.read(static_cast<char*>(dst), static_cast<std::streamsize>(e.end - e.begin));
  require(in_.good(), "{}: could not read tensor '{}' (the file changed or is truncated)", path_.string(), e.name);
}

}  // namespace minillm
