#pragma once
// A fresh directory for one test, removed afterwards, and a way to copy a fixture into it.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace minillm::practice::testing {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("minillm-practice-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::filesystem::path fixture(const std::string& relative) {
  return std::filesystem::path(MINILLM_SOURCE_DIR) / "tests" / "fixtures" / "practice" / relative;
}

}  // namespace minillm::practice::testing
