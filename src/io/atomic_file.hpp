#pragma once
// Writing files so that nothing is ever half-written: write to "<path>.tmp-<pid>", flush and fsync it, rename
// it over the target, then fsync the folder. rename() is atomic on POSIX, so a reader (or a crash, or
// Ctrl-C) sees the old file or the new one, never a torn mix; the fsyncs make that hold after a power loss
// too. A process killed mid-write leaves its "*.tmp-<pid>" behind (the trainer cleans its own up). Everything minillm saves (checkpoints, tokenizers, vectors, PNGs) goes
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

// fsyncs a folder, so names created or renamed in it (a new file, a renamed folder) survive a power loss.
void sync_directory(const std::filesystem::path& dir);

}  // namespace minillm
