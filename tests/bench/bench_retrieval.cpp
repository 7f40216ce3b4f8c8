// Retrieval quality on Moby Dick's passages (tests/bench/retrieval.sh): recall@1 and recall@5 of the
// passage that answers a query, for word-vector passages (plain and SIF-weighted means), for GPT-state
// passages (the mean of a GPT's final-LayerNorm states, when a checkpoint is given) and for BM25, on two
// kinds of queries: sentences with half of their words dropped, and the committed questions
// (data/text/moby_dick_questions.tsv). Then IVF on real embeddings: recall@10 and speed over nprobe on the
// vectors of 50-word windows.
//   bench_retrieval MOBY_DICK QUESTIONS THREADS [CHECKPOINT]
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "core/rng.hpp"
#include "core/threads.hpp"
#include "embed/word2vec.hpp"
#include "io/atomic_file.hpp"
#include "search/bm25.hpp"
#include "search/build_index.hpp"
#include "search/gpt_embedder.hpp"
#include "search/retrieval_eval.hpp"
#include "search/vectors.hpp"
#include "search_bench_common.hpp"

using namespace minillm;
using bench::Clock;
using bench::since;

namespace {

using Method = std::pair<std::string, search::Retriever>;

search::Retriever word_vector_retriever(const search::SearchIndex& index) {
  return search::vector_retriever(index.flat, [&index](const std::string& q, float* out) { index.embedder->embed(q, out); });
}

void report(const std::string& method, const std::string& queries, const search::RecallAt& r) {
  fmt::print("retrieval {:<38} {:<26} recall@1 {:.3f}  recall@5 {:.3f}\n", method, queries, r.at1, r.at5);
}

// The passages as GPT states: the checkpoint's model run over every passage (a progress bar while it runs).
search::SearchIndex gpt_passages(const std::vector<search::Passage>& passages, search::GptEmbedder& gpt,
                                 const std::string& checkpoint) {
  const auto t = Clock::now();
  ui::ProgressBar bar("GPT-state passages", double(passages.size()), "passages");
  search::SearchIndex index = search::build_gpt_passage_index(passages, gpt, &bar);
  bar.finish();
  fmt::print("GPT-state passages: {} (width {}, vocabulary {}), {} passages embedded in {:.1f} s\n", checkpoint,
             gpt.dim(), gpt.tokenizer().vocab_size(), passages.size(), since(t));
  return index;
}

// The same GPT-state vectors less their mean (then length 1 again), queries likewise: a measurement only,
// not in the index file. Means of hidden states share one large common direction (every passage looks
// alike, cosines near 1); taking it out is the GPT-state counterpart of SIF's common-direction removal.
struct CentredVectors {
  std::vector<float> mean;
  search::FlatIndex flat{1};
};

CentredVectors centred(const search::FlatIndex& flat) {
  const int dim = flat.dim();
  CentredVectors c{std::vector<float>(size_t(dim), 0.0f), search::FlatIndex(dim)};
  for (int64_t i = 0; i < flat.size(); ++i)
    for (int j = 0; j < dim; ++j) c.mean[size_t(j)] += flat.vector(i)[j] / float(flat.size());
  std::vector<float> rows(size_t(flat.size()) * size_t(dim));
  for (int64_t i = 0; i < flat.size(); ++i)
    for (int j = 0; j < dim; ++j) rows[size_t(i) * size_t(dim) + size_t(j)] = flat.vector(i)[j] - c.mean[size_t(j)];
  search::normalise_rows(rows.data(), flat.size(), dim);
  c.flat.add(rows.data(), flat.size());
  return c;
}

void quality(const std::string& text, const embed::WordVectors& vectors, const std::string& questions_path,
             const std::string& checkpoint) {
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
  std::vector<Method> methods = {{"word vectors, plain mean", word_vector_retriever(plain)},
                                 {"word vectors, SIF weights only", word_vector_retriever(sif_weights)},
                                 {"word vectors, SIF (+ common removed)", word_vector_retriever(sif)}};
  std::optional<search::GptEmbedder> gpt;
  std::optional<search::SearchIndex> gpt_index;
  std::optional<CentredVectors> gpt_centred;
  if (!checkpoint.empty()) {
    gpt.emplace(search::GptEmbedder::open(checkpoint));
    gpt_index.emplace(gpt_passages(passages, *gpt, checkpoint));
    methods.emplace_back("GPT states, mean of ln_f", search::vector_retriever(gpt_index->flat, [&gpt](const std::string& q, float* out) {
                           gpt->embed(q, out);
                         }));
    gpt_centred.emplace(centred(gpt_index->flat));
    methods.emplace_back("GPT states, mean removed (bench only)",
                         search::vector_retriever(gpt_centred->flat, [&gpt, &gpt_centred](const std::string& q, float* out) {
                           gpt->embed(q, out);
                           for (size_t j = 0; j < gpt_centred->mean.size(); ++j) out[j] -= gpt_centred->mean[j];
                           search::normalise_rows(out, 1, int(gpt_centred->mean.size()));
                         }));
  } else {
    fmt::print("GPT-state passages: no checkpoint given, so no GPT column\n");
  }
  methods.emplace_back("BM25 (keywords)", search::bm25_retriever(bm25));
  for (const auto& [name, set] : {std::pair{"questions (other words)", &questions}, std::pair{"sentences, half the words", &dropped}})
    for (const auto& [method, retriever] : methods) report(method, name, search::passage_recall(*set, retriever));
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
  const auto t = Clock::now();
  const search::IvfIndex ivf = search::IvfIndex::train(index.flat, lists, krng);
  fmt::print("\nIVF on real embeddings: {} windows of 50 words (overlap 25), {} numbers each; {} lists (k-means {:.1f} s)\n",
             n, dim, lists, since(t));
  bench::ivf_recall_and_speed(index.flat, ivf, queries.data(), nq, "passages ");
}

}  // namespace

int main(int argc, char** argv) {
  ensure_passive_openmp_wait(argv);
  if (argc != 4 && argc != 5) {
    std::fprintf(stderr, "usage: bench_retrieval MOBY_DICK QUESTIONS THREADS [CHECKPOINT]\n");
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
    quality(text, vectors, argv[2], argc == 5 ? argv[4] : "");
    ivf_on_passages(text, vectors);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
