#include "practice/lesson_check.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "practice/manifest.hpp"

namespace minillm::practice {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.emplace_back(text.substr(start));
      break;
    }
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// "```cpp" or "~~~" (up to three spaces of indent) opens or closes a fenced code block.
bool is_fence(std::string_view line) {
  size_t indent = 0;
  while (indent < line.size() && indent < 3 && line[indent] == ' ') ++indent;
  line.remove_prefix(indent);
  return line.starts_with("```") || line.starts_with("~~~");
}

struct Heading {
  int level;
  std::string text;
  int line;
};

// Markdown headings outside fenced code (where "#include" is code, not a heading).
std::vector<Heading> headings(const std::vector<std::string>& lines) {
  std::vector<Heading> found;
  bool in_code = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (is_fence(lines[i])) {
      in_code = !in_code;
      continue;
    }
    if (in_code) continue;
    const std::string& line = lines[i];
    int level = 0;
    while (level < static_cast<int>(line.size()) && line[level] == '#') ++level;
    if (level > 0 && level < static_cast<int>(line.size()) && line[level] == ' ') {
      found.push_back({level, std::string(trim(std::string_view(line).substr(level))), static_cast<int>(i) + 1});
    }
  }
  return found;
}

struct Context {
  fs::path root;
  std::string dir;  // "chapters/01_tokenization"
  LessonCheck result;

  void problem(const std::string& file, int line, std::string message, bool drifted = false) {
    result.problems.push_back({dir + "/" + file, line, std::move(message), drifted});
  }
};

void check_sections(Context& cx, const std::vector<std::string>& lines) {
  const std::vector<Heading> all = headings(lines);
  if (all.empty() || all.front().level != 2) {
    cx.problem("README.md", all.empty() ? 0 : all.front().line,
               "the lesson must start with a `## Title` heading (then the fourteen `### ` sections)");
  }
  std::vector<std::string> expected;
  for (std::string_view name : kLessonSections) expected.push_back(normalize_heading(name));
  const auto section_list = [] {
    std::string list;
    for (std::string_view name : kLessonSections) list += fmt::format("{}\"{}\"", list.empty() ? "" : ", ", name);
    return list;
  };
  size_t next = 0;  // index in kLessonSections of the section expected next
  for (const Heading& heading : all) {
    if (heading.level != 3) continue;
    const auto at = std::find(expected.begin(), expected.end(), normalize_heading(heading.text));
    const size_t index = static_cast<size_t>(at - expected.begin());
    if (at == expected.end()) {
      cx.problem("README.md", heading.line,
                 fmt::format("\"### {}\" is not one of the lesson's sections ({}); use #### for a subsection",
                             heading.text, section_list()));
    } else if (index < next) {
      cx.problem("README.md", heading.line,
                 fmt::format("\"### {}\" is out of order or repeated: the sections go in this order: {}",
                             heading.text, section_list()));
    } else {
      for (size_t missing = next; missing < index; ++missing) {
        cx.problem("README.md", heading.line,
                   fmt::format("section \"### {}\" is missing: add it before \"### {}\"", kLessonSections[missing],
                               heading.text));
      }
      next = index + 1;
    }
  }
  if (next == 0) {
    cx.problem("README.md", 0, fmt::format("has none of the lesson's fourteen sections; add them as `### ` headings "
                                           "in this order: {}", section_list()));
    return;
  }
  for (size_t missing = next; missing < kLessonSections.size(); ++missing) {
    cx.problem("README.md", static_cast<int>(lines.size()),
               fmt::format("section \"### {}\" is missing: add it at the end, after the sections above",
                           kLessonSections[missing]));
  }
}

// Finds the fenced block after the quote marker at lines[marker]: sets [first, last) to its content lines.
bool find_quoted_block(const std::vector<std::string>& lines, size_t marker, size_t& first, size_t& last) {
  size_t open = marker + 1;
  while (open < lines.size() && trim(lines[open]).empty()) ++open;
  if (open >= lines.size() || !is_fence(lines[open])) return false;
  size_t close = open + 1;
  while (close < lines.size() && !is_fence(lines[close])) ++close;
  if (close >= lines.size()) return false;
  first = open + 1;
  last = close;
  return true;
}

// Checks (and with refresh, repairs) every quote in the lesson. Returns true when `lines` changed.
// The source region a quote marker names, or nullopt after reporting why there is none.
std::optional<std::vector<std::string>> quoted_source(Context& cx, int line_number, const std::string& path,
                                                      const std::string& name) {
  const fs::path source_path = cx.root / path;
  if (!fs::is_regular_file(source_path)) {
    cx.problem("README.md", line_number,
               fmt::format("the quote marker names {}, which does not exist (paths are relative to the "
                           "repository root, e.g. src/core/matmul.cpp)",
                           path));
    return std::nullopt;
  }
  std::optional<std::vector<std::string>> region;
  try {
    region = lesson_region(read_file(source_path), name);
  } catch (const Error& e) {
    cx.problem("README.md", line_number, e.what());
    return std::nullopt;
  }
  if (!region)
    cx.problem("README.md", line_number,
               fmt::format("{} has no region named {}: put the quoted lines between `// lesson: {}` and "
                           "`// end lesson: {}` comment lines there",
                           path, name, name, name));
  return region;
}

