// Chapter 09 demo, first part: the spam split and the baseline a fine-tuned GPT has to beat.
//   1. reads the SpamAssassin split (data/cache/spam_assassin/, made by ./run fetch) and shows its classes
//      and an example of each;
//   2. trains the classic baseline on it, TF-IDF on word 1-2 grams + logistic regression (scikit-learn,
//      tests/bench/spam_tfidf.py), and prints its test scores: accuracy, macro-F1, the confusion matrix.
// The GPT classifier (`minillm classify`) is not part of this first demo.
//
//   ch09_demo [--data DIR (default data/cache/spam_assassin)] [--smoke]
// --smoke: the project's own 40 mails (data/text/spam_smoke.tsv) stand in for all three splits (no downloads).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/data_dir.hpp"
#include "ui/usage.hpp"

namespace fs = std::filesystem;
using namespace minillm;

namespace {

constexpr std::string_view kUsage =
    "usage: ch09_demo [--data DIR] [--smoke]\n"
    "  The spam split of chapter 09 and the TF-IDF + logistic regression baseline on it.\n"
    "  --data DIR  the folder with train.tsv, val.tsv and test.tsv (default data/cache/spam_assassin, from\n"
    "              ./run fetch)\n"
    "  --smoke     the project's own small labelled file for all three splits (no downloads)\n";

struct Options {
  std::string data = (data_dir() / "cache" / "spam_assassin").string();
  bool smoke = false;
};

struct Example {
  std::string label, text;
};

std::vector<Example> read_tsv(const fs::path& path) {
  std::ifstream in(path);
  require(in.good(), "cannot read {}: run ./run fetch (or ch09_demo --smoke)", path.string());
  std::vector<Example> rows;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const size_t tab = line.find('\t');
    require(tab != std::string::npos && tab + 1 < line.size(), "{}:{}: expected 'label<TAB>text'", path.string(),
            number);
    rows.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  require(!rows.empty(), "{} is empty", path.string());
  return rows;
}

void show_split(const std::string& name, const std::vector<Example>& rows) {
  std::map<std::string, int> counts;
  for (const Example& e : rows) ++counts[e.label];
  std::string parts;
  for (const auto& [label, n] : counts)
    parts += fmt::format("{}{} {} ({:.0f}%)", parts.empty() ? "" : ", ", n, label, 100.0 * n / double(rows.size()));
  fmt::print("  {:<6} {:>5} mails: {}\n", name, rows.size(), parts);
}

void show_examples(const std::vector<Example>& rows) {
  std::map<std::string, bool> shown;
  for (const Example& e : rows) {
    if (shown[e.label]) continue;
    shown[e.label] = true;
    size_t cut = std::min<size_t>(e.text.size(), 150);
    while (cut < e.text.size() && (static_cast<unsigned char>(e.text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
    const std::string start = cut < e.text.size() ? e.text.substr(0, cut) + "..." : e.text;
    fmt::print("  a {} mail, as the models read it: {}\n", e.label, start);
  }
}

// Runs the baseline script; returns its JSON, or null when python3 or scikit-learn is missing.
nlohmann::json run_baseline(const fs::path& train, const fs::path& val, const fs::path& test) {
  const fs::path script = fs::path(MINILLM_SOURCE_DIR) / "tests" / "bench" / "spam_tfidf.py";
  if (!fs::exists("/usr/bin/python3")) return nullptr;
  const std::string command = fmt::format("/usr/bin/python3 '{}' --json --train '{}' --val '{}' --test '{}' 2>&1",
                                          script.string(), train.string(), val.string(), test.string());
  FILE* pipe = popen(command.c_str(), "r");
  require(pipe != nullptr, "could not start /usr/bin/python3");
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
    fmt::print("  (skipped: {})\n", output.substr(0, output.find('\n')));
    return nullptr;
  }
  require(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the baseline failed: {}", output);
  return nlohmann::json::parse(output);
}

void show_scores(const nlohmann::json& r) {
  fmt::print("  test accuracy {:.2f}%, macro-F1 {:.4f}\n", 100 * r["accuracy"].get<double>(),
             r["macro_f1"].get<double>());
  for (const auto& [label, c] : r["per_class"].items())
    fmt::print("  {:>5}: precision {:.3f}, recall {:.3f}\n", label, c["precision"].get<double>(),
               c["recall"].get<double>());
  const auto labels = r["labels"];
  fmt::print("  confusion (rows: the true label, columns: the prediction):\n");
  for (size_t i = 0; i < labels.size(); ++i) {
    std::string row;
    for (const auto& n : r["confusion"][i]) row += fmt::format(" {:>5}", n.get<int>());
    fmt::print("  {:>5}:{}\n", labels[i].get<std::string>(), row);
  }
  fmt::print("  trained in {:.1f} s (tf-idf {:.1f} s, {} features)\n", r["seconds"]["total"].get<double>(),
             r["seconds"]["tfidf"].get<double>(), r["features"].get<int>());
}

int run(const Options& o) {
  const fs::path smoke = fs::path(MINILLM_SOURCE_DIR) / "data" / "text" / "spam_smoke.tsv";
  const fs::path train = o.smoke ? smoke : fs::path(o.data) / "train.tsv";
  const fs::path val = o.smoke ? smoke : fs::path(o.data) / "val.tsv";
  const fs::path test = o.smoke ? smoke : fs::path(o.data) / "test.tsv";
  fmt::print("Step 1/2: the data{}\n", o.smoke ? " (smoke run: one small file stands in for all three splits)" : "");
  const std::vector<Example> train_rows = read_tsv(train);
  show_split("train", train_rows);
  show_split("val", read_tsv(val));
  show_split("test", read_tsv(test));
  show_examples(train_rows);
  fmt::print("Step 2/2: the baseline, TF-IDF on word 1-2 grams + logistic regression (scikit-learn)\n");
  const nlohmann::json result = run_baseline(train, val, test);
  if (result.is_null()) return 0;
  show_scores(result);
  if (o.smoke)
    fmt::print("  (the smoke run scores the mails it trained on: this says the plumbing works, nothing more)\n");
  else
    fmt::print("  A fine-tuned GPT has to reach these scores on the same test split to be worth its cost.\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return ui::run_demo(argc, argv, kUsage, [&] {
    Options o;
    ui::DemoOptions().value("--data", o.data, "DIR").flag("--smoke", o.smoke).parse(argc, argv);
    return run(o);
  });
}
