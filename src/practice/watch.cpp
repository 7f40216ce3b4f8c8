#include "practice/watch.hpp"

#include <signal.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "practice/process.hpp"

namespace minillm::practice {
namespace fs = std::filesystem;
namespace {

volatile std::sig_atomic_t interrupted = 0;

void on_interrupt(int) { interrupted = 1; }

// Ctrl-C sets a flag instead of killing the runner, so it can say goodbye. Without SA_RESTART, a blocking
// wait returns early; the child processes (inotifywait, the tests) get the signal too and end.
void catch_interrupt() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
}

bool is_practice_source(const fs::path& path) {
  const std::string ext = path.extension().string();
  return (ext == ".cpp" || ext == ".hpp") && path.parent_path().filename() == "practice";
}

}  // namespace

WatchedFiles::WatchedFiles(fs::path source) : source_(std::move(source)) { catch_interrupt(); }

void WatchedFiles::remember() { remembered_ = snapshot(); }

WatchedFiles::Snapshot WatchedFiles::snapshot() const {
  Snapshot files;
  std::error_code ec;
  for (const auto& chapter : fs::directory_iterator(source_ / "chapters", ec)) {
    const fs::path practice = chapter.path() / "practice";
    if (!fs::is_directory(practice, ec)) continue;
    for (const auto& entry : fs::directory_iterator(practice, ec)) {
      if (entry.is_regular_file(ec) && is_practice_source(entry.path())) {
        files[entry.path().string()] = entry.last_write_time(ec);
      }
    }
  }
  return files;
}

bool WatchedFiles::wait_for_change() {
  const bool inotify = program_in_path("inotifywait");
  while (!interrupted) {
    if (snapshot() != remembered_) return true;
    if (inotify) {
      // Wakes on any write or rename under chapters/; the snapshot above decides whether it mattered.
      // --timeout 2 (exit code 2) lets the loop notice a SIGINT sent to this process alone, not only the
      // terminal's Ctrl-C, which reaches inotifywait too.
      const ProcessResult waited = run_process({"inotifywait", "-q", "-q", "-r", "--timeout", "2", "-e", "close_write",
                                                "-e", "moved_to", "-e", "create", "-e", "delete", "-e", "attrib",
                                                (source_ / "chapters").string()});
      // When inotify cannot watch (too many watches), fall back to polling rather than spinning.
      const bool failed = waited.signal == 0 && waited.exit_code != 0 && waited.exit_code != 2;
      if (failed) std::this_thread::sleep_for(std::chrono::seconds(1));
    } else {
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
  return false;
}

}  // namespace minillm::practice
