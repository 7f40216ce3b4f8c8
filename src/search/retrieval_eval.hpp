#pragma once
// Measuring retrieval on a text's passages: does a search return the passage that answers a query?
//   recall@k here = the share of queries whose answer passage is among the k passages returned.
// Two kinds of queries:
//   questions in other words than their answer (a committed file: question, tab, a phrase copied from the
//   answering passage; every passage containing the phrase counts as an answer);
//   sentences of the text with half of their words dropped (each sentence's own passage is its answer):
//   these share exact words with their answer, which favours keyword search by construction.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "search/bm25.hpp"
#include "search/flat_index.hpp"
#include "search/passages.hpp"

namespace minillm::search {

struct RetrievalQuery {
  std::string text;
  std::vector<int64_t> answers;  // passage ids that answer it (at least one)
};

// The questions of a question file whose phrase is found in some passage; *unanswerable counts the others
// (a phrase cut in two by a passage boundary, say).
std::vector<RetrievalQuery> load_questions(const std::filesystem::path& path, const std::vector<Passage>& passages,
                                           int* unanswerable = nullptr);

// `count` sentences (of at least min_words words) drawn at random from the passages, each with half of its
// words dropped at random.
std::vector<RetrievalQuery> dropped_word_queries(const std::vector<Passage>& passages, int count, Rng& rng,
                                                 int min_words = 10);

// A search: the query's text and k in, the ids of the best k passages out (best first).
using Retriever = std::function<std::vector<int64_t>(const std::string& query, int k)>;

// A text turned into a vector like the index's (TextEmbedder::embed for word vectors, GptEmbedder::embed for a
// GPT's states).
using QueryEmbedder = std::function<void(const std::string& query, float* out)>;
// Meaning-based search: the query's vector against every passage's (cosine, the flat index). The index must
// outlive the retriever.
Retriever vector_retriever(const FlatIndex& index, QueryEmbedder embed);
// Keyword search: BM25's ranking. The Bm25 must outlive the retriever.
Retriever bm25_retriever(const Bm25& bm25);

struct RecallAt {
  double at1 = 0, at5 = 0;
};
RecallAt passage_recall(const std::vector<RetrievalQuery>& queries, const Retriever& search);

}  // namespace minillm::search
