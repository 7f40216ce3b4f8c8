#include "practice/runner.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"
#include "practice/hints.hpp"
#include "practice/reset.hpp"
#include "practice/watch.hpp"

namespace minillm::practice {
namespace fs = std::filesystem;
namespace {

// A learner's endless loop must not hang the runner: every test binary gets this long.
constexpr std::chrono::seconds kTestTimeLimit{120};

struct ChapterRun {
  const PracticeChapter* chapter;
  std::vector<std::string> build_errors;  // empty when the learner binary built
  std::vector<TaskResult> tasks;          // parallel to manifest.tasks
};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  if (from.empty()) return text;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

ChapterRun run_chapter(const PracticeChapter& chapter, const RunOptions& options) {
  ChapterRun run{&chapter, {}, {}};
  const ProcessResult build = run_process(
      {"cmake", "--build", options.build.string(), "--target", chapter.target("learner")});
  if (!build.ok()) {
    run.build_errors = compile_errors(build.output, options.source);
    TaskResult not_built;
    not_built.state = TaskState::DoesNotCompile;
    run.tasks.assign(chapter.manifest.tasks.size(), not_built);
    return run;
  }
  for (const Task& task : chapter.manifest.tasks) {
    TaskResult result;
    result.tests = run_gtest(chapter.binary(options.build, "learner"), task.tests, kTestTimeLimit, result.process);
    if (result.tests.tests_run() == 0 && result.process.ok()) {
      result.state = TaskState::NoTests;
    } else {
      result.state = result.process.ok() && result.tests.failed.empty() ? TaskState::Done : TaskState::Todo;
    }
    run.tasks.push_back(std::move(result));
  }
  return run;
}

std::string_view state_word(TaskState state) {
  switch (state) {
    case TaskState::Done: return "done";
    case TaskState::Todo: return "todo";
    case TaskState::NoTests: return "no tests";
    case TaskState::DoesNotCompile: return "no build";
  }
  return "?";
}

void print_table(const std::vector<ChapterRun>& runs) {
  size_t width = 4;
  for (const ChapterRun& run : runs) {
    for (const Task& task : run.chapter->manifest.tasks) width = std::max(width, task.name.size());
  }
  fmt::print("{:<8} {:<{}} {:<9} {}\n", "chapter", "task", width, "status", "goal");
  for (const ChapterRun& run : runs) {
    const auto& tasks = run.chapter->manifest.tasks;
    for (size_t i = 0; i < tasks.size(); ++i) {
      fmt::print("{:<8} {:<{}} {:<9} {}\n", i == 0 ? run.chapter->number : "", tasks[i].name, width,
                 state_word(run.tasks[i].state), tasks[i].goal);
    }
  }
}

struct NextTask {
  const ChapterRun* run = nullptr;
  size_t index = 0;
};

NextTask first_unfinished(const std::vector<ChapterRun>& runs) {
  for (const ChapterRun& run : runs) {
    for (size_t i = 0; i < run.tasks.size(); ++i) {
      if (run.tasks[i].state != TaskState::Done) return {&run, i};
    }
  }
  return {};
}

void print_next_steps(const NextTask& next, const RunOptions& options) {
  const PracticeChapter& chapter = *next.run->chapter;
  const Task& task = chapter.manifest.tasks[next.index];
  const TaskResult& result = next.run->tasks[next.index];
  const std::string file = (chapter.practice_dir() / task.file).string();
  fmt::print("\nNext: chapter {}, task {}: {}\n", chapter.number, task.name, task.goal);
  if (result.state == TaskState::DoesNotCompile) {
    fmt::print("  Your practice code for chapter {} does not compile yet. The compiler says:\n", chapter.number);
    for (const std::string& line : next.run->build_errors) fmt::print("    {}\n", line);
    fmt::print("  Fix the first error first (later ones are often caused by it), save, and run "
               "./run practice {} again.\n", chapter.number);
    return;
  }
  if (result.state == TaskState::NoTests) {
    fmt::print("  The filter \"{}\" selects no test: the chapter's manifest is wrong (please report it).\n",
               task.tests);
    return;
  }
  for (const std::string& line : explain_failure(result)) fmt::print("  {}\n", line);
  fmt::print("  Edit {} (the TODO({}) there), save, and run ./run practice {} again.\n", file, task.name,
             chapter.number);
  const int shown = hints_shown(options.build, chapter.number, task.name);
  if (options.hint) return;  // the hint itself follows
  if (shown < static_cast<int>(task.hints.size())) {
    fmt::print("  Stuck? ./run practice --hint shows a hint ({} of {} seen so far).\n", shown, task.hints.size());
  } else {
    fmt::print("  You have seen all {} hints; practice/solution/{} has a reference solution.\n", task.hints.size(),
               task.file);
  }
}

// One pass: build, test, print. Returns true when every selected task is done.
bool run_once(const RunOptions& options) {
  const std::vector<PracticeChapter> chapters = select_chapters(options.source, options.chapter);
  std::vector<ChapterRun> runs;
  size_t done = 0, total = 0;
  for (const PracticeChapter& chapter : chapters) {
    fmt::print("testing chapter {} ({})...\n", chapter.number, chapter.manifest.title);
    std::fflush(stdout);
    runs.push_back(run_chapter(chapter, options));
    for (const TaskResult& task : runs.back().tasks) done += task.state == TaskState::Done ? 1 : 0;
    total += chapter.manifest.tasks.size();
  }
  fmt::print("\n");
  print_table(runs);
  fmt::print("\n{}/{} tasks done.\n", done, total);
  const NextTask next = first_unfinished(runs);
  if (next.run == nullptr) {
    fmt::print("Every task is done. Well done! Try the next chapter's demo, or make a test of your own.\n");
    return true;
  }
  print_next_steps(next, options);
  if (options.hint && next.run->tasks[next.index].state != TaskState::DoesNotCompile) {
    const Task& task = next.run->chapter->manifest.tasks[next.index];
    fmt::print("\n{}\n", reveal_next_hint(options.build, next.run->chapter->number, task));
  }
  return false;
}

}  // namespace

std::vector<std::string> explain_failure(const TaskResult& result) {
  // Short on purpose: the first failed check of the first failing test says what to fix next; the other
  // failing tests are only named.
  std::vector<std::string> lines;
  if (result.process.timed_out) {
    lines.push_back(fmt::format("The tests did not finish within {} seconds: look for a loop that never ends.",
                                kTestTimeLimit.count()));
  }
  const std::vector<FailedTest>& failed = result.tests.failed;
  const bool all_stubs = !failed.empty() && std::all_of(failed.begin(), failed.end(), [](const FailedTest& test) {
    return test.not_implemented;
  });
  if (all_stubs) {
    lines.push_back(fmt::format("Not implemented yet: {} test(s) reached the stub's NotImplemented, starting with {}.",
                                failed.size(), failed.front().name));
    return lines;
  }
  // A crash comes first: it ended the test program, so the tests after it did not even run.
  auto first = std::find_if(failed.begin(), failed.end(), [](const FailedTest& t) { return t.crashed; });
  if (first == failed.end()) {
    first = std::find_if(failed.begin(), failed.end(), [](const FailedTest& t) { return !t.not_implemented; });
  }
  if (first != failed.end()) {
    if (first->crashed) {
      lines.push_back(fmt::format("{} crashed{}: look for reading or writing past the end of a buffer.", first->name,
                                  result.process.signal ? fmt::format(" (signal {})", result.process.signal) : ""));
    } else if (first->failures.empty()) {
      lines.push_back(fmt::format("{} failed.", first->name));
    } else {
      const std::string where = first->where[0].empty() ? "" : fmt::format(" (at {})", first->where[0]);
      lines.push_back(fmt::format("{} failed{}:", first->name, where));
      std::string_view text = first->failures[0];
      for (int shown = 0; !text.empty() && shown < 10; ++shown) {  // cap runaway messages
        const size_t end = text.find('\n');
        lines.push_back("  " + std::string(text.substr(0, end)));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
      }
      if (first->failures.size() > 1) {
        lines.push_back(fmt::format("  (and {} more failed check(s) in this test)", first->failures.size() - 1));
      }
    }
  }
  std::vector<std::string> others;
  for (auto test = failed.begin(); test != failed.end(); ++test) {
    if (test != first) others.push_back(test->name + (test->not_implemented ? " (not implemented yet)" : ""));
  }
  if (!others.empty()) {
    std::string list;
    for (size_t i = 0; i < others.size() && i < 3; ++i) list += (i ? ", " : "") + others[i];
    if (others.size() > 3) list += fmt::format(" and {} more", others.size() - 3);
    lines.push_back("Also failing: " + list + ".");
  }
  if (lines.empty() && !result.process.ok()) {
    lines.push_back(fmt::format("The test program stopped (exit code {}, signal {}) before reporting a result.",
                                result.process.exit_code, result.process.signal));
  }
  return lines;
}

std::vector<std::string> compile_errors(const std::string& build_output, const fs::path& source) {
  std::error_code ec;  // the compiler prints absolute paths; show them relative to the repository
  const std::string prefix = fs::weakly_canonical(fs::absolute(source), ec).string() + "/";
  std::vector<std::string> errors, last_lines;
  size_t start = 0;
  while (start < build_output.size()) {
    size_t end = build_output.find('\n', start);
    if (end == std::string::npos) end = build_output.size();
    std::string line = replace_all(build_output.substr(start, end - start), prefix, "");
    start = end + 1;
    const bool error = line.find("error:") != std::string::npos || line.find("undefined reference") != std::string::npos;
    if (error && !line.starts_with("ninja:") && errors.size() < 8) errors.push_back(line);
    last_lines.push_back(std::move(line));
    if (last_lines.size() > 12) last_lines.erase(last_lines.begin());
  }
  return errors.empty() ? last_lines : errors;
}

int run_command(const RunOptions& options) {
  require(fs::is_directory(options.build), "the build directory {} does not exist: run ./run build first",
          options.build.string());
  if (!options.reset.empty()) {
    reset_chapter(options.source, options.build, options.reset);
    return 0;
  }
  if (!options.watch) return run_once(options) ? 0 : 1;
  WatchedFiles watched(options.source);
  RunOptions pass = options;
  while (true) {
    watched.remember();
    try {
      run_once(pass);
    } catch (const Error& e) {  // e.g. a manifest being edited: say so and keep watching
      fmt::print("error: {}\n", e.what());
    }
    pass.hint = false;  // one hint per --hint, not one per save
    fmt::print("\nwatching chapters/*/practice for saved changes (Ctrl-C to stop)...\n");
    std::fflush(stdout);
    if (!watched.wait_for_change()) {
      fmt::print("\nstopped watching.\n");
      return 0;
    }
    fmt::print("\n---- a practice file changed: testing again ----\n");
  }
}

}  // namespace minillm::practice
