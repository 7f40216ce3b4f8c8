// Chapter 02 practice. Replace each TODO with your code, then run `./run practice 02`.
#include "tasks.hpp"

#include <cmath>

#include "core/error.hpp"
#include "practice/todo.hpp"

namespace ch02 {

std::vector<float> lookup_rows(const std::vector<float>& table, int V, int C, const std::vector<int>& ids) {
  // TODO(lookup_rows): the result holds ids.size() rows of C floats; row n is a copy of the table's row for
  // ids[n]. Check each id first with minillm::require (core/error.hpp), with a message that names the id and
  // V. A lookup is a copy: no multiplication is involved.
  throw minillm::practice::NotImplemented("lookup_rows");
}

float cosine(std::span<const float> a, std::span<const float> b) {
  // TODO(cosine): the cosine of the angle between a and b (How It Works, step 6). Sum in double for
  // accuracy, and refuse a zero vector with minillm::require before dividing by its length.
  throw minillm::practice::NotImplemented("cosine");
}

int closest_row(const std::vector<float>& table, int V, int C, int query) {
  // TODO(closest_row): compare every other row of the table with row `query` using your cosine() and return
  // the most similar one; on a tie the smaller row wins.
  throw minillm::practice::NotImplemented("closest_row");
}

std::vector<float> first_principal_axis(const std::vector<float>& data, int n, int d) {
  // TODO(first_principal_axis): "Seeing the vectors" explains the three steps: centre the points, build their
  // covariance matrix, and find its main direction by power iteration (a few hundred rounds are plenty).
  // Then make the largest-magnitude entry positive, so the answer does not depend on the start.
  throw minillm::practice::NotImplemented("first_principal_axis");
}

std::vector<float> project_to_2d(const std::vector<float>& data, int n, int d) {
  // TODO(project_to_2d): the map's x for a point is its centred coordinate along the first principal axis,
  // y the one along the second. Your first_principal_axis finds the first; the second is the first axis of
  // what is left once every centred point has lost its component along the first.
  throw minillm::practice::NotImplemented("project_to_2d");
}

std::vector<int> kmeans_step(const std::vector<float>& data, int n, int d, std::vector<float>& centroids, int k) {
  // TODO(kmeans_step): "Seeing the vectors", k-means' two steps, once each: assign every point to its nearest
  // centroid (ties: the smaller one), then move every centroid that got points to their mean.
  throw minillm::practice::NotImplemented("kmeans_step");
}

void embedding_backward(std::vector<float>& dtable, int C, const std::vector<int>& ids, const std::vector<float>& dout) {
  // TODO(embedding_backward): the forward pass copied row ids[n] of the table into row n of its result, so
  // where does row n of dout go back to? ADD (+=), never overwrite: the same id twice must collect both
  // gradients, and dtable may already hold gradient from elsewhere.
  throw minillm::practice::NotImplemented("embedding_backward");
}

std::vector<double> keep_probabilities(const std::vector<int64_t>& counts, double t) {
  // TODO(keep_probabilities): step 5 gives the keep probability of a word from its share f of the text.
  // Every word's share comes from its count and the total of all counts; mind a word with count 0.
  throw minillm::practice::NotImplemented("keep_probabilities");
}

std::vector<double> negative_sampling_distribution(const std::vector<int64_t>& counts) {
  // TODO(negative_sampling_distribution): give each word a weight (its count to the power 0.75), then divide
  // every weight by their total so that they sum to 1.
  throw minillm::practice::NotImplemented("negative_sampling_distribution");
}

BceTerm sgns_bce(double score, int label) {
  // TODO(sgns_bce): How It Works, step 5: the sigmoid turns the score into the probability of "yes", and the
  // loss is minus the log of the probability of the right answer. Work out its derivative with respect to
  // the score on paper. Then make it safe: for a score of 800, σ(score) is exactly 1 in double and 1 - σ is
  // 0, so rewrite the loss so that no log of 0 and no exp of a large positive number appears.
  throw minillm::practice::NotImplemented("sgns_bce");
}

int analogy(const std::vector<float>& table, int V, int C, int a, int b, int c) {
  // TODO(analogy): build the vector b - a + c from the three rows, then find the row most similar to it by
  // cosine, as closest_row does, skipping the three words of the question.
  throw minillm::practice::NotImplemented("analogy");
}

double sgns_pair_update(std::vector<float>& inputs, std::vector<float>& outputs, int dim, int centre, int context,
                        const std::vector<int>& negatives, float lr) {
  // TODO(sgns_pair_update): one score per target word (the context and each negative): the dot product of
  // its output vector with the centre's input vector. The loss adds one term per score (tasks.hpp). Derive
  // each term's derivative with respect to its score (the lesson does it for -log σ(x) and -log σ(-x)), then
  // the chain rule gives the gradients of the target's output vector and of the centre's input vector (which
  // collects one contribution per target). Compute every gradient before you change any vector.
  throw minillm::practice::NotImplemented("sgns_pair_update");
}

}  // namespace ch02
