#pragma once
// Labelled examples for a classifier: a TSV file with one example a line, `label<TAB>text` (the text may
// hold further tabs; the first one ends the label). data/fetch.sh writes SpamAssassin's splits this way, and
// any file like it works: the label set is whatever the file holds. A trailing "\r" (a Windows file) is
// dropped. Every problem is one Error naming the file and the line: a line without a tab, an empty label,
// an empty text, a file with fewer than two labels (training), or a label the model was not trained on
// (evaluation).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace minillm {

struct LabelledText {
  std::vector<std::string> texts;
  std::vector<int> labels;               // index into label_names
  std::vector<std::string> label_names;  // sorted, so the same file always gives the same indices
  std::vector<int64_t> class_counts() const;  // examples per label
};

// For training: the labels are the file's own (at least two).
LabelledText read_labelled_text(const std::filesystem::path& file);
// For evaluation: the labels are a model's; a label outside them is an Error naming it and the line.
LabelledText read_labelled_text(const std::filesystem::path& file, const std::vector<std::string>& known_labels);

}  // namespace minillm
