#pragma once
// Chapter 08 practice: the pieces of a vector index, easy to hard.
#include <cstdint>
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

}  // namespace ch08
