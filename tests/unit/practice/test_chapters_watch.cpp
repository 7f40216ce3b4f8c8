// Finding the practice chapters, reading chapter numbers, and noticing a saved practice file (--watch).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "practice/chapters.hpp"
#include "practice/watch.hpp"
#include "temp_dir.hpp"

namespace minillm::practice {
namespace {

namespace fs = std::filesystem;

TEST(Chapters, FindsThePracticeChaptersAndTheirBinaries) {
  const std::vector<PracticeChapter> chapters = practice_chapters(testing::fixture("root"));
  ASSERT_EQ(chapters.size(), 1u);
  EXPECT_EQ(chapters[0].number, "90");
  EXPECT_EQ(chapters[0].practice_dir(), fs::path("chapters/90_fake/practice"));
  EXPECT_EQ(chapters[0].binary("/b", "learner"), fs::path("/b/practice/ch90_practice_learner"));
  EXPECT_EQ(chapters[0].binary("/b", ""), fs::path("/b/practice/ch90_practice")) << "the solutions' binary";
  EXPECT_TRUE(practice_chapters(testing::fixture("broken")).empty()) << "91_broken has no manifest";
  EXPECT_THROW(practice_chapters(testing::fixture("gtest")), Error) << "a folder without chapters/ is no repository";
}

TEST(Chapters, ReadsChapterNumbers) {
  EXPECT_EQ(chapter_number("1"), "01");
  EXPECT_EQ(chapter_number("01"), "01");
  EXPECT_THROW(chapter_number("abc"), Error);
  EXPECT_THROW(chapter_number("123"), Error);
  EXPECT_THROW(chapter_number(""), Error);
  EXPECT_EQ(select_chapters(testing::fixture("root"), "90").size(), 1u);
  try {
    select_chapters(testing::fixture("root"), "7");
    FAIL() << "there is no chapter 07";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the chapters with practice are 90"), std::string::npos) << e.what();
  }
}

struct WatchFixture {
  testing::TempDir dir;
  WatchFixture() { fs::copy(testing::fixture("root"), dir.path(), fs::copy_options::recursive); }
  fs::path tasks() const { return dir.path() / "chapters/90_fake/practice/tasks.cpp"; }
  void save() const {
    // Written like an editor saves (inotify sees the write), then dated later than the copy whatever the file
    // system's time resolution.
    std::ofstream(tasks(), std::ios::app) << "// saved\n";
    fs::last_write_time(tasks(), fs::last_write_time(tasks()) + std::chrono::seconds(5));
  }
};

TEST(Watch, ASaveBeforeTheWaitIsNoticedAtOnce) {
  WatchFixture fixture;
  WatchedFiles watched(fixture.dir.path());
  watched.remember();
  fixture.save();
  EXPECT_TRUE(watched.wait_for_change()) << "a save during the test run triggers the next run";
}

TEST(Watch, ASaveDuringTheWaitEndsIt) {
  WatchFixture fixture;
  WatchedFiles watched(fixture.dir.path());
  watched.remember();
  std::thread saver([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    fixture.save();
  });
  EXPECT_TRUE(watched.wait_for_change());
  saver.join();
}

}  // namespace
}  // namespace minillm::practice
