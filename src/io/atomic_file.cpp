#include "io/atomic_file.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include <unistd.h>

#include "core/error.hpp"

namespace minillm {

namespace fs = std::filesystem;

void write_file_atomically(const fs::path& path, const std::function<void(std::ostream&)>& write) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  require(!ec, "cannot create the directory {}: {}", path.parent_path().string(), ec.message());
  fs::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  try {
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      require(out.good(), "cannot write {}: check that the directory exists and is writable", tmp.string());
      write(out);
      out.flush();
      require(out.good(), "writing {} failed (disk full?)", tmp.string());
    }
    fs::rename(tmp, path, ec);
    require(!ec, "cannot rename {} to {}: {}", tmp.string(), path.string(), ec.message());
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
}

void write_file_atomically(const fs::path& path, std::string_view bytes) {
  write_file_atomically(path, [&](std::ostream& out) { out.write(bytes.data(), std::streamsize(bytes.size())); });
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  require(in.good(), "cannot open {}: no such file or not readable", path.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace minillm
