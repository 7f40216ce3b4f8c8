#include "classify/labelled_text.hpp"

#include <algorithm>
#include <fstream>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"

namespace minillm {

namespace fs = std::filesystem;

std::vector<int64_t> LabelledText::class_counts() const {
  std::vector<int64_t> counts(label_names.size(), 0);
  for (int label : labels) ++counts[static_cast<size_t>(label)];
  return counts;
}

namespace {

struct Row {
  std::string label, text;
  int64_t line = 0;
};

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n\f\v") == std::string::npos; }

std::vector<Row> read_rows(const fs::path& file) {
  require(fs::is_regular_file(file), "'{}' does not exist or is not a file: give a TSV file of label<TAB>text lines",
          file.string());
  std::ifstream in(file, std::ios::binary);
  require(in.good(), "cannot open '{}'", file.string());
  std::vector<Row> rows;
  std::string line;
  for (int64_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t tab = line.find('\t');
    require(tab != std::string::npos, "{} line {} has no tab: each line must be label<TAB>text", file.string(),
            number);
    Row row{line.substr(0, tab), line.substr(tab + 1), number};
    require(!blank(row.label), "{} line {} has an empty label (the line starts with a tab)", file.string(), number);
    require(!blank(row.text), "{} line {} (label '{}') has an empty text: every example needs some text",
            file.string(), number, row.label);
    rows.push_back(std::move(row));
  }
  require(!rows.empty(), "{} holds no examples: give a TSV file of label<TAB>text lines", file.string());
  return rows;
}

LabelledText index_rows(std::vector<Row> rows, std::vector<std::string> names, const fs::path& file) {
  std::map<std::string, int> index;
  for (size_t i = 0; i < names.size(); ++i) index[names[i]] = static_cast<int>(i);
  LabelledText out;
  out.label_names = std::move(names);
  for (Row& row : rows) {
    const auto it = index.find(row.label);
    if (it == index.end())
      fail("{} line {}: label '{}' is not one the model was trained on ({})", file.string(), row.line, row.label,
           fmt::join(out.label_names, ", "));
    out.labels.push_back(it->second);
    out.texts.push_back(std::move(row.text));
  }
  return out;
}

}  // namespace

LabelledText read_labelled_text(const fs::path& file) {
  std::vector<Row> rows = read_rows(file);
  std::vector<std::string> names;
  for (const Row& row : rows) names.push_back(row.label);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  require(names.size() >= 2, "{}: every line has the label '{}'; a classifier learns to tell labels apart, so give "
          "examples of at least two", file.string(), names.front());
  return index_rows(std::move(rows), std::move(names), file);
}

LabelledText read_labelled_text(const fs::path& file, const std::vector<std::string>& known_labels) {
  return index_rows(read_rows(file), known_labels, file);
}

}  // namespace minillm
