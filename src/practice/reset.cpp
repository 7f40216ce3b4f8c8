#include "practice/reset.hpp"

#include <chrono>
#include <ctime>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "practice/chapters.hpp"
#include "practice/process.hpp"

namespace minillm::practice {
namespace fs = std::filesystem;
namespace {

// How far back in history to look for a stub (a chapter's practice file changes a few times, not hundreds).
constexpr int kMaxCommits = 200;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::optional<std::string> stub_from_git(const fs::path& source, const std::string& relative,
                                         const std::vector<std::string>& tasks) {
  if (!program_in_path("git")) return std::nullopt;
  const ProcessResult log = run_process({"git", "-C", source.string(), "log", "--format=%H",
                                         fmt::format("--max-count={}", kMaxCommits), "--", relative});
  if (!log.ok()) return std::nullopt;
  for (const std::string& commit : lines_of(log.output)) {
    const ProcessResult show = run_process({"git", "-C", source.string(), "show", commit + ":" + relative});
    if (show.ok() && is_stub_of(show.output, tasks)) return show.output;
  }
  return std::nullopt;
}

std::optional<std::string> stub_from_export(const fs::path& build, const std::string& relative,
                                            const std::vector<std::string>& tasks) {
  const fs::path path = build / "practice-stubs" / relative;
  if (!fs::is_regular_file(path)) return std::nullopt;
  std::string content = read_file(path);
  if (!is_stub_of(content, tasks)) return std::nullopt;
  return content;
}

std::string timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &local);
  return text;
}

}  // namespace

bool is_stub_of(const std::string& content, const std::vector<std::string>& tasks) {
  for (const std::string& task : tasks) {
    if (content.find(fmt::format("NotImplemented(\"{}\")", task)) == std::string::npos) return false;
  }
  return !tasks.empty();
}

void reset_chapter(const fs::path& source, const fs::path& build, const std::string& number) {
  const std::vector<PracticeChapter> chapters = select_chapters(source, number);
  const PracticeChapter& chapter = chapters.front();
  std::map<std::string, std::vector<std::string>> tasks_by_file;  // "tasks.cpp" -> its tasks
  for (const Task& task : chapter.manifest.tasks) tasks_by_file[task.file].push_back(task.name);

  // Find every stub before touching anything, so a missing one leaves the learner's files as they were.
  std::map<std::string, std::string> stubs;
  for (const auto& [file, tasks] : tasks_by_file) {
    const std::string relative = (chapter.practice_dir() / file).string();
    std::optional<std::string> stub = stub_from_git(source, relative, tasks);
    if (!stub) stub = stub_from_export(build, relative, tasks);
    if (!stub) {
      fail("found no pristine stub of {} (neither in git history nor in {}/practice-stubs); nothing was changed. "
           "Restore it from the course's repository by hand.",
           relative, build.string());
    }
    stubs[file] = std::move(*stub);
  }

  const fs::path practice = source / chapter.practice_dir();
  fs::path backup = practice / (".backup-" + timestamp());
  for (int n = 2; fs::exists(backup); ++n) backup = practice / fmt::format(".backup-{}-{}", timestamp(), n);
  for (const auto& [file, stub] : stubs) {
    const fs::path current = practice / file;
    if (fs::exists(current)) {
      fs::create_directories(backup);
      fs::copy_file(current, backup / file, fs::copy_options::overwrite_existing);
    }
    write_file_atomically(current, stub);
    fmt::print("reset {} to the stub\n", (chapter.practice_dir() / file).string());
  }
  if (fs::exists(backup)) {
    fmt::print("your previous files are saved in {}\n", (chapter.practice_dir() / backup.filename()).string());
  }
}

}  // namespace minillm::practice
