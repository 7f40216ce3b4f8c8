// Chapter 02 practice. Replace each TODO with your code, then run `./run practice 02`.
#include "tasks.hpp"

#include <cmath>

#include "core/error.hpp"
#include "practice/todo.hpp"

namespace ch02 {

std::vector<float> lookup_rows(const std::vector<float>& table, int V, int C, const std::vector<int>& ids) {
  // TODO(lookup_rows): make out of size ids.size() * C. For each n, first check 0 <= ids[n] < V with
  // minillm::require(condition, "token id {} is outside [0, {})", ids[n], V); then copy the C floats starting
  // at table[ids[n] * C] to out[n * C]. A lookup is a copy: no multiplication is involved.
  throw minillm::practice::NotImplemented("lookup_rows");
}

float cosine(std::span<const float> a, std::span<const float> b) {
  // TODO(cosine): one loop summing a[i]*b[i], a[i]*a[i] and b[i]*b[i] (in double, for accuracy). If either
  // squared length is 0, throw with minillm::require(...). Return dot / (sqrt(aa) * sqrt(bb)).
  throw minillm::practice::NotImplemented("cosine");
}

int closest_row(const std::vector<float>& table, int V, int C, int query) {
  // TODO(closest_row): for every row r != query, compute cosine(row r, row query) (a std::span over
  // &table[r * C] of length C) and keep the best; only a strictly higher value replaces it, so ties keep the
  // smaller row.
  throw minillm::practice::NotImplemented("closest_row");
}

std::vector<float> first_principal_axis(const std::vector<float>& data, int n, int d) {
  // TODO(first_principal_axis): 1) mean of each column; 2) cov[a][b] = sum over points of
  // (x_a - mean_a)(x_b - mean_b) / (n - 1); 3) start from v = (1, 1, ..., 1) and repeat ~500 times:
  // v = cov * v, then divide v by its length; 4) flip the sign if the largest-magnitude entry is negative.
  throw minillm::practice::NotImplemented("first_principal_axis");
}

std::vector<float> project_to_2d(const std::vector<float>& data, int n, int d) {
  // TODO(project_to_2d): 1) centre the points (subtract each column's mean); 2) axis1 =
  // first_principal_axis(centred, n, d); 3) rest = each centred point minus (point . axis1) * axis1;
  // 4) axis2 = first_principal_axis(rest, n, d); 5) for each point push back (centred . axis1) and then
  // (centred . axis2).
  throw minillm::practice::NotImplemented("project_to_2d");
}

std::vector<int> kmeans_step(const std::vector<float>& data, int n, int d, std::vector<float>& centroids, int k) {
  // TODO(kmeans_step): assignment[i] = the c with the smallest squared distance sum_j (x_ij - centroid_cj)^2
  // (strictly smaller replaces, so ties keep the smaller c). Then sum the points of each cluster and count
  // them; for clusters with count > 0, centroid = sum / count.
  throw minillm::practice::NotImplemented("kmeans_step");
}

void embedding_backward(std::vector<float>& dtable, int C, const std::vector<int>& ids, const std::vector<float>& dout) {
  // TODO(embedding_backward): for each n and each c: dtable[ids[n] * C + c] += dout[n * C + c]. Use +=, not
  // =: the same id twice must add both gradients, and dtable may already hold gradient from elsewhere.
  throw minillm::practice::NotImplemented("embedding_backward");
}

std::vector<double> negative_sampling_distribution(const std::vector<int64_t>& counts) {
  // TODO(negative_sampling_distribution): give each word a weight (its count to the power 0.75), then divide
  // every weight by their total so that they sum to 1.
  throw minillm::practice::NotImplemented("negative_sampling_distribution");
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
