#pragma once
// Chapter 02 practice: the seed lesson's tasks, in C++.
//
// Tables and point sets are flat row-major float buffers: row r of a [rows, cols] buffer starts at
// data[r * cols].
#include <cstdint>
#include <span>
#include <vector>

namespace ch02 {

// Task lookup_rows: the embedding forward pass. out[n, :] = table[ids[n], :] for a [V, C] table; the result
// is [ids.size(), C]. An id outside [0, V) must throw minillm::Error (use minillm::require from
// "core/error.hpp") with a message that contains the id and V.
std::vector<float> lookup_rows(const std::vector<float>& table, int V, int C, const std::vector<int>& ids);

// Task cosine: a·b / (|a| |b|). Throw minillm::Error if either vector is all zeros.
float cosine(std::span<const float> a, std::span<const float> b);

// Task closest_row: the row of the [V, C] table with the highest cosine similarity to row `query`,
// not counting `query` itself (ties: the smaller row).
int closest_row(const std::vector<float>& table, int V, int C, int query);

// Task first_principal_axis: the unit direction along which the n points of `data` ([n, d]) spread most,
// with its largest-magnitude entry made positive. Centre the points, build the d x d covariance matrix,
// and run power iteration on it.
std::vector<float> first_principal_axis(const std::vector<float>& data, int n, int d);

// Task project_to_2d: PCA to 2D, the map of the lesson. Returns [n, 2]: each point's coordinates along the
// first two principal axes (x along the first, y along the second), measured from the mean. The second axis
// is the first axis of what is left once each centred point's component along the first is removed.
std::vector<float> project_to_2d(const std::vector<float>& data, int n, int d);

// Task kmeans_step: one round of k-means. Give each point ([n, d]) to its nearest centroid ([k, d]; ties:
// the smaller centroid), then move each centroid to the mean of its points (a centroid with no points stays
// where it is). Updates `centroids` in place and returns the assignment.
std::vector<int> kmeans_step(const std::vector<float>& data, int n, int d, std::vector<float>& centroids, int k);

// Task embedding_backward: ACCUMULATE dtable[ids[n], :] += dout[n, :] for every n. A row used twice gets
// both gradients; rows never used are left as they are. (Forgetting this step is the seed lesson's
// "forgetting to update embeddings": the table would never learn.)
void embedding_backward(std::vector<float>& dtable, int C, const std::vector<int>& ids, const std::vector<float>& dout);

// Task negative_sampling_distribution: word2vec draws its negative words from the unigram distribution
// raised to the power 3/4: word i is drawn with a probability proportional to counts[i]^0.75. Returns the
// probabilities (they sum to 1).
std::vector<double> negative_sampling_distribution(const std::vector<int64_t>& counts);

// Task sgns_pair_update: one SGD step of word2vec's skip-gram with negative sampling for one pair. inputs
// and outputs are the two [V, dim] tables (input vectors v: the embeddings; output vectors u). The centre
// word's input vector should score high against the context word's output vector and low against each
// negative word's (negatives: distinct ids, none equal to context). Computes the pair's loss
// L = -log σ(u_context · v_centre) - Σ_k log σ(-u_negative_k · v_centre), the gradient of L for every vector
// it uses, and moves each of those vectors by -lr times its gradient, all gradients computed from the values
// before the step. Returns L before the step.
double sgns_pair_update(std::vector<float>& inputs, std::vector<float>& outputs, int dim, int centre, int context,
                        const std::vector<int>& negatives, float lr);

}  // namespace ch02
