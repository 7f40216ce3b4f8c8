#include "practice/chapters.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "practice/lesson_check.hpp"

namespace minillm::practice {
namespace fs = std::filesystem;

std::string PracticeChapter::target(std::string_view kind) const {
  return kind.empty() ? fmt::format("ch{}_practice", number) : fmt::format("ch{}_practice_{}", number, kind);
}

fs::path PracticeChapter::binary(const fs::path& build, std::string_view kind) const {
  return build / "practice" / target(kind);
}

std::vector<PracticeChapter> practice_chapters(const fs::path& root) {
  require(fs::is_directory(root / "chapters"), "{} has no chapters/ folder: --source must be the repository root",
          root.string());
  std::vector<PracticeChapter> chapters;
  for (const std::string& dir : chapter_dirs(root)) {
    const fs::path manifest = root / "chapters" / dir / "practice" / "manifest.json";
    if (!fs::is_regular_file(manifest)) continue;
    chapters.push_back({dir.substr(0, 2), dir, load_manifest(manifest)});
  }
  return chapters;
}

std::string chapter_number(std::string_view text) {
  const bool digits = !text.empty() && text.size() <= 2 &&
                      std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  require(digits, "\"{}\" is not a chapter number: give two digits such as 01", text);
  std::string number(text);
  if (number.size() == 1) number.insert(number.begin(), '0');
  return number;
}

std::vector<PracticeChapter> select_chapters(const fs::path& root, const std::string& only) {
  std::vector<PracticeChapter> chapters = practice_chapters(root);
  require(!chapters.empty(), "no chapter under {}/chapters has practice/manifest.json yet", root.string());
  if (only.empty()) return chapters;
  const std::string number = chapter_number(only);
  std::string available;
  for (const PracticeChapter& chapter : chapters) {
    if (chapter.number == number) return {chapter};
    available += (available.empty() ? "" : ", ") + chapter.number;
  }
  fail("chapter {} has no practice tasks; the chapters with practice are {}", number, available);
}

}  // namespace minillm::practice
