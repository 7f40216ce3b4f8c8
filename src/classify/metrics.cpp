#include "classify/metrics.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "plot/charts.hpp"

namespace minillm {

// lesson: confusion_f1
ClassificationReport score_predictions(const std::vector<int>& truth, const std::vector<int>& predicted,
                                       const std::vector<std::string>& labels) {
  require(truth.size() == predicted.size() && !truth.empty(), "scores: {} labels for {} predictions", truth.size(),
          predicted.size());
  const size_t K = labels.size();
  ClassificationReport r;
  r.examples = static_cast<int64_t>(truth.size());
  r.confusion.assign(K, std::vector<int64_t>(K, 0));
  int64_t correct = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    ++r.confusion[static_cast<size_t>(truth[i])][static_cast<size_t>(predicted[i])];
    correct += truth[i] == predicted[i];
  }
  r.accuracy = double(correct) / double(r.examples);
  for (size_t k = 0; k < K; ++k) {
    int64_t predicted_k = 0, actual_k = 0;
    for (size_t j = 0; j < K; ++j) {
      predicted_k += r.confusion[j][k];  // column k: everything called k
      actual_k += r.confusion[k][j];     // row k: everything that is k
    }
    const double hits = double(r.confusion[k][k]);
    ClassScores s{labels[k], predicted_k > 0 ? hits / double(predicted_k) : 0.0,
                  actual_k > 0 ? hits / double(actual_k) : 0.0, 0.0, actual_k};
    s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
    r.macro_f1 += s.f1 / double(K);
    r.per_class.push_back(s);
  }
  return r;
}
// end lesson: confusion_f1

std::string format_report(const ClassificationReport& r) {
  std::string out = fmt::format("{} examples: accuracy {:.2f}%, macro-F1 {:.4f}\n", r.examples, 100 * r.accuracy,
                                r.macro_f1);
  size_t width = 5;
  for (const ClassScores& s : r.per_class) width = std::max(width, s.label.size());
  out += fmt::format("  {:<{}}  precision  recall      F1  support\n", "class", width);
  for (const ClassScores& s : r.per_class)
    out += fmt::format("  {:<{}}  {:9.4f}  {:6.4f}  {:6.4f}  {:7}\n", s.label, width, s.precision, s.recall, s.f1,
                       s.support);
  out += fmt::format("confusion matrix (rows: true class, columns: predicted)\n  {:<{}}", "", width);
  for (const ClassScores& s : r.per_class) out += fmt::format("  {:>8}", s.label);
  out += "\n";
  for (size_t k = 0; k < r.per_class.size(); ++k) {
    out += fmt::format("  {:<{}}", r.per_class[k].label, width);
    for (int64_t n : r.confusion[k]) out += fmt::format("  {:>8}", n);
    out += "\n";
  }
  return out;
}

nlohmann::json report_json(const ClassificationReport& r) {
  nlohmann::json per_class = nlohmann::json::object(), labels = nlohmann::json::array();
  for (const ClassScores& s : r.per_class) {
    per_class[s.label] = {{"precision", s.precision}, {"recall", s.recall}, {"f1", s.f1}, {"support", s.support}};
    labels.push_back(s.label);
  }
  return {{"accuracy", r.accuracy}, {"macro_f1", r.macro_f1}, {"per_class", per_class}, {"confusion", r.confusion},
          {"labels", labels}, {"examples", r.examples}};
}

void save_confusion_png(const std::filesystem::path& path, const ClassificationReport& r, const std::string& title) {
  plot::HeatmapSpec spec;
  spec.title = title;
  spec.x_label = "predicted";
  spec.y_label = "true class";
  spec.rows = spec.cols = static_cast<int>(r.per_class.size());
  for (const auto& row : r.confusion)
    for (int64_t n : row) spec.values.push_back(double(n));
  for (const ClassScores& s : r.per_class) {
    spec.row_labels.push_back(s.label);
    spec.col_labels.push_back(s.label);
  }
  spec.v_min = 0;
  spec.cell_size = spec.rows <= 4 ? 120 : 60;
  plot::heatmap(path, spec);
}

}  // namespace minillm
