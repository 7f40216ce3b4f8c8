#pragma once
// `--watch`: wait until the learner saves a chapters/*/practice/*.cpp or *.hpp file. Uses inotifywait
// (inotify-tools) when it is installed, else looks at modification times once a second. Ctrl-C ends the
// wait cleanly (wait_for_change returns false).
#include <filesystem>
#include <map>
#include <string>

namespace minillm::practice {

class WatchedFiles {
 public:
  explicit WatchedFiles(std::filesystem::path source);

  // Records the files' current modification times (call before running the tests, so a save during the
  // run is noticed afterwards).
  void remember();

  // Blocks until a watched file changed since remember(); false when the learner pressed Ctrl-C.
  bool wait_for_change();

 private:
  using Snapshot = std::map<std::string, std::filesystem::file_time_type>;
  Snapshot snapshot() const;

  std::filesystem::path source_;
  Snapshot remembered_;
};

}  // namespace minillm::practice
