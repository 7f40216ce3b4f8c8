// minillm-practice: the course's practice runner (`./run practice`), the CI check that every practice test
// fails on the stubs and passes on the solutions (`./run test`), and the lesson checks (`./run lessons`).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "core/error.hpp"
#include "practice/check.hpp"
#include "practice/chapters.hpp"
#include "practice/lesson_check.hpp"
#include "practice/runner.hpp"

namespace {

using namespace minillm;
using namespace minillm::practice;
namespace fs = std::filesystem;

int lessons_command(const fs::path& source, const std::string& chapter, bool refresh) {
  std::vector<std::string> dirs = chapter_dirs(source);
  if (!chapter.empty()) {
    const std::string number = chapter_number(chapter);
    std::erase_if(dirs, [&](const std::string& dir) { return !dir.starts_with(number); });
    require(!dirs.empty(), "there is no chapters/{}_*/ folder under {}", number, source.string());
  }
  int problems = 0, quotes = 0, refreshed = 0;
  for (const std::string& dir : dirs) {
    const LessonCheck check = check_chapter(source, dir, refresh);
    for (const LessonProblem& problem : check.problems) fmt::print("{}\n", to_string(problem));
    problems += static_cast<int>(check.problems.size());
    quotes += check.quotes;
    refreshed += check.refreshed;
  }
  if (refresh) fmt::print("refreshed {} quoted block(s) from their sources\n", refreshed);
  fmt::print("lessons: {} chapter(s), {} quote(s), {} problem(s)\n", dirs.size(), quotes, problems);
  return problems == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"minillm-practice: your practice progress, the CI practice check, and the lesson checks"};
  app.require_subcommand(1);

  RunOptions run;
  auto* run_cmd = app.add_subcommand("run", "Build your practice files, run their tests, show your progress");
  run_cmd->add_option("--source", run.source, "repository root")->required();
  run_cmd->add_option("--build", run.build, "build directory")->required();
  run_cmd->add_option("chapter", run.chapter, "only this chapter (e.g. 01)");
  run_cmd->add_flag("--hint", run.hint, "show the next hint of the first unfinished task");
  run_cmd->add_flag("--watch", run.watch, "test again every time you save a practice file (Ctrl-C stops)");
  run_cmd->add_option("--reset", run.reset,
                      "put chapter NN's practice files back to the stubs (your files are backed up first)");

  fs::path check_source, check_build;
  auto* check_cmd = app.add_subcommand("check", "CI: every task fails on the stubs and passes on the solutions");
  check_cmd->add_option("--source", check_source, "repository root")->required();
  check_cmd->add_option("--build", check_build, "build directory")->required();
  std::string check_chapter;
  check_cmd->add_option("chapter", check_chapter, "only this chapter (e.g. 01)");

  fs::path lessons_source;
  std::string lessons_chapter;
  bool refresh = false;
  auto* lessons_cmd = app.add_subcommand("lessons", "Check the lessons' sections, quoted code and chapter files");
  lessons_cmd->add_option("--source", lessons_source, "repository root")->required();
  lessons_cmd->add_option("--chapter", lessons_chapter, "only this chapter (e.g. 01)");
  lessons_cmd->add_flag("--refresh", refresh, "rewrite drifted quoted code blocks from their sources");

  CLI11_PARSE(app, argc, argv);
  try {
    if (*run_cmd) return run_command(run);
    if (*check_cmd) {
      const CheckSummary summary = check_practice(check_source, check_build, check_chapter);
      for (const std::string& defect : summary.defects) fmt::print("{}\n", defect);
      fmt::print("{}\n", summary_line(summary));
      return summary.defects.empty() ? 0 : 1;
    }
    return lessons_command(lessons_source, lessons_chapter, refresh);
  } catch (const Error& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  }
}
