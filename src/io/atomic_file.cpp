#include "io/atomic_file.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include "core/error.hpp"

namespace minillm {

namespace fs = std::filesystem;

namespace {

// fsync: the file's bytes (or a folder's list of names) reach the disk before we go on, so a power loss
// after a rename cannot leave an empty or torn file under the new name.
void sync_path(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  require(fd >= 0, "cannot open {} to flush it to disk", path.string());
  const int rc = ::fsync(fd);
  ::close(fd);
  require(rc == 0, "flushing {} to disk failed (disk full or failing?)", path.string());
}

}  // namespace

void sync_directory(const fs::path& dir) { sync_path(dir.empty() ? fs::path(".") : dir, true); }

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
    sync_path(tmp, false);
    fs::rename(tmp, path, ec);
    require(!ec, "cannot rename {} to {}: {}", tmp.string(), path.string(), ec.message());
    sync_directory(path.parent_path());
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
