// The io module: safetensors (the byte layout other tools read, round trips, damaged files), atomic
// writes, and where data/ is.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/data_dir.hpp"
#include "io/safetensors.hpp"
#include "../test_support.hpp"

namespace minillm {
namespace {

using test_support::error_of;

namespace fs = std::filesystem;

fs::path temp_path(const std::string& name) {
  return fs::temp_directory_path() / ("minillm-io-" + std::to_string(::getpid()) + "-" + name);
}

TEST(Safetensors, TheBytesFollowTheFormat) {
  // Written by hand from the format's description: 8-byte little-endian header length, the JSON header,
  // then the little-endian float32 data.
  SafetensorsFile file;
  file.tensors.emplace("b", Tensor(Shape({2}), {1.5f, -2.0f}));
  const auto path = temp_path("layout.safetensors");
  save_safetensors(path, file);
  const std::string bytes = read_file(path);
  ASSERT_GE(bytes.size(), 8u);
  uint64_t header_length = 0;
  for (int i = 7; i >= 0; --i) header_length = (header_length << 8) | static_cast<unsigned char>(bytes[size_t(i)]);
  ASSERT_EQ(bytes.size(), 8 + header_length + 2 * sizeof(float)) << "header, then exactly the data";
  const std::string header = bytes.substr(8, header_length);
  EXPECT_NE(header.find("\"b\""), std::string::npos) << header;
  EXPECT_NE(header.find("\"F32\""), std::string::npos) << header;
  EXPECT_NE(header.find("[0,8]"), std::string::npos) << "data_offsets of 2 floats: " << header;
  float data[2];
  std::memcpy(data, bytes.data() + 8 + header_length, sizeof data);
  EXPECT_EQ(data[0], 1.5f);
  EXPECT_EQ(data[1], -2.0f);
  fs::remove(path);
}

TEST(Safetensors, RoundTripsNamesShapesValuesAndMetadata) {
  SafetensorsFile file;
  file.tensors.emplace("h.0.attn.c_attn.weight", Tensor(Shape({3, 2}), {1, 2, 3, 4, 5, 6}));
  file.tensors.emplace("wte", Tensor(Shape({1, 1}), {0.1f}));
  file.metadata["format"] = "pt";
  const auto path = temp_path("round.safetensors");
  save_safetensors(path, file);
  const SafetensorsFile back = load_safetensors(path);
  ASSERT_EQ(back.tensors.size(), 2u);
  EXPECT_EQ(back.at("h.0.attn.c_attn.weight").shape(), Shape({3, 2}));
  EXPECT_EQ(back.at("h.0.attn.c_attn.weight")[5], 6.0f);
  EXPECT_EQ(back.at("wte")[0], 0.1f);
  EXPECT_EQ(back.metadata.at("format"), "pt");
  EXPECT_NE(error_of([&] { back.at("wpe"); }).find("wpe"), std::string::npos) << "a missing name is named";
  fs::remove(path);
}

TEST(Safetensors, DamagedFilesAreClearErrors) {
  SafetensorsFile file;
  file.tensors.emplace("w", Tensor(Shape({4}), {1, 2, 3, 4}));
  const auto path = temp_path("damaged.safetensors");
  save_safetensors(path, file);
  const std::string good = read_file(path);
  write_file_atomically(path, std::string_view(good).substr(0, good.size() - 4));  // data cut short
  EXPECT_NE(error_of([&] { load_safetensors(path); }), "(no error)") << "a truncated file";
  write_file_atomically(path, std::string_view("\x05\x00\x00", 3));
  EXPECT_NE(error_of([&] { load_safetensors(path); }), "(no error)") << "shorter than the length field";
  std::string bad_json = good;
  bad_json[8] = '[';  // the header no longer parses as the expected object
  write_file_atomically(path, bad_json);
  EXPECT_NE(error_of([&] { load_safetensors(path); }), "(no error)") << "a header that is not the format's JSON";
  fs::remove(path);
}

TEST(AtomicFile, ReplacesTheWholeFileAndLeavesNoTemporaryBehind) {
  const fs::path dir = temp_path("atomic");
  fs::create_directories(dir);
  write_file_atomically(dir / "f.txt", std::string_view("first version, longer"));
  write_file_atomically(dir / "f.txt", std::string_view("second"));
  EXPECT_EQ(read_file(dir / "f.txt"), "second");
  int files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1) << "the temporary file was renamed over the target";
  EXPECT_NE(error_of([&] { read_file(dir / "missing.txt"); }).find("missing.txt"), std::string::npos);
  fs::remove_all(dir);
}

TEST(DataDir, TheEnvironmentVariableWins) {
  const char* old = std::getenv("MINILLM_DATA_DIR");
  const std::string saved = old ? old : "";
  ::setenv("MINILLM_DATA_DIR", "/tmp/minillm-elsewhere", 1);
  EXPECT_EQ(data_dir(), fs::path("/tmp/minillm-elsewhere"));
  EXPECT_EQ(output_dir().parent_path(), fs::path("/tmp/minillm-elsewhere"));
  EXPECT_EQ(output_dir().filename(), "out");
  if (old) ::setenv("MINILLM_DATA_DIR", saved.c_str(), 1);
  else ::unsetenv("MINILLM_DATA_DIR");
  fs::remove_all("/tmp/minillm-elsewhere");
}

}  // namespace
}  // namespace minillm
