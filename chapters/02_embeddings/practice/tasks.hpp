#pragma once
// Chapter 02 practice: the seed lesson's tasks, in C++.
//
// Tables and point sets are flat row-major float buffers: row r of a [rows, cols] buffer starts at
// data[r * cols].
#include <cstdint>
#include <span>
#include <vector>

namespace ch02 {

// Task lookup_rows: the embedding forward pass (How It Works, step 2) for a [V, C] table: row n of the
// result, [ids.size(), C], is the embedding of token ids[n]. An id outside [0, V) must throw minillm::Error (use minillm::require from
// "core/error.hpp") with a message that contains the id and V.
std::vector<float> lookup_rows(const std::vector<float>& table, int V, int C, const std::vector<int>& ids);

// Task cosine: the cosine similarity of a and b (How It Works, step 6), in [-1, 1]. Throw minillm::Error if
// either vector is all zeros (it has no direction).
float cosine(std::span<const float> a, std::span<const float> b);

// Task closest_row: the row of the [V, C] table with the highest cosine similarity to row `query`,
// not counting `query` itself (ties: the smaller row).
int closest_row(const std::vector<float>& table, int V, int C, int query);

// Task first_principal_axis: the unit direction along which the n points of `data` ([n, d]) spread most
// (the covariance matrix's eigenvector of the largest eigenvalue, found by power iteration: "Seeing the
// vectors"), with its largest-magnitude entry made positive.
std::vector<float> first_principal_axis(const std::vector<float>& data, int n, int d);

// Task project_to_2d: PCA to 2D, the map of the lesson. Returns [n, 2]: each point's coordinates along the
// first two principal axes (x along the first, y along the second), measured from the mean. The second axis
// is the first axis of what is left once each centred point's component along the first is removed.
std::vector<float> project_to_2d(const std::vector<float>& data, int n, int d);

// Task kmeans_step: one round of k-means. Give each point ([n, d]) to its nearest centroid ([k, d]; ties:
// the smaller centroid), then move each centroid to the mean of its points (a centroid with no points stays
// where it is). Updates `centroids` in place and returns the assignment.
std::vector<int> kmeans_step(const std::vector<float>& data, int n, int d, std::vector<float>& centroids, int k);

// Task embedding_backward: the backward of lookup_rows (How It Works, step 4). dout [ids.size(), C] is the
// gradient of the loss with respect to lookup_rows' result; ACCUMULATE (+=) the gradient with respect to the
// table into dtable [V, C]. A row used twice gets both gradients; rows never used are left as they are. (Forgetting this step is the seed lesson's
// "forgetting to update embeddings": the table would never learn.)
void embedding_backward(std::vector<float>& dtable, int C, const std::vector<int>& ids, const std::vector<float>& dout);

// Task keep_probabilities: word2vec's subsampling (How It Works, step 5). counts[i] is how often word i occurs
// in the text; returns, for every word, the probability of keeping one of its occurrences for training,
// given the threshold t > 0. Every value is in (0, 1]; a word that never occurs gets 1.
std::vector<double> keep_probabilities(const std::vector<int64_t>& counts, double t);

// Task negative_sampling_distribution: word2vec draws its negative words from the unigram distribution
// raised to the power 3/4: word i is drawn with a probability proportional to counts[i]^0.75. Returns the
// probabilities (they sum to 1).
std::vector<double> negative_sampling_distribution(const std::vector<int64_t>& counts);

// Task sgns_bce: one term of word2vec's loss, a binary cross-entropy (How It Works, step 5). score is a
// logit u · v and label is 1 (the pair really appeared together) or 0 (a negative). Returns the loss, minus
// the log of the probability σ(score) gives to the right answer, and its derivative with respect to score.
// Both must stay finite and accurate for any score, even ±800 (where σ is exactly 0 or 1 in double).
struct BceTerm {
  double loss = 0.0;
  double dscore = 0.0;  // dloss/dscore
};
BceTerm sgns_bce(double score, int label);

// Task analogy: "a is to b as c is to ?" (word2vec's analogies, How It Works, step 6): the row of the [V, C]
// table whose cosine similarity with the vector b - a + c is highest, never a, b or c themselves (ties: the
// smaller row).
int analogy(const std::vector<float>& table, int V, int C, int a, int b, int c);

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
