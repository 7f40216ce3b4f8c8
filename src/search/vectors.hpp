#pragma once
// Small operations on rows of vectors that every index needs.
#include <cstdint>
#include <span>

namespace minillm::search {

// Scales each row of data [n, dim] to length 1, so that a dot product between rows is their cosine.
// A zero row has no direction and stays zero (its score with anything is 0). Returns how many rows were zero.
int64_t normalise_rows(float* data, int64_t n, int dim);

// The Euclidean length of v.
double l2_norm(std::span<const float> v);

}  // namespace minillm::search
