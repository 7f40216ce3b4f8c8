#pragma once
// How good a classifier is on labelled examples: accuracy, and per class precision (of the texts it called
// spam, how many were), recall (of the spam, how much it caught) and F1, their harmonic mean; macro-F1 is
// the plain mean of the classes' F1, so a rare class counts as much as a common one. A class never predicted
// has precision 0 (scikit-learn's zero_division=0), one never present recall 0.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace minillm {

struct ClassScores {
  std::string label;
  double precision = 0, recall = 0, f1 = 0;
  int64_t support = 0;  // examples of this class
};

struct ClassificationReport {
  double accuracy = 0, macro_f1 = 0;
  std::vector<ClassScores> per_class;
  std::vector<std::vector<int64_t>> confusion;  // [true class][predicted class]
  int64_t examples = 0;
};

// truth[i] and predicted[i] index into labels.
ClassificationReport score_predictions(const std::vector<int>& truth, const std::vector<int>& predicted,
                                       const std::vector<std::string>& labels);

// The report as `classify eval` prints it: accuracy, macro-F1, a row per class, the confusion matrix.
std::string format_report(const ClassificationReport& report);
// `classify eval --json`: {"accuracy", "macro_f1", "per_class": {label: {precision, recall, f1, support}},
// "confusion": [[...], ...] (rows: true class, columns: predicted, in "labels" order), "labels"}.
nlohmann::json report_json(const ClassificationReport& report);
// The confusion matrix as a heatmap PNG (rows: true class, columns: predicted; each cell's count).
void save_confusion_png(const std::filesystem::path& path, const ClassificationReport& report, const std::string& title);

}  // namespace minillm
