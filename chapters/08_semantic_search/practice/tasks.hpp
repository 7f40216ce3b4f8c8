#pragma once
// Chapter 08 practice: the pieces of a vector index and of keyword search, easy to hard, ending in the prompt
// that retrieval feeds a language model.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ch08 {

// Scales every row of data [n, dim] to length 1 in place; an all-zero row stays zero.
void normalise_rows(std::vector<float>& data, int n, int dim);

// scores[i] = the cosine similarity of row i of matrix [n, dim] and query [dim]; 0 for a zero row or query.
std::vector<float> cosine_scores(const std::vector<float>& matrix, int n, int dim, const std::vector<float>& query);

// The ids of the k highest scores, best first; equal scores go to the lower id. k > n gives all n.
std::vector<int> top_k(const std::vector<float>& scores, int k);

// recall@k: over all queries, the share of exact[q]'s first k ids that approximate[q]'s first k ids contain.
double recall_at_k(const std::vector<std::vector<int>>& exact, const std::vector<std::vector<int>>& approximate,
                   int k);

// For each of points [n, dim], the index of its nearest centroid (Euclidean) among centroids [lists, dim];
// ties go to the lower centroid. The step that puts a vector into an IVF list.
std::vector<int> nearest_centroid(const std::vector<float>& points, int n, int dim,
                                  const std::vector<float>& centroids, int lists);

// BM25 keyword scores (the lesson's Concept Definition gives the formula). passages[p] holds passage p's
// words, query the query's words; a word repeated in the query counts once. Returns one score per passage
// (0 for a passage with no query word). k1 and b are BM25's two settings.
std::vector<double> bm25_scores(const std::vector<std::vector<std::string>>& passages,
                                const std::vector<std::string>& query, double k1, double b);

// An IVF search for one query (How It Works step 5). data [n, dim] holds the stored vectors (unit length);
// centroids [lists.size(), dim]; lists[l] holds the ids (rows of data) of list l. Probe the nprobe lists
// whose centroids are nearest to the query (Euclidean, ties to the lower list) and return the ids of the k
// highest dot products with the query among only their vectors, best first, ties to the lower id (fewer
// than k when the probed lists hold fewer). 1 <= nprobe <= lists.size().
std::vector<int> ivf_probe(const std::vector<float>& data, int dim, const std::vector<float>& centroids,
                           const std::vector<std::vector<int>>& lists, const std::vector<float>& query, int nprobe,
                           int k);

// The RAG prompt of the lesson's diagram: for the retrieved passages in rank order (ranked_ids index
// passages), a line "Context i: <passage>\n" (i from 1), then the line "Question: <question>\n", then
// "Answer:" (no newline after it). Passages are added while the whole prompt stays within
// max_chars (bytes); the first passage that would not fit ends the list (the best come first). The
// question and "Answer:" are always there, even when they alone exceed max_chars.
std::string rag_prompt(const std::vector<std::string>& passages, const std::vector<int>& ranked_ids,
                       const std::string& question, size_t max_chars);

}  // namespace ch08
