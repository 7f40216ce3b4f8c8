// `minillm embed train`, `minillm neighbours` (word vectors: chapter 02).
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/command_registry.hpp"
#include "cli/config_flags.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "core/rng.hpp"
#include "embed/kmeans.hpp"
#include "embed/pca.hpp"
#include "embed/tsne.hpp"
#include "embed/word2vec.hpp"
#include "embed/word2vec_progress.hpp"
#include "embed/word_map.hpp"
#include "embed/word_vectors.hpp"
#include "io/atomic_file.hpp"
#include "io/text_check.hpp"

namespace minillm::cli {

namespace {

// Fewer distinct words than this survive --min-count: the vectors would be too few to say anything.
constexpr int kMinUsefulWords = 10;

// Refuses (before training) a text whose vocabulary after --min-count is too small to be worth vectors.
void require_enough_words(const std::vector<std::string>& words, int min_count, const std::string& input) {
  std::unordered_map<std::string_view, int> counts;
  for (const std::string& w : words) ++counts[w];
  const auto kept = std::count_if(counts.begin(), counts.end(), [&](const auto& c) { return c.second >= min_count; });
  require(kept >= kMinUsefulWords,
          "{}: only {} distinct word{} occur{} at least --min-count {} time{} (of {} words read, {} distinct); "
          "word vectors need at least {}: give a longer text{}", input, kept, kept == 1 ? "" : "s",
          kept == 1 ? "s" : "", min_count, min_count == 1 ? "" : "s", words.size(), counts.size(), kMinUsefulWords,
          min_count > 1 ? " or a lower --min-count" : "");
}

void train_vectors(const embed::Word2VecOptions& options, const std::string& input, const std::string& out) {
  const std::string text = read_file(input);
  require_text(text, input);
  const std::vector<std::string> words = embed::split_words(text);
  fmt::print("Read {} words (lowercase a-z) from {}.\n", words.size(), input);
  require_enough_words(words, options.min_count, input);
  fmt::print("Training word2vec (skip-gram, negative sampling): dim {}, window {}, {} negatives, {} epochs, "
             "min count {}, {} thread{}.\n",
             options.dim, options.window, options.negative, options.epochs, options.min_count, options.threads,
             options.threads == 1 ? "" : "s");
  const embed::Word2VecResult r = embed::train_word2vec_with_progress(words, options);
  for (size_t e = 0; e < r.epoch_mean_loss.size(); ++e)
    fmt::print("  epoch {}: mean loss per pair {:.4f}\n", e + 1, r.epoch_mean_loss[e]);
  fmt::print("{} words in the vocabulary, {:.2f} s, {:.0f} words/s.\n", r.vocabulary.size(), r.seconds,
             double(r.words_trained) / r.seconds);
  const int V = r.vocabulary.size();
  embed::WordVectors vectors(r.vocabulary, r.vectors, options.dim);
  vectors.save_text(out);
  fmt::print("Saved {} vectors to {} (word2vec text format).\n", V, out);
}

void print_neighbours(const std::string& path, const std::string& word, int k, const std::vector<std::string>& analogy) {
  const embed::WordVectors vectors = embed::WordVectors::load_text(path);
  if (!analogy.empty()) {
    require(analogy.size() == 3, "--analogy takes three words A B C (A is to B as ? is to C: A - B + C), got {}",
            analogy.size());
    const auto answers = vectors.analogy(analogy[0], analogy[1], analogy[2], k);
    fmt::print("{} - {} + {}:\n", analogy[0], analogy[1], analogy[2]);
    for (const auto& n : answers)
      fmt::print("  {:<16} {:.3f}\n", n.word, n.similarity);
    return;
  }
  require(!word.empty(), "name a word (e.g. `minillm neighbours vectors.txt whale`) or use --analogy A B C");
  const auto neighbours = vectors.nearest(word, k);
  fmt::print("Nearest to \"{}\" by cosine similarity:\n", word);
  for (const auto& n : neighbours) fmt::print("  {:<16} {:.3f}\n", n.word, n.similarity);
}

// Words to draw: the ones named, or else 100 frequent words, skipping the 50 commonest when there are
// enough others (the, of, and ... sit near everything and crowd the picture).
std::vector<int> words_to_plot(const embed::WordVectors& vectors, const std::vector<std::string>& words) {
  std::vector<int> rows;
  for (const std::string& w : words) rows.push_back(vectors.vocabulary().index_of(w));
  if (rows.empty())
    for (int i = vectors.size() > 150 ? 50 : 0; i < vectors.size() && rows.size() < 100; ++i) rows.push_back(i);
  return rows;
}

void plot_embeddings(const std::string& path, const std::vector<std::string>& words, const std::string& method,
                     int clusters, const std::string& out) {
  const embed::WordVectors vectors = embed::WordVectors::load_text(path);
  const std::vector<int> rows = words_to_plot(vectors, words);
  const int n = static_cast<int>(rows.size()), d = vectors.dim();
  require(n >= 3, "plot-embeddings: {} words is too few to draw a map; name at least 3 with --words", n);
  require(clusters >= 1 && clusters <= n, "--clusters {} must be between 1 and the {} words drawn", clusters, n);
  std::vector<float> data;  // unit vectors: the map should show directions, as cosine similarity sees them
  for (int r : rows) {
    const auto v = vectors.vector(r);
    double length = 0;
    for (float x : v) length += double(x) * x;
    length = std::sqrt(length);
    require(length > 0, "the vector of \"{}\" is all zeros and has no direction to draw", vectors.vocabulary().word(r));
    for (float x : v) data.push_back(static_cast<float>(x / length));
  }
  Rng rng(1);
  std::vector<float> xy;
  if (method == "pca") {
    xy = embed::pca(data.data(), n, d, 2, rng).projected;
  } else if (method == "tsne") {
    embed::TsneOptions options;
    options.perplexity = std::min(10.0, (n - 1) / 3.0);
    xy = embed::tsne(data.data(), n, d, options);
  } else {
    fail("unknown --method \"{}\": use pca (the two directions of largest spread) or tsne (keeps neighbours)", method);
  }
  const embed::KMeansResult groups = embed::kmeans(data.data(), n, d, clusters, rng);
  std::vector<embed::MapPoint> points;
  for (int i = 0; i < n; ++i)
    points.push_back({xy[size_t(2 * i)], xy[size_t(2 * i + 1)], vectors.vocabulary().word(rows[size_t(i)]),
                      groups.assignment[size_t(i)]});
  embed::save_word_map_png(out, points, fmt::format("{} words, {}, {} k-means groups", n, method, clusters));
  fmt::print("Drew {} words ({}, {} k-means groups) to {}.\n", n, method, clusters, out);
}

}  // namespace

static CommandRegistrar reg(20, [](CLI::App& app) {
  auto* embed = app.add_subcommand("embed", "Word vectors (word2vec)");
  embed->require_subcommand(1);
  auto* train = embed->add_subcommand("train", "Train word2vec vectors on a text file");
  auto options = std::make_shared<embed::Word2VecOptions>();
  auto input = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  train->add_option("--input", *input, "the training text (words are lowercase a-z runs)")->required();
  train->add_option("--out", *out, "where to save the vectors (word2vec text format)")->required();
  auto settings = std::make_shared<ConfigFlags<embed::Word2VecOptions>>();  // the table's flags (word2vec.hpp)
  add_config_flags<embed::Word2VecOptions, embed::Word2VecOptions>(
      *train, settings, [](embed::Word2VecOptions& o) -> embed::Word2VecOptions& { return o; });
  train->callback([=] {
    embed::Word2VecOptions o = *options;
    settings->apply(o);
    o.threads = num_threads();
    train_vectors(o, *input, *out);
  });

  auto* near = app.add_subcommand("neighbours", "The words closest to a word in a vectors file");
  auto path = std::make_shared<std::string>();
  auto word = std::make_shared<std::string>();
  auto k = std::make_shared<int>(10);
  auto analogy = std::make_shared<std::vector<std::string>>();
  near->add_option("VECTORS", *path, "a word2vec text file (from `minillm embed train`)")->required();
  near->add_option("WORD", *word, "the word to look up");
  near->add_option("-k", *k, "how many neighbours")->capture_default_str();
  near->add_option("--analogy", *analogy, "A B C: the words nearest to A - B + C")->expected(3);
  near->callback([=] { print_neighbours(*path, *word, *k, *analogy); });

  auto* plot = app.add_subcommand("plot-embeddings", "Draw word vectors as a 2D map (PNG), coloured by k-means");
  auto plot_path = std::make_shared<std::string>();
  auto plot_words = std::make_shared<std::vector<std::string>>();
  auto method = std::make_shared<std::string>("pca");
  auto clusters = std::make_shared<int>(8);
  auto plot_out = std::make_shared<std::string>();
  plot->add_option("VECTORS", *plot_path, "a word2vec text file (from `minillm embed train`)")->required();
  plot->add_option("--words", *plot_words, "the words to draw (default: 100 frequent words)")->delimiter(',');
  plot->add_option("--method", *method, "pca or tsne")->capture_default_str();
  plot->add_option("--clusters", *clusters, "k-means groups, one colour each")->capture_default_str();
  plot->add_option("--out", *plot_out, "the PNG to write")->required();
  plot->callback([=] { plot_embeddings(*plot_path, *plot_words, *method, *clusters, *plot_out); });
});

}  // namespace minillm::cli
