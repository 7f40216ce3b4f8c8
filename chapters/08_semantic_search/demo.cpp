// Chapter 08 demo: semantic search over Moby Dick, and what an approximate index trades for speed.
//
//   ch08_demo            word vectors trained on Moby Dick (./run fetch), its paragraphs embedded and indexed,
//                        a few questions answered by retrieval (with BM25 keyword search beside), a RAG prompt,
//                        then recall@10 against speed for IVF on clustered and on uniform vectors (PNG)
//   ch08_demo --smoke    the project's own small text and tiny sizes: a few seconds (used by the tests)

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"
#include "embed/word2vec.hpp"
#include "embed/word2vec_progress.hpp"
#include "io/atomic_file.hpp"
#include "io/data_dir.hpp"
#include "plot/charts.hpp"
#include "search/bm25.hpp"
#include "search/build_index.hpp"
#include "search/recall.hpp"
#include "search/retrieval_eval.hpp"
#include "search/vectors.hpp"
#include "ui/usage.hpp"

using namespace minillm;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string book(bool smoke) {
  const auto moby = data_dir() / "cache" / "moby_dick.txt";
  if (!smoke && std::filesystem::exists(moby)) {
    fmt::print("   The text: Moby Dick ({}).\n", moby.string());
    return read_file(moby);
  }
  if (!smoke) fmt::print("   Moby Dick is not downloaded (run ./run fetch for it): ");
  fmt::print("   The text: the project's own short story (data/text/lighthouse_story.txt).\n");
  return read_file(std::filesystem::path(MINILLM_SOURCE_DIR) / "data" / "text" / "lighthouse_story.txt");
}

embed::WordVectors word_vectors(const std::string& text, bool smoke) {
  embed::Word2VecOptions o;
  o.threads = num_threads();
  if (smoke) o.dim = 16, o.min_count = 2, o.epochs = 10, o.subsample = 0;
  const std::vector<std::string> words = embed::split_words(text);
  fmt::print("   Word vectors first (chapter 02): word2vec on its {} words, {} numbers per word.\n", words.size(), o.dim);
  const embed::Word2VecResult r = embed::train_word2vec_with_progress(words, o, "   training");
  fmt::print("   {} words in the vocabulary, trained in {:.1f} s.\n", r.vocabulary.size(), r.seconds);
  return embed::WordVectors(r.vocabulary, r.vectors, o.dim);
}

void print_hit(const search::SearchIndex& index, int rank, int64_t id, float score) {
  const std::string& text = index.keys[size_t(id)];
  fmt::print("     {}. {:.3f}  {}\n        \"{}{}\"\n", rank, score, index.places[size_t(id)], text.substr(0, 160),
             text.size() > 160 ? " ..." : "");
}

// Part 2: questions answered by retrieval, next to what keyword search (BM25) returns.
void answer_questions(const search::SearchIndex& index, const search::Bm25& bm25, const std::vector<std::string>& questions) {
  fmt::print("\n2. Asking questions: each is embedded like a passage, and the passages with the highest cosine win.\n");
  for (const std::string& question : questions) {
    std::vector<float> q(size_t(index.flat.dim()));
    if (index.embedder->embed(question, q.data()) == 0) continue;
    const search::SearchResults r = index.flat.search(q.data(), 1, 2);
    fmt::print("   Q: {}\n", question);
    for (int i = 0; i < 2 && r.ids[size_t(i)] >= 0; ++i) print_hit(index, i + 1, r.ids[size_t(i)], r.scores[size_t(i)]);
    const auto keyword = bm25.search(question, 1);
    if (!keyword.empty() && keyword[0].score > 0)
      fmt::print("     keywords (BM25) would answer with passage {} ({}).\n", keyword[0].id,
                 index.places[size_t(keyword[0].id)]);
  }
}

// Part 3: retrieval-augmented generation: the retrieved passages become the language model's prompt.
void rag_prompt(const search::SearchIndex& index, const std::string& question) {
  fmt::print("\n3. RAG: a language model answers better from retrieved text than from memory. The prompt:\n");
  std::vector<float> q(size_t(index.flat.dim()));
  index.embedder->embed(question, q.data());
  const search::SearchResults r = index.flat.search(q.data(), 1, 2);
  std::string prompt = "Answer from the context.\n";
  for (int i = 0; i < 2 && r.ids[size_t(i)] >= 0; ++i)
    prompt += fmt::format("Context {}: {}\n", i + 1, index.keys[size_t(r.ids[size_t(i)])].substr(0, 200));
  prompt += fmt::format("Question: {}\nAnswer:", question);
  fmt::print("   ----\n{}\n   ----\n   (chapter 06's model would continue it; ours is small, so the retrieval is the useful part)\n",
             prompt);
}

std::vector<float> vectors_around(int64_t n, int dim, int centres, float spread, Rng& rng) {
  std::vector<float> c(size_t(centres) * size_t(dim)), v(size_t(n) * size_t(dim));
  rng.fill_normal(c, 0, 1);
  search::normalise_rows(c.data(), centres, dim);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t centre = int64_t(rng.below(uint64_t(centres)));
    for (int j = 0; j < dim; ++j) v[size_t(i * dim + j)] = c[size_t(centre * dim + j)] + rng.normal(0, spread);
  }
  search::normalise_rows(v.data(), n, dim);
  return v;
}

