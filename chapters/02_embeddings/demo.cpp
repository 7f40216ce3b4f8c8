// Chapter 02 demo: embeddings, from a lookup table to word vectors that mean something.
//
//   ch02_demo            the seed lesson's example, "Hello, world!" through gpt2 and a table, then word2vec
//                        on Moby Dick (./run fetch), neighbours, an analogy, and a 2D map (PNG) of words
//   ch02_demo --smoke    the project's own small texts and tiny sizes: a second or so (used by tests)

#include <cmath>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"
#include "embed/kmeans.hpp"
#include "embed/pca.hpp"
#include "embed/tsne.hpp"
#include "embed/word2vec.hpp"
#include "embed/word2vec_progress.hpp"
#include "embed/word_map.hpp"
#include "embed/word_vectors.hpp"
#include "io/atomic_file.hpp"
#include "io/data_dir.hpp"
#include "nn/embedding.hpp"
#include "tokenizer/tokenizer.hpp"
#include "ui/usage.hpp"

using namespace minillm;

namespace {

void print_row_start(const char* label, const float* row, int shown) {
  std::string numbers;
  for (int c = 0; c < shown; ++c) numbers += fmt::format("{:+.4f} ", row[c]);
  fmt::print("  {:<10} [{}...]\n", label, numbers);
}

// Part 1: the seed lesson's example. A 10,000 x 300 table; ids {1, 5, 42, 999} -> a [4, 300] result.
void seed_example() {
  fmt::print("1. An embedding is a lookup table: one row of numbers per token id.\n");
  const int V = 10000, C = 300;
  std::vector<float> table(static_cast<size_t>(V) * C);
  Rng rng(42);
  embedding_init(table, rng);  // normal, standard deviation 0.02, as GPT-2 starts
  const TokenIds ids = {token_id(1), token_id(5), token_id(42), token_id(999)};
  std::vector<float> out(ids.size() * C);
  embedding_forward(out.data(), ids, table.data(), V, C);
  fmt::print("   A table of {} x {} random numbers (standard deviation 0.02). Looking up ids {{1, 5, 42, 999}} copies\n"
             "   4 rows, so the result has shape [{}, {}]. Its first numbers:\n",
             V, C, ids.size(), C);
  for (size_t n = 0; n < ids.size(); ++n)
    print_row_start(fmt::format("id {}", to_int(ids[n])).c_str(), out.data() + n * C, 5);
  fmt::print("   Asking for id {} in a table of {} rows is a mistake minillm refuses to make silently:\n", V, V);
  try {
    const TokenIds bad = {token_id(V)};
    embedding_forward(out.data(), bad, table.data(), V, C);
  } catch (const Error& e) {
    fmt::print("   error: {}\n", e.what());
  }
}

// Part 2: the diagram end to end: text -> tokens -> ids -> vectors.
void hello_world(bool smoke) {
  fmt::print("\n2. Text to vectors: \"Hello, world!\" through the gpt2 tokenizer, then a table of 50257 rows.\n");
  if (!std::filesystem::exists(data_dir() / "cache" / "tiktoken" / "gpt2.json")) {
    fmt::print("   (skipped: gpt2's token list is not downloaded; run ./run fetch)\n");
    return;
  }
  const Tokenizer gpt2 = Tokenizer::from_tiktoken("gpt2");
  const TokenIds ids = gpt2.encode("Hello, world!");
  std::string pieces, numbers;
  for (TokenId id : ids) {
    pieces += fmt::format("\"{}\" ", gpt2.decode(TokenIds{id}));
    numbers += fmt::format("{} ", to_int(id));
  }
  fmt::print("   tokens: {}\n   ids:    {}\n", pieces, numbers);
  const int V = 50257, C = smoke ? 8 : 16;  // GPT-2 small uses C = 768; 16 keeps the printout readable
  std::vector<float> wte(static_cast<size_t>(V) * C);
  Rng rng(1);
  embedding_init(wte, rng);
  std::vector<float> vectors(ids.size() * C);
  embedding_forward(vectors.data(), ids, wte.data(), V, C);
  fmt::print("   vectors (a [{}, {}] result; the first 5 of {} numbers each, untrained so still random):\n",
             ids.size(), C, C);
  for (size_t n = 0; n < ids.size(); ++n)
    print_row_start(fmt::format("id {}", to_int(ids[n])).c_str(), vectors.data() + n * C, 5);
}

std::string training_text(bool smoke) {
  const auto moby = data_dir() / "cache" / "moby_dick.txt";
  if (!smoke && std::filesystem::exists(moby)) {
    fmt::print("   Training text: Moby Dick ({}).\n", moby.string());
    return read_file(moby);
  }
  if (!smoke) fmt::print("   Moby Dick is not downloaded (run ./run fetch for it): ");
  fmt::print("   Training text: the project's own small texts (data/text/), so the vectors are rough.\n");
  std::string text;
  for (const char* name : {"how_models_read.txt", "lighthouse_story.txt", "numbers_and_lists.txt"})
    text += read_file(std::filesystem::path(MINILLM_SOURCE_DIR) / "data" / "text" / name) + "\n";
  return text;
}

// Part 3: word2vec. Vectors trained so that words used in the same company end up close.
embed::WordVectors train_vectors(bool smoke) {
  fmt::print("\n3. Word vectors that mean something: word2vec (skip-gram, negative sampling).\n");
  const std::vector<std::string> words = embed::split_words(training_text(smoke));
  embed::Word2VecOptions o;
  o.threads = num_threads();
  if (smoke) o.dim = 16, o.min_count = 2, o.epochs = 20, o.subsample = 0;
  fmt::print("   {} words. Each word predicts its neighbours within {} words; {} random words per pair play\n"
             "   the wrong answers. dim {}, {} epochs, words seen fewer than {} times are ignored.\n",
             words.size(), o.window, o.negative, o.dim, o.epochs, o.min_count);
  const embed::Word2VecResult r = embed::train_word2vec_with_progress(words, o, "   training");
  for (size_t e = 0; e < r.epoch_mean_loss.size(); e += smoke ? 5 : 1)
    fmt::print("   epoch {:>2}: mean loss per pair {:.3f}\n", e + 1, r.epoch_mean_loss[e]);
  fmt::print("   {} words in the vocabulary, trained in {:.1f} s ({:.0f} words/s).\n", r.vocabulary.size(), r.seconds,
             double(r.words_trained) / r.seconds);
  return embed::WordVectors(r.vocabulary, r.vectors, o.dim);
}

void neighbours(const embed::WordVectors& v, bool smoke) {
  fmt::print("\n4. Which words are close? Cosine similarity: 1 = same direction, 0 = unrelated.\n");
  const std::vector<std::string> probes = smoke ? std::vector<std::string>{"the", "lighthouse", "model"}
                                                : std::vector<std::string>{"whale", "captain", "sea", "boat", "ahab"};
  for (const std::string& word : probes) {
    if (v.vocabulary().find(word) < 0) continue;
    std::string line;
    for (const auto& n : v.nearest(word, 6)) line += fmt::format("{} ({:.2f})  ", n.word, n.similarity);
    fmt::print("   {:<11} -> {}\n", word, line);
  }
  if (!smoke && v.vocabulary().find("ahab") >= 0 && v.vocabulary().find("starbuck") >= 0) {
    fmt::print("   cos(captain, ahab) = {:.2f}, cos(captain, whale) = {:.2f}\n", v.similarity("captain", "ahab"),
               v.similarity("captain", "whale"));
    std::string line;
    for (const auto& n : v.analogy("ahab", "captain", "mate", 3)) line += fmt::format("{} ({:.2f})  ", n.word, n.similarity);
    fmt::print("   analogy ahab - captain + mate -> {}  (one small book is little data: analogies are rough)\n", line);
  }
}

// Part 5: a map. PCA squeezes the vectors to 2D; k-means colours the groups it finds.
void word_map(const embed::WordVectors& v, bool smoke) {
  fmt::print("\n5. A map of words: PCA projects the {}-number vectors to 2 numbers, k-means colours groups.\n",
             v.dim());
  // Words from a few themes a reader of Moby Dick would group by hand (people, the whale, the ship and sea,
  // numbers, the body, colours and time); the smoke run has no such vocabulary and takes frequent words.
  const int k = smoke ? 3 : 6;
  static const char* const kThemes[] = {
      "ahab", "starbuck", "stubb", "flask", "queequeg", "tashtego", "daggoo", "pip", "peleg", "bildad",
      "whale", "whales", "sperm", "leviathan", "fish", "shark", "sharks", "jaw", "spout",
      "ship", "boat", "boats", "deck", "mast", "sail", "sails", "ocean", "waves", "water", "harpoon", "line",
      "one", "two", "three", "four", "five", "six", "ten", "hundred", "thousand",
      "head", "eye", "eyes", "hand", "hands", "heart", "arm", "face",
      "black", "white", "red", "green", "night", "day", "morning", "sun"};
  std::vector<int> chosen;
  if (!smoke) {
    for (const char* word : kThemes)
      if (const int i = v.vocabulary().find(word); i >= 0) chosen.push_back(i);
  }
  if (chosen.size() < 10) {
    chosen.clear();
    for (int i = 5; i < v.size() && chosen.size() < 20; ++i)
      if (v.vocabulary().word(i).size() >= 3) chosen.push_back(i);
  }
  std::vector<float> data;
  for (int i : chosen) {
    const auto row = v.vector(i);
    const double length = [&] { double s = 0; for (float x : row) s += double(x) * x; return std::sqrt(s); }();
    for (float x : row) data.push_back(static_cast<float>(x / length));  // directions, as cosine sees them
  }
  Rng rng(3);
  const int n = static_cast<int>(chosen.size());
  const embed::PcaResult p = embed::pca(data.data(), n, v.dim(), 2, rng);
  const embed::KMeansResult clusters = embed::kmeans(data.data(), n, v.dim(), k, rng);
  fmt::print("   {} words; the two axes keep {:.0f}% of their spread. k-means found {} groups:\n", n,
             100 * (p.variance[0] + p.variance[1]) / p.total_variance, k);
  std::vector<embed::MapPoint> points;
  for (int c = 0; c < k; ++c) {
    std::string members;
    for (int i = 0; i < n; ++i)
      if (clusters.assignment[size_t(i)] == c) members += v.vocabulary().word(chosen[size_t(i)]) + " ";
    fmt::print("   group {}: {}\n", c + 1, members);
  }
  for (int i = 0; i < n; ++i)
    points.push_back({p.projected[size_t(i) * 2], p.projected[size_t(i) * 2 + 1], v.vocabulary().word(chosen[size_t(i)]),
                      clusters.assignment[size_t(i)]});
  const auto path = output_dir() / (smoke ? "ch02_word_map_smoke.png" : "ch02_word_map.png");
  embed::save_word_map_png(path, points, smoke ? "word vectors (project texts), PCA" : "Moby Dick word vectors, PCA");
  fmt::print("\nWrote the map {} (open it: same-coloured words are one k-means group).\n", path.string());

  // t-SNE keeps each word's nearest neighbours near it rather than the overall spread: tighter groups,
  // but distances between groups mean little.
  embed::TsneOptions options;
  options.perplexity = std::min(10.0, (n - 1) / 3.0);
  const std::vector<float> xy = embed::tsne(data.data(), n, v.dim(), options);
  for (int i = 0; i < n; ++i) points[size_t(i)].x = xy[size_t(2 * i)], points[size_t(i)].y = xy[size_t(2 * i + 1)];
  const auto tsne_path = output_dir() / (smoke ? "ch02_word_map_tsne_smoke.png" : "ch02_word_map_tsne.png");
  embed::save_word_map_png(tsne_path, points, smoke ? "word vectors (project texts), t-SNE" : "Moby Dick word vectors, t-SNE");
  fmt::print("Wrote the t-SNE map {} (neighbours kept together; same colours as the PCA map).\n", tsne_path.string());
}

}  // namespace

int main(int argc, char** argv) {
  return minillm::ui::run_demo(argc, argv, R"(usage: ch02_demo [--smoke]
  (no option)   "Hello, world!" through gpt2 and an embedding table, then word2vec on Moby Dick (after
                ./run fetch): neighbours, an analogy and 2D maps of words (PNG, in data/out/)
  --smoke       the project's own small texts and tiny sizes (used by the tests)
)", [&] {
    bool smoke = false;
    ui::DemoOptions().flag("--smoke", smoke).parse(argc, argv);
    init_threads_from_env();
    seed_example();
    hello_world(smoke);
    const embed::WordVectors vectors = train_vectors(smoke);
    neighbours(vectors, smoke);
    word_map(vectors, smoke);
    return 0;
  });
}
