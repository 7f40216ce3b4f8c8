// Reading label<TAB>text files: the label set, and every bad line refused in one message naming it.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "classify/labelled_text.hpp"
#include "io/atomic_file.hpp"

namespace minillm {
namespace {

namespace fs = std::filesystem;
using test_support::error_of;

fs::path fixture(const std::string& name) { return fs::path(MINILLM_SOURCE_DIR) / "tests/fixtures/classify" / name; }

fs::path write_temp(const std::string& name, const std::string& text) {
  const fs::path path = fs::path(MINILLM_BINARY_DIR) / "tests" / "classify-text" / name;
  write_file_atomically(path, text);
  return path;
}

TEST(LabelledText, ReadsTheLabelSetSortedAndTheCounts) {
  const LabelledText t = read_labelled_text(fixture("train.tsv"));
  EXPECT_EQ(t.label_names, (std::vector<std::string>{"cooking", "weather"}));
  EXPECT_EQ(t.class_counts(), (std::vector<int64_t>{24, 48}));
  EXPECT_EQ(t.texts.size(), 72u);
}

TEST(LabelledText, KeepsTabsInsideTheTextAndDropsAWindowsLineEnd) {
  const LabelledText t = read_labelled_text(write_temp("tabs.tsv", "b\tone\ttwo\r\na\tthree\n"));
  EXPECT_EQ(t.texts[0], "one\ttwo");
  EXPECT_EQ(t.labels, (std::vector<int>{1, 0}));
}

TEST(LabelledText, BadLinesAreNamed) {
  const std::string dir = (fs::path(MINILLM_SOURCE_DIR) / "tests/fixtures/classify/").string();
  EXPECT_EQ(error_of([&] { read_labelled_text(fixture("no_tab.tsv")); }),
            dir + "no_tab.tsv line 2 has no tab: each line must be label<TAB>text");
  EXPECT_EQ(error_of([&] { read_labelled_text(fixture("empty_text.tsv")); }),
            dir + "empty_text.tsv line 2 (label 'cooking') has an empty text: every example needs some text");
  EXPECT_EQ(error_of([&] { read_labelled_text(fixture("one_label.tsv")); }),
            dir + "one_label.tsv: every line has the label 'weather'; a classifier learns to tell labels apart, so "
                  "give examples of at least two");
  EXPECT_EQ(error_of([&] { read_labelled_text(fixture("unseen_label.tsv"), {"cooking", "weather"}); }),
            dir + "unseen_label.tsv line 2: label 'sport' is not one the model was trained on (cooking, weather)");
  EXPECT_NE(error_of([&] { read_labelled_text(write_temp("empty-label.tsv", "a\tx\n\ty\n")); }).find("line 2 has an empty label"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_labelled_text(write_temp("empty.tsv", "")); }).find("holds no examples"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_labelled_text("/nonexistent.tsv"); }).find("does not exist"), std::string::npos);
}

}  // namespace
}  // namespace minillm