// One curve of part 4: recall@10 and speed-up over the flat index as nprobe grows.
plot::Series ivf_curve(const std::string& name, const std::vector<float>& data, int64_t n, int nq, int dim, int lists) {
  search::FlatIndex flat(dim);
  flat.add(data.data(), n - nq);  // the last nq rows are the queries (same distribution, not in the index)
  const float* queries = data.data() + (n - nq) * dim;
  Rng rng(7);
  const search::IvfIndex ivf = search::IvfIndex::train(flat, lists, rng);
  flat.search(queries, nq, 10);  // once untimed: the first call also starts the threads
  auto start = std::chrono::steady_clock::now();
  const search::SearchResults exact = flat.search(queries, nq, 10);
  const double flat_seconds = seconds_since(start);
  plot::Series s{name, {}, {}, std::nullopt, 2.5, true};
  fmt::print("   {}: flat index {:.0f} queries/s\n", name, nq / flat_seconds);
  for (int nprobe = 1; nprobe <= lists; nprobe *= 2) {
    start = std::chrono::steady_clock::now();
    const search::SearchResults approx = ivf.search(queries, nq, 10, nprobe);
    const double speedup = flat_seconds / seconds_since(start);
    const double recall = search::recall_at_k(exact, approx, 10);
    fmt::print("     nprobe {:>4} of {}: recall@10 {:.3f}, {:.1f}x the flat index's speed\n", nprobe, lists, recall, speedup);
    s.x.push_back(speedup);
    s.y.push_back(recall);
  }
  return s;
}

void approximate_search(bool smoke) {
  const int dim = smoke ? 32 : 128, nq = smoke ? 100 : 500, lists = smoke ? 16 : 256;
  const int64_t n = (smoke ? 4000 : 100000) + nq;
  fmt::print("\n4. Exact vs approximate: IVF scans only the nprobe k-means lists nearest the query.\n"
             "   {} vectors of {} numbers, {} queries, {} lists; recall@10 = share of the true top 10 found.\n",
             n - nq, dim, nq, lists);
  Rng rng(11);
  std::vector<plot::Series> series;
  series.push_back(ivf_curve(fmt::format("clustered, {} centres", smoke ? 40 : 1000),
                             vectors_around(n, dim, smoke ? 40 : 1000, 0.08f, rng), n, nq, dim, lists));
  std::vector<float> uniform(size_t(n) * size_t(dim));
  rng.fill_normal(uniform, 0, 1);
  search::normalise_rows(uniform.data(), n, dim);
  series.push_back(ivf_curve("uniform random", uniform, n, nq, dim, lists));
  const auto path = output_dir() / (smoke ? "ch08_recall_speed_smoke.png" : "ch08_recall_speed.png");
  plot::line_chart(path, {"IVF: recall@10 against speed (each dot one nprobe)", "times faster than the flat index",
                          "recall@10", series, true, false, {}, 900, 600, {}});
  fmt::print("   Wrote {}: on clustered data a few lists hold the neighbours; on uniform data they do not.\n",
             path.string());
}

void run(bool smoke) {
  fmt::print("1. A vector index of passages.\n");
  const std::string text = book(smoke);
  const embed::WordVectors vectors = word_vectors(text, smoke);
  const std::vector<search::Passage> passages = search::split_paragraphs(text, smoke ? 10 : 30, 200);
  const auto start = std::chrono::steady_clock::now();
  const search::SearchIndex index = search::build_passage_index(passages, search::TextEmbedder::sif(vectors, text), true);
  fmt::print("   {} paragraphs, each the SIF-weighted mean of its word vectors, less the direction all of them\n"
             "   share, scaled to length 1; indexed in {:.2f} s.\n",
             passages.size(), seconds_since(start));
  std::vector<std::string> keys(index.keys);
  const search::Bm25 bm25(keys);
  const std::vector<std::string> questions =
      smoke ? std::vector<std::string>{"who keeps the lamp burning at night", "what did the storm do"}
            : std::vector<std::string>{"What reward is fixed to the mast for the first man to raise the whale?",
                                       "What strange fire burned on the tips of the masts in the storm?",
                                       "Which little black god does the harpooner consult?"};
  answer_questions(index, bm25, questions);
  rag_prompt(index, questions[0]);
  approximate_search(smoke);
}

}  // namespace

int main(int argc, char** argv) {
  minillm::ensure_passive_openmp_wait(argv);
  return minillm::ui::run_demo(argc, argv, R"(usage: ch08_demo [--smoke]
  (no option)   word vectors and a passage index of Moby Dick (after ./run fetch), questions answered by
                retrieval next to BM25, a RAG prompt, and IVF's recall@10 against speed (PNG, in data/out/)
  --smoke       the project's own short story and tiny sizes (used by the tests)
)", [&] {
    bool smoke = false;
    minillm::ui::DemoOptions().flag("--smoke", smoke).parse(argc, argv);
    init_threads_from_env();
    run(smoke);
    return 0;
  });
}
