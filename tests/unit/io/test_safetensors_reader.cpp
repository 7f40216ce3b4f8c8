// The streaming safetensors reader: half-precision conversions from the formats' definitions, a file
// written byte by byte here, and damaged headers.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/safetensors_reader.hpp"

namespace minillm {
namespace {

namespace fs = std::filesystem;

fs::path temp_file(const std::string& name) {
  return fs::temp_directory_path() / ("minillm-reader-" + std::to_string(::getpid()) + "-" + name);
}

// A safetensors file from a header text and raw data bytes.
fs::path write_raw(const std::string& name, const std::string& header, const std::string& data) {
  const fs::path path = temp_file(name);
  std::ofstream out(path, std::ios::binary);
  std::string len(8, '\0');
  for (int i = 0; i < 8; ++i) len[size_t(i)] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
  out << len << header << data;
  return path;
}

std::string u16s(std::initializer_list<uint16_t> values) {
  std::string s;
  for (uint16_t v : values) s += {static_cast<char>(v & 0xff), static_cast<char>(v >> 8)};
  return s;
}

TEST(SafetensorsReader, HalfPrecisionFromTheBitLayouts) {
  EXPECT_EQ(f16_to_f32(0x3C00), 1.0f) << "f16 1.0: exponent 15 (the bias), mantissa 0";
  EXPECT_EQ(f16_to_f32(0xC000), -2.0f);
  EXPECT_EQ(f16_to_f32(0x7BFF), 65504.0f) << "the largest finite f16";
  EXPECT_EQ(f16_to_f32(0x0001), std::ldexp(1.0f, -24)) << "the smallest subnormal, 2^-24";
  EXPECT_EQ(f16_to_f32(0x03FF), 1023 * std::ldexp(1.0f, -24)) << "the largest subnormal";
  EXPECT_EQ(f16_to_f32(0x3555), 1365.0f / 4096) << "0x3555: 2^(13-15) * (1 + 341/1024) = 1365/4096";
  EXPECT_EQ(f16_to_f32(0x7C00), std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(f16_to_f32(0x7E00)));
  EXPECT_TRUE(std::signbit(f16_to_f32(0x8000))) << "-0 keeps its sign";
  EXPECT_EQ(bf16_to_f32(0x3F80), 1.0f) << "bf16 is the top half of a float32";
  EXPECT_EQ(bf16_to_f32(0x4049), 3.140625f);
  EXPECT_EQ(bf16_to_f32(0xC2F7), -123.5f);
}

TEST(SafetensorsReader, ReadsF32F16AndBf16IntoFloat) {
  const std::string header =
      R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
      R"("b":{"dtype":"F16","shape":[1,3],"data_offsets":[8,14]},)"
      R"("c":{"dtype":"BF16","shape":[2],"data_offsets":[14,18]},)"
      R"("mask":{"dtype":"BOOL","shape":[2],"data_offsets":[18,20]},"__metadata__":{"format":"pt"}})";
  float a[2] = {0.5f, -7.25f};
  std::string data(reinterpret_cast<const char*>(a), 8);
  data += u16s({0x3C00, 0xC000, 0x0001}) + u16s({0x3F80, 0x4049}) + std::string("\x01\x00", 2);
  const fs::path path = write_raw("ok.safetensors", header, data);
  SafetensorsReader reader(path);
  ASSERT_EQ(reader.entries().size(), 4u);
  EXPECT_EQ(reader.metadata().at("format"), "pt");
  std::vector<float> out(3);
  reader.read_f32(*reader.find("a"), out.data());
  EXPECT_EQ(out[0], 0.5f);
  EXPECT_EQ(out[1], -7.25f);
  reader.read_f32(*reader.find("b"), out.data());
  EXPECT_EQ(out, (std::vector<float>{1.0f, -2.0f, std::ldexp(1.0f, -24)}));
  reader.read_f32(*reader.find("c"), out.data());
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], 3.140625f);
  EXPECT_EQ(reader.find("d"), nullptr);
  try {
    reader.read_f32(*reader.find("mask"), out.data());
    ADD_FAILURE() << "a BOOL tensor cannot be read as float";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'mask'"), std::string::npos) << e.what();
  }
  fs::remove(path);
}

void expect_error_mentioning(const std::string& header, const std::string& data, const std::string& words) {
  const fs::path path = write_raw("bad.safetensors", header, data);
  try {
    SafetensorsReader reader(path);
    ADD_FAILURE() << "expected an error mentioning " << words << " for header " << header;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
  fs::remove(path);
}

TEST(SafetensorsReader, DamagedHeadersNameTheProblem) {
  expect_error_mentioning(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", std::string(8, '\0'),
                          "'w'");  // truncated data
  expect_error_mentioning(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", std::string(8, '\0'),
                          "12 bytes");  // shape disagrees with the byte range
  expect_error_mentioning(R"({"w":{"dtype":"Q4","shape":[2],"data_offsets":[0,2]}})", std::string(2, '\0'),
                          "unknown dtype");
  expect_error_mentioning(R"({"w": nope})", "", "not valid JSON");
}

}  // namespace
}  // namespace minillm
