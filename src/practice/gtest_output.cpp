#include "practice/gtest_output.hpp"

#include <optional>

namespace minillm::practice {
namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "[  FAILED  ] Suite.Name (3 ms)" -> "Suite.Name" when the line starts with `tag`.
std::optional<std::string> test_after_tag(std::string_view line, std::string_view tag) {
  if (!line.starts_with(tag)) return std::nullopt;
  std::string_view rest = trim(line.substr(tag.size()));
  const size_t space = rest.find(' ');
  if (space != std::string_view::npos) rest = rest.substr(0, space);
  if (rest.empty() || rest.find('.') == std::string_view::npos) return std::nullopt;
  return std::string(rest);
}

// "path/to/test_tasks.cpp:12: Failure" -> "test_tasks.cpp:12"; "unknown file: Failure" -> "".
std::optional<std::string> failure_location(std::string_view line) {
  constexpr std::string_view kFailure = ": Failure";
  if (!line.ends_with(kFailure)) return std::nullopt;
  std::string_view where = line.substr(0, line.size() - kFailure.size());
  if (where == "unknown file") return std::string();
  const size_t slash = where.rfind('/');
  if (slash != std::string_view::npos) where.remove_prefix(slash + 1);
  return std::string(where);
}

constexpr std::string_view kRun = "[ RUN      ]";
constexpr std::string_view kOk = "[       OK ]";
constexpr std::string_view kFailed = "[  FAILED  ]";
constexpr std::string_view kSkipped = "[  SKIPPED ]";

}  // namespace

GtestRun parse_gtest_output(std::string_view output) {
  GtestRun run;
  std::optional<FailedTest> current;  // the test that is running, collecting its failures
  std::string* message = nullptr;     // the failure whose lines are being collected
  auto finish_failed = [&] {
    for (const std::string& text : current->failures) {
      if (text.find("not implemented yet") != std::string::npos) current->not_implemented = true;
    }
    run.failed.push_back(std::move(*current));
    current.reset();
    message = nullptr;
  };
  for (std::string_view line : split_lines(output)) {
    if (auto name = test_after_tag(line, kRun)) {
      if (current) {  // the previous test never printed its result
        current->crashed = true;
        finish_failed();
      }
      current.emplace();
      current->name = *name;
      continue;
    }
    if (!current) continue;
    if (test_after_tag(line, kOk)) {
      // A test can print "Failure" lines and still end OK only with EXPECT_NONFATAL_FAILURE; trust the tag.
      run.passed.push_back(current->name);
      current.reset();
      message = nullptr;
    } else if (test_after_tag(line, kSkipped)) {
      // A skipped test checked nothing: it must not make a task done or a solution pass.
      current->skipped = true;
      current->where.emplace_back();
      current->failures.emplace_back("skipped: a test that skips itself checks nothing, so it does not pass");
      finish_failed();
    } else if (test_after_tag(line, kFailed)) {
      finish_failed();
    } else if (auto where = failure_location(line)) {
      current->where.push_back(*where);
      current->failures.emplace_back();
      message = &current->failures.back();
    } else if (message != nullptr) {
      if (!message->empty()) *message += '\n';
      *message += line;
    }
  }
  if (current) {
    current->crashed = true;
    finish_failed();
  }
  return run;
}

std::vector<std::string> parse_gtest_list(std::string_view output) {
  // Suites start in column 0 and end with '.'; their tests are indented. "  # GetParam() = ..." comments
  // follow parameterized names.
  std::vector<std::string> tests;
  std::string suite;
  for (std::string_view line : split_lines(output)) {
    if (line.empty()) continue;
    const size_t comment = line.find("  #");
    if (comment != std::string_view::npos) line = line.substr(0, comment);
    if (line.front() != ' ') {
      std::string_view name = trim(line);
      suite = name.ends_with('.') ? std::string(name) : std::string();
    } else if (!suite.empty()) {
      std::string_view name = trim(line);
      if (!name.empty()) tests.push_back(suite + std::string(name));
    }
  }
  return tests;
}

namespace {

bool glob_matches(std::string_view pattern, std::string_view text) {
  // Iterative wildcard match with backtracking to the last '*'.
  size_t p = 0, t = 0, star = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_t = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool any_glob_matches(std::string_view patterns, std::string_view test) {
  while (true) {
    const size_t colon = patterns.find(':');
    if (glob_matches(patterns.substr(0, colon), test)) return true;
    if (colon == std::string_view::npos) return false;
    patterns.remove_prefix(colon + 1);
  }
}

}  // namespace

bool gtest_filter_matches(std::string_view filter, std::string_view test) {
  const size_t dash = filter.find('-');
  std::string_view positive = filter.substr(0, dash);
  if (positive.empty()) positive = "*";  // "-Foo.*" means everything except Foo
  if (!any_glob_matches(positive, test)) return false;
  return dash == std::string_view::npos || !any_glob_matches(filter.substr(dash + 1), test);
}

}  // namespace minillm::practice
