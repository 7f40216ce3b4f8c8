#include "practice/hints.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

namespace minillm::practice {
namespace fs = std::filesystem;
namespace {

fs::path state_path(const fs::path& build) { return build / "practice" / "hints-state.json"; }

// {"01/count_pairs": 2, ...}. A damaged state file only costs the learner their hint count, so it is read
// as empty rather than stopping the runner.
nlohmann::json load_state(const fs::path& build) {
  const fs::path path = state_path(build);
  if (!fs::is_regular_file(path)) return nlohmann::json::object();
  try {
    nlohmann::json state = nlohmann::json::parse(read_file(path));
    if (state.is_object()) return state;
  } catch (const std::exception&) {
  }
  return nlohmann::json::object();
}

std::string key(const std::string& chapter, const std::string& task) { return chapter + "/" + task; }

}  // namespace

int hints_shown(const fs::path& build, const std::string& chapter, const std::string& task) {
  const nlohmann::json state = load_state(build);
  const auto it = state.find(key(chapter, task));
  return it != state.end() && it->is_number_integer() ? std::max(0, it->get<int>()) : 0;
}

std::string reveal_next_hint(const fs::path& build, const std::string& chapter, const Task& task) {
  nlohmann::json state = load_state(build);
  const int total = static_cast<int>(task.hints.size());
  const int shown = hints_shown(build, chapter, task.name);
  if (shown >= total) {
    return fmt::format("Hint {} of {} for {} (the last one): {}\nStill stuck? Compare with "
                       "practice/solution/{}, then close it and write it your way.",
                       total, total, task.name, task.hints.back(), task.file);
  }
  state[key(chapter, task.name)] = shown + 1;
  write_file_atomically(state_path(build), state.dump(2) + "\n");
  return fmt::format("Hint {} of {} for {}: {}", shown + 1, total, task.name, task.hints[static_cast<size_t>(shown)]);
}

}  // namespace minillm::practice
