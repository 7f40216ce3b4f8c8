#pragma once
// What every fuzz target shares. A target feeds libFuzzer's bytes to one loader and accepts exactly two
// outcomes: the loader returns, or it throws minillm::Error (bad input, reported in one line). Anything else
// (a crash, a sanitizer report, std::bad_alloc, any other exception escaping, a hang) is a finding.
//
// Loaders that read files get the bytes through a real file: one scratch folder per fuzzing process,
// under /dev/shm when it exists (memory, not disk: a fuzzer writes it thousands of times a second).
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

#include "core/error.hpp"

namespace minillm::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    std::filesystem::path d = base / ("minillm-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(scratch_dir(), ignored);
    });
    return d;
  }();
  return dir;
}

// Writes bytes to scratch_dir()/name and returns its path.
inline std::filesystem::path scratch_file(const std::string& name, std::string_view bytes) {
  const std::filesystem::path path = scratch_dir() / name;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

// The machine memory the loaders may plan for (see core/memory.hpp): small (64 MB), so a file that asks for
// a large model is refused by the size check instead of exhausting libFuzzer's 2 GB RSS limit.
inline void limit_memory_for_fuzzing() { ::setenv("MINILLM_MEMORY_LIMIT", "64M", 1); }

// Runs a loader; minillm::Error is the expected answer to bad input and is swallowed.
template <typename Loader>
void expect_load_or_error(Loader&& load) {
  try {
    load();
  } catch (const minillm::Error&) {
  }
}

}  // namespace minillm::fuzz
