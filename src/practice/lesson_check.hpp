#pragma once
// The lesson checks: a chapter's README.md has the course's fourteen sections in order, every code block
// quoted from a source file is still exactly what that file says between its lesson markers, and the chapter
// has its demo, build file and practice: at least kMinTasksPerChapter tasks, each with a solution and a first hint
// in words (no code). `--refresh` copies drifted quotes from the sources into the lesson.
//
// A quote in a lesson:                     The region in the source:
//     <!-- quote: src/core/matmul.cpp naive_loop -->      // lesson: naive_loop
//     ```cpp                                              ...these lines, unchanged...
//     ...                                                 // end lesson: naive_loop
//     ```
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace minillm::practice {

// The `### ` sections every lesson has, in this order (from the course's seed lesson).
// Extra material goes in `#### ` subsections inside them.
inline constexpr std::array<std::string_view, 14> kLessonSections = {
    "Concept Definition",  "Why It Matters",
    "Analogy",             "Architecture & Workflow Diagram",
    "How It Works (Step-by-Step)", "Code Example",
    "Line-by-Line Code Explanation", "Real-World Use Case",
    "Practice Task",       "Common Mistakes & Debugging Tips",
    "Best Practices",      "Key Takeaways",
    "Practice Time",       "Real-World Tip"};

// Every chapter's practice has at least this many tasks: a ladder from easy to hard, not one exercise.
inline constexpr size_t kMinTasksPerChapter = 7;

struct LessonProblem {
  std::string file;  // relative to the repository root: "chapters/01_tokenization/README.md"
  int line = 0;      // 1-based; 0 when the problem is about the whole file
  std::string message;
  bool drifted_quote = false;  // fixable by --refresh
};

struct LessonCheck {
  std::vector<LessonProblem> problems;
  int quotes = 0;     // quote markers found
  int refreshed = 0;  // quoted blocks rewritten (only with refresh)
};

// Checks chapters/<chapter_dir> under `root`. With refresh, drifted quoted blocks are rewritten from the
// sources (the README is replaced atomically) and are not reported as problems.
LessonCheck check_chapter(const std::filesystem::path& root, const std::string& chapter_dir, bool refresh);

// The chapter folders under root/chapters ("00_tensors_and_matmul", ...), sorted.
std::vector<std::string> chapter_dirs(const std::filesystem::path& root);

// A heading compared the way the checker does: lower case, "\&" read as "&", spaces collapsed.
std::string normalize_heading(std::string_view heading);

// The lines strictly between `// lesson: name` and `// end lesson: name` in `source` (markers may be
// indented); nullopt when the start marker is absent. Throws Error when the end marker is missing.
std::optional<std::vector<std::string>> lesson_region(std::string_view source, std::string_view name);

// The first piece of `hint` that reads as C++ rather than prose ("+=", "x[i]", "for (", a `code span`), or
// an empty string when there is none. A task's first hint is a nudge in words: the code comes last.
std::string code_in_hint(std::string_view hint);

// "file:line: message" (or "file: message" when line is 0).
std::string to_string(const LessonProblem& problem);

}  // namespace minillm::practice