// Reports the first line where a quote differs from its source.
void report_drift(Context& cx, const std::vector<std::string>& quoted, const std::vector<std::string>& region,
                  size_t first, const std::string& path, const std::string& name) {
  size_t differ = 0;
  while (differ < quoted.size() && differ < region.size() && quoted[differ] == region[differ]) ++differ;
  const std::string lesson_has = differ < quoted.size() ? "\"" + quoted[differ] + "\"" : "nothing (it ends)";
  const std::string source_has = differ < region.size() ? "\"" + region[differ] + "\"" : "nothing (it ends)";
  cx.problem("README.md", static_cast<int>(first + differ) + 1,
             fmt::format("the code quoted from {} {} differs from the source: the lesson has {} where the source "
                         "has {}. Run ./run lessons --refresh to copy the source into the lesson",
                         path, name, lesson_has, source_has),
             /*drifted=*/true);
}

bool check_quotes(Context& cx, std::vector<std::string>& lines, bool refresh) {
  static const std::regex marker_pattern(R"(^\s*<!--\s*quote:\s*(\S+)\s+(\S+)\s*-->\s*$)");
  bool changed = false;
  bool in_code = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (is_fence(lines[i])) in_code = !in_code;
    std::smatch match;
    if (in_code || !std::regex_match(lines[i], match, marker_pattern)) continue;
    ++cx.result.quotes;
    const int line_number = static_cast<int>(i) + 1;
    const std::string path = match[1], name = match[2];
    size_t first = 0, last = 0;
    if (!find_quoted_block(lines, i, first, last)) {
      cx.problem("README.md", line_number,
                 fmt::format("the quote marker for {} {} must be followed by a fenced ```cpp code block", path, name));
      continue;
    }
    const std::optional<std::vector<std::string>> region = quoted_source(cx, line_number, path, name);
    if (!region) continue;
    const std::vector<std::string> quoted(lines.begin() + static_cast<long>(first),
                                          lines.begin() + static_cast<long>(last));
    if (quoted == *region) continue;
    if (!refresh) {
      report_drift(cx, quoted, *region, first, path, name);
      continue;
    }
    lines.erase(lines.begin() + static_cast<long>(first), lines.begin() + static_cast<long>(last));
    lines.insert(lines.begin() + static_cast<long>(first), region->begin(), region->end());
    ++cx.result.refreshed;
    changed = true;
  }
  return changed;
}

void check_files(Context& cx, const std::string& chapter_dir) {
  const fs::path dir = cx.root / "chapters" / chapter_dir;
  if (!fs::is_regular_file(dir / "demo.cpp")) cx.problem("demo.cpp", 0, "missing: every chapter has a runnable demo");
  if (!fs::is_regular_file(dir / "CMakeLists.txt")) {
    cx.problem("CMakeLists.txt", 0, "missing: it holds one line, minillm_add_chapter(DEPS minillm_<module> ...)");
  } else if (read_file(dir / "CMakeLists.txt").find("minillm_add_chapter(") == std::string::npos) {
    cx.problem("CMakeLists.txt", 0, "does not call minillm_add_chapter(DEPS ...), so nothing of the chapter is built");
  }
  const fs::path practice = dir / "practice";
  if (!fs::is_regular_file(practice / "manifest.json")) {
    cx.problem("practice/manifest.json", 0, "missing: list the practice tasks there (see docs/course.md)");
    return;
  }
  try {
    const Manifest manifest = load_manifest(practice / "manifest.json");
    if (manifest.chapter != chapter_dir.substr(0, 2)) {
      cx.problem("practice/manifest.json", 0,
                 fmt::format("\"chapter\" is \"{}\" but the folder is {}: make them agree", manifest.chapter,
                             chapter_dir));
    }
    if (manifest.tasks.size() < kMinTasksPerChapter) {
      cx.problem("practice/manifest.json", 0,
                 fmt::format("has {} task(s); a chapter needs at least {}, from easy to hard, so a learner climbs a "
                             "ladder rather than solving one exercise",
                             manifest.tasks.size(), kMinTasksPerChapter));
    }
    for (const Task& task : manifest.tasks) {
      if (const std::string code = code_in_hint(task.hints.front()); !code.empty()) {
        cx.problem("practice/manifest.json", 0,
                   fmt::format("task {}: the first hint contains code (\"{}\"); make it a nudge in words and move "
                               "the code to a later hint",
                               task.name, code));
      }
      if (!fs::is_regular_file(practice / task.file)) {
        cx.problem("practice/manifest.json", 0,
                   fmt::format("task {} names practice/{}, which does not exist", task.name, task.file));
      }
      const fs::path solution = practice / "solution" / task.file;
      if (!fs::is_regular_file(solution)) {
        cx.problem("practice/manifest.json", 0,
                   fmt::format("task {} has no solution: add practice/solution/{}", task.name, task.file));
      } else if (read_file(solution).find("#include \"../") != std::string::npos) {
        // A learner who copies the solution over their file must get a file that compiles there too.
        cx.problem("practice/solution/" + task.file, 0,
                   "includes a header by a \"../\" path, which breaks when the file is copied into practice/: "
                   "write #include \"tasks.hpp\" (the build finds it through the practice folder)");
      }
    }
  } catch (const Error& e) {
    cx.result.problems.push_back({"", 0, e.what(), false});
  }
  bool has_tests = false;
  if (fs::is_directory(practice)) {
    for (const auto& entry : fs::directory_iterator(practice)) {
      const std::string name = entry.path().filename().string();
      has_tests = has_tests || (name.starts_with("test_") && name.ends_with(".cpp"));
    }
  }
  if (!has_tests) cx.problem("practice", 0, "has no test_*.cpp: each task needs GoogleTest tests");
}

}  // namespace

