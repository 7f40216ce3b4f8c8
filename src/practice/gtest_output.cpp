#include "practice/gtest_output.hpp"

#include <optional>
#include <utility>

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "practice/process.hpp"

namespace minillm::practice {
namespace fs = std::filesystem;
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

// "path/to/test_tasks.cpp:12\nExpected ..." -> ("test_tasks.cpp:12", "Expected ..."); "unknown file\n..." -> "".
std::pair<std::string, std::string> split_json_failure(const std::string& text) {
  const size_t newline = text.find('\n');
  std::string where = text.substr(0, newline);
  std::string message = newline == std::string::npos ? std::string() : text.substr(newline + 1);
  if (where == "unknown file") where.clear();
  const size_t slash = where.rfind('/');
  if (slash != std::string::npos) where.erase(0, slash + 1);
  return {where, message};
}

FailedTest failed_test(const std::string& name, const nlohmann::json& test) {
  FailedTest failed;
  failed.name = name;
  for (const auto& f : test.value("failures", nlohmann::json::array())) {
    auto [where, message] = split_json_failure(f.value("failure", std::string()));
    if (message.find("not implemented yet") != std::string::npos) failed.not_implemented = true;
    failed.where.push_back(std::move(where));
    failed.failures.push_back(std::move(message));
  }
  return failed;
}

}  // namespace

GtestRun parse_gtest_json(std::string_view json_text) {
  nlohmann::json report;
  try {
    report = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    fail("gtest's JSON report is not valid JSON ({})", e.what());
  }
  GtestRun run;
  for (const auto& suite : report.value("testsuites", nlohmann::json::array()))
    for (const auto& test : suite.value("testsuite", nlohmann::json::array())) {
      if (test.value("status", std::string()) != "RUN") continue;  // filtered out or disabled
      const std::string name = suite.value("name", std::string()) + "." + test.value("name", std::string());
      if (test.value("result", std::string()) == "SKIPPED") {
        // A skipped test checked nothing: it must not make a task done or a solution pass.
        FailedTest skipped;
        skipped.name = name;
        skipped.failures = {"skipped: a test that skips itself checks nothing, so it does not pass"};
        skipped.where = {""};
        skipped.skipped = true;
        run.failed.push_back(std::move(skipped));
      } else if (test.contains("failures")) {
        run.failed.push_back(failed_test(name, test));
      } else {
        run.passed.push_back(name);
      }
    }
  return run;
}

GtestRun run_gtest(const fs::path& binary, const std::string& filter, std::chrono::seconds time_limit,
                   ProcessResult& process) {
  static int runs = 0;
  const fs::path report = fs::temp_directory_path() / fmt::format("minillm-gtest-{}-{}.json", ::getpid(), ++runs);
  fs::remove(report);
  process = run_process({binary.string(), "--gtest_color=no", "--gtest_filter=" + filter,
                         "--gtest_output=json:" + report.string()},
                        time_limit);
  const bool finished = !process.timed_out && process.signal == 0 && fs::exists(report);
  GtestRun run = finished ? parse_gtest_json(read_file(report)) : parse_gtest_output(process.output);
  fs::remove(report);
  return run;
}

std::vector<std::string> list_gtest_tests(const fs::path& binary, const std::string& filter,
                                          std::chrono::seconds time_limit) {
  const ProcessResult listed =
      run_process({binary.string(), "--gtest_list_tests", "--gtest_filter=" + filter}, time_limit);
  return parse_gtest_list(listed.output);
}

}  // namespace minillm::practice
