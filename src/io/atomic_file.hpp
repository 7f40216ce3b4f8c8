#pragma once
// Writing files so that nothing is ever half-written: write to "<path>.tmp-<pid>", flush, then rename over
// the target. rename() is atomic on POSIX, so a reader (or a crash, or Ctrl-C) sees the old file or the
// new one, never a torn mix. Everything minillm saves (checkpoints, tokenizers, vectors, PNGs) goes
// through here.
#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

namespace minillm {

// Calls write(stream) on a temporary file next to `path`, then renames it to `path`. Creates missing parent
// directories. On any failure the temporary file is removed and an Error says what went wrong.
void write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write);

// Same, for bytes already in memory.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// The whole file as bytes; an Error naming the path if it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace minillm
