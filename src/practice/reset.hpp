#pragma once
// `--reset NN`: put a chapter's learner files back to the stubs the course ships, after backing up the
// learner's current files to chapters/NN_topic/practice/.backup-<timestamp>/ (git-ignored).
//
// Where the stub comes from: the newest version of the file in git history that is still a stub, i.e. that
// still throws NotImplemented("<task>") for every task the manifest assigns to that file. That is right even
// when the learner committed their own work (HEAD then has their code, not the stub) and it follows
// upstream fixes to the stubs. Without git (an exported tarball) the pristine copy `./run test` exports to
// BUILD/practice-stubs is used, with the same stub test.
#include <filesystem>
#include <string>
#include <vector>

namespace minillm::practice {

// Whether `content` is a stub of every task in `tasks` (throws NotImplemented("task") for each).
bool is_stub_of(const std::string& content, const std::vector<std::string>& tasks);

// Resets chapter `number`; prints what it did. Throws Error when no pristine stub can be found.
void reset_chapter(const std::filesystem::path& source, const std::filesystem::path& build, const std::string& number);

}  // namespace minillm::practice
