#pragma once
// k-means: split points into k groups, each around its mean ("centroid"). Alternate two steps until
// nothing moves: give every point to its nearest centroid; move every centroid to the mean of its points.
// The start matters, so centroids are seeded with k-means++: each next seed is a point drawn with
// probability proportional to its squared distance from the nearest seed so far (spread-out seeds).
#include <vector>

#include "core/rng.hpp"

namespace minillm::embed {

struct KMeansResult {
  std::vector<int> assignment;   // [n]: cluster of each point, in [0, k)
  std::vector<float> centroids;  // [k, d]
  double inertia = 0;            // sum of squared distances from points to their centroids
  int iterations = 0;
};

// data is [n, d]; 1 <= k <= n.
KMeansResult kmeans(const float* data, int n, int d, int k, Rng& rng, int max_iterations = 100);

}  // namespace minillm::embed