std::string normalize_heading(std::string_view heading) {
  std::string out;
  for (size_t i = 0; i < heading.size(); ++i) {
    const char c = heading[i];
    if (c == '\\' && i + 1 < heading.size() && heading[i + 1] == '&') continue;
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::optional<std::vector<std::string>> lesson_region(std::string_view source, std::string_view name) {
  const std::string start = fmt::format("// lesson: {}", name), end = fmt::format("// end lesson: {}", name);
  const std::vector<std::string> lines = split_lines(source);
  const auto begin = std::find_if(lines.begin(), lines.end(), [&](const std::string& l) { return trim(l) == start; });
  if (begin == lines.end()) return std::nullopt;
  const auto finish = std::find_if(begin + 1, lines.end(), [&](const std::string& l) { return trim(l) == end; });
  if (finish == lines.end()) fail("the region `{}` has no `{}` line after it: add one where the quote ends", start, end);
  if (std::find_if(finish + 1, lines.end(), [&](const std::string& l) { return trim(l) == start; }) != lines.end()) {
    fail("the region name {} is used twice in the same file: give each region its own name", name);
  }
  return std::vector<std::string>(begin + 1, finish);
}

LessonCheck check_chapter(const fs::path& root, const std::string& chapter_dir, bool refresh) {
  Context cx{root, "chapters/" + chapter_dir, {}};
  const fs::path readme = root / "chapters" / chapter_dir / "README.md";
  if (!fs::is_regular_file(readme)) {
    cx.problem("README.md", 0, "missing: the lesson goes there (see docs/course.md for its sections)");
  } else {
    const std::string text = read_file(readme);
    std::vector<std::string> lines = split_lines(text);
    check_sections(cx, lines);
    if (check_quotes(cx, lines, refresh)) {
      std::string rewritten;
      for (const std::string& line : lines) rewritten += line + '\n';
      if (!text.empty() && text.back() != '\n') rewritten.pop_back();
      write_file_atomically(readme, rewritten);
    }
  }
  check_files(cx, chapter_dir);
  return cx.result;
}

std::vector<std::string> chapter_dirs(const fs::path& root) {
  std::vector<std::string> dirs;
  const fs::path chapters = root / "chapters";
  if (!fs::is_directory(chapters)) return dirs;
  for (const auto& entry : fs::directory_iterator(chapters)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && name.size() > 3 && std::isdigit(static_cast<unsigned char>(name[0])) &&
        std::isdigit(static_cast<unsigned char>(name[1])) && name[2] == '_') {
      dirs.push_back(name);
    }
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

std::string code_in_hint(std::string_view hint) {
  // What C++ looks like and prose does not: a code span, an indexed name (x[i]), compound assignment and
  // comparison operators, a scope (std::), braces, a loop or branch head, a declaration, an assignment
  // statement ending in ';'. Maths such as "a(i, p) * b(p, j)" or "[B, T, C]" stays allowed.
  static const std::regex code_pattern(
      R"(`|[A-Za-z_][A-Za-z0-9_]*\[|\+\+|\+=|-=|\*=|/=|==|!=|&&|\|\||::|[{}])"
      R"(|\b(for|if|while|switch)\s*\(|\breturn\b[^.]*;)"
      R"(|\b(float|double|int|auto|size_t|int64_t|const)\s+[A-Za-z_][A-Za-z0-9_]*\s*[=;(])"
      R"(|[A-Za-z0-9_)\]]\s*=\s*[^=;.]+;)");
  std::smatch match;
  const std::string text(hint);
  if (!std::regex_search(text, match, code_pattern)) return {};
  return match.str(0);
}

std::string to_string(const LessonProblem& problem) {
  if (problem.file.empty()) return problem.message;
  if (problem.line == 0) return fmt::format("{}: {}", problem.file, problem.message);
  return fmt::format("{}:{}: {}", problem.file, problem.line, problem.message);
}

}  // namespace minillm::practice
