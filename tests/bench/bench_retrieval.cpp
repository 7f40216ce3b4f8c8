// Retrieval quality on Moby Dick's passages (tests/bench/retrieval.sh): recall@1 and recall@5 of the
// passage that answers a query, for word-vector passages (plain and SIF-weighted means) and for BM25, on
// two kinds of queries: sentences with half of their words dropped, and the committed questions
// (data/text/moby_dick_questions.tsv). Then IVF on real embeddings: recall@10 and speed over nprobe on the
// vectors of 50-word windows.
//   bench_retrieval MOBY_DICK QUESTIONS THREADS
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "core/rng.hpp"
#include "core/threads.hpp"
#include "embed/word2vec.hpp"
#include "io/atomic_file.hpp"
#include "search/bm25.hpp"
#include "search/build_index.hpp"
#include "search/recall.hpp"
#include "search/retrieval_eval.hpp"

using namespace minillm;
using Clock = std::chrono::steady_clock;

namespace {

// 1, 2, 3, 4, 6, 8, 12, 16, ... up to lists: doubling, with the midpoints, so the curve has enough points
// near where recall crosses 0.95.
std::vector<int> nprobe_sweep(int lists) {
  std::vector<int> out;
  for (int p = 1; p <= lists; p *= 2) {
    out.push_back(p);
    if (p >= 2 && p + p / 2 < lists) out.push_back(p + p / 2);
  }
  return out;
}

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

search::Retriever vector_retriever(const search::SearchIndex& index) {
  return [&index](const std::string& query, int k) {
    std::vector<float> q(size_t(index.flat.dim()));
    index.embedder->embed(query, q.data());
    const search::SearchResults r = index.flat.search(q.data(), 1, k);
    return std::vector<int64_t>(r.ids.begin(), r.ids.end());
  };
}

void report(const std::string& method, const std::string& queries, const search::RecallAt& r) {
  fmt::print("retrieval {:<34} {:<26} recall@1 {:.3f}  recall@5 {:.3f}\n", method, queries, r.at1, r.at5);
}

void quality(const std::string& text, const embed::WordVectors& vectors, const std::string& questions_path) {
  const std::vector<search::Passage> passages = search::split_paragraphs(text);
  int unanswerable = 0;
  const auto questions = search::load_questions(questions_path, passages, &unanswerable);
  Rng rng(2026);
  const auto dropped = search::dropped_word_queries(passages, 300, rng);
  fmt::print("{} paragraphs; {} questions ({} whose phrase crosses a passage boundary left out), {} dropped-word "
             "sentences\n", passages.size(), questions.size(), unanswerable, dropped.size());
  const search::SearchIndex plain = search::build_passage_index(passages, search::TextEmbedder::plain(vectors));
  const search::SearchIndex sif_weights = search::build_passage_index(passages, search::TextEmbedder::sif(vectors, text));
  const search::SearchIndex sif = search::build_passage_index(passages, search::TextEmbedder::sif(vectors, text), true);
  const search::Bm25 bm25(plain.keys);
  const search::Retriever keywords = [&bm25](const std::string& q, int k) {
    std::vector<int64_t> ids;
    for (const search::Hit& h : bm25.search(q, k)) ids.push_back(h.id);
    return ids;
  };
  for (const auto& [name, set] : {std::pair{"questions (other words)", &questions}, std::pair{"sentences, half the words", &dropped}}) {
    report("word vectors, plain mean", name, search::passage_recall(*set, vector_retriever(plain)));
    report("word vectors, SIF weights only", name, search::passage_recall(*set, vector_retriever(sif_weights)));
    report("word vectors, SIF (+ common removed)", name, search::passage_recall(*set, vector_retriever(sif)));
    report("BM25 (keywords)", name, search::passage_recall(*set, keywords));
  }
}

void ivf_on_passages(const std::string& text, const embed::WordVectors& vectors) {
  const std::vector<search::Passage> windows = search::split_word_windows(text, 50, 25);
  const search::SearchIndex index = search::build_passage_index(windows, search::TextEmbedder::sif(vectors, text), true);
  const int64_t n = index.flat.size();
  const int dim = index.flat.dim();
  // Queries: 1000 passages' vectors, each searched for in the index (its own window is a true neighbour too).
  const int64_t nq = 1000;
  std::vector<float> queries(size_t(nq * dim));
  Rng rng(5);
  for (int64_t q = 0; q < nq; ++q)
    std::copy_n(index.flat.vector(int64_t(rng.below(uint64_t(n)))), dim, queries.begin() + q * dim);
  const int lists = 64;  // about sqrt(n): lists of ~130 vectors
  Rng krng(1);
  auto t = Clock::now();
  const search::IvfIndex ivf = search::IvfIndex::train(index.flat, lists, krng);
  fmt::print("\nIVF on real embeddings: {} windows of 50 words (overlap 25), {} numbers each; {} lists (k-means {:.1f} s)\n",
             n, dim, lists, since(t));
  double flat_seconds = 1e30;
  search::SearchResults exact;
  for (int rep = 0; rep < 3; ++rep) {
    t = Clock::now();
    exact = index.flat.search(queries.data(), nq, 10);
    flat_seconds = std::min(flat_seconds, since(t));
  }
  fmt::print("passages flat_qps {:.1f}\n", double(nq) / flat_seconds);
  for (int nprobe : nprobe_sweep(lists)) {
    double best = 1e30;
    search::SearchResults r;
    for (int rep = 0; rep < 3; ++rep) {
      t = Clock::now();
      r = ivf.search(queries.data(), nq, 10, nprobe);
      best = std::min(best, since(t));
    }
    fmt::print("passages ivf nprobe {} recall@10 {:.4f} qps {:.1f} speedup {:.2f}x\n", nprobe,
               search::recall_at_k(exact, r, 10), double(nq) / best, flat_seconds / best);
  }
}

}  // namespace

int main(int argc, char** argv) {
  ensure_passive_openmp_wait(argv);
  if (argc != 4) {
    std::fprintf(stderr, "usage: bench_retrieval MOBY_DICK QUESTIONS THREADS\n");
    return 2;
  }
  try {
    set_num_threads(std::atoi(argv[3]));
    const std::string text = read_file(argv[1]);
    embed::Word2VecOptions o;  // dim 100, window 5, 5 epochs, min_count 5: the defaults of `minillm embed train`
    o.threads = num_threads();
    const embed::Word2VecResult w = embed::train_word2vec(embed::split_words(text), o);
    const embed::WordVectors vectors(w.vocabulary, w.vectors, o.dim);
    fmt::print("word2vec: {} words, dim {}, {:.1f} s\n", vectors.size(), o.dim, w.seconds);
    quality(text, vectors, argv[2]);
    ivf_on_passages(text, vectors);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
