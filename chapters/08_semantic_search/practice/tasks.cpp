// Chapter 08 practice. Replace each TODO with your code, then run `./run practice 08`.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "practice/todo.hpp"

namespace ch08 {

void normalise_rows(std::vector<float>& data, int n, int dim) {
  // TODO(normalise_rows): for each row i (its numbers are data[i * dim] .. data[i * dim + dim - 1]), add up
  // the squares (in double), take the square root (the row's length) and divide each number by it. A row of
  // length 0 has no direction: leave it as it is.
  throw minillm::practice::NotImplemented("normalise_rows");
}

std::vector<float> cosine_scores(const std::vector<float>& matrix, int n, int dim, const std::vector<float>& query) {
  // TODO(cosine_scores): return n scores. Score i is (row i . query) / (|row i| |query|), where |x| is the
  // square root of x . x. When either length is 0 the score is 0 (no direction, no similarity).
  throw minillm::practice::NotImplemented("cosine_scores");
}

std::vector<int> top_k(const std::vector<float>& scores, int k) {
  // TODO(top_k): return the ids (positions in scores) of the k highest scores, highest first. Of two equal
  // scores the lower id comes first. If k is larger than the number of scores, return them all.
  throw minillm::practice::NotImplemented("top_k");
}

double recall_at_k(const std::vector<std::vector<int>>& exact, const std::vector<std::vector<int>>& approximate,
                   int k) {
  // TODO(recall_at_k): for every query q, look at the first k ids of exact[q] (the true neighbours) and count
  // how many of them appear anywhere among the first k ids of approximate[q]. Return found / looked-at over
  // all queries together (1.0 when there was nothing to look at).
  throw minillm::practice::NotImplemented("recall_at_k");
}

std::vector<int> nearest_centroid(const std::vector<float>& points, int n, int dim,
                                  const std::vector<float>& centroids, int lists) {
  // TODO(nearest_centroid): for every point i, compute its squared Euclidean distance to every centroid c
  // (sum over j of (points[i * dim + j] - centroids[c * dim + j])^2) and return the c with the smallest one.
  // Only a strictly smaller distance replaces the best so far, so ties keep the lower centroid.
  throw minillm::practice::NotImplemented("nearest_centroid");
}

std::vector<double> bm25_scores(const std::vector<std::vector<std::string>>& passages,
                                const std::vector<std::string>& query, double k1, double b) {
  // TODO(bm25_scores): the formula has parts that belong to the whole collection (how many passages, their
  // average length, in how many passages each word occurs) and parts that belong to one passage (its length,
  // how often it holds the word). Work out the first kind once.
  throw minillm::practice::NotImplemented("bm25_scores");
}

std::vector<int> ivf_probe(const std::vector<float>& data, int dim, const std::vector<float>& centroids,
                           const std::vector<std::vector<int>>& lists, const std::vector<float>& query, int nprobe,
                           int k) {
  // TODO(ivf_probe): two rankings, one after the other: first the lists (by their centroids), then the
  // vectors of the lists you kept. Your nearest_centroid and top_k hold most of the pieces.
  throw minillm::practice::NotImplemented("ivf_probe");
}

std::string rag_prompt(const std::vector<std::string>& passages, const std::vector<int>& ranked_ids,
                       const std::string& question, size_t max_chars) {
  // TODO(rag_prompt): the part that is always there fixes how much room the passages have; then the passages
  // in rank order, each as one numbered line, for as long as they fit.
  throw minillm::practice::NotImplemented("rag_prompt");
}

}  // namespace ch08
