// The lesson's code example: the seed lesson's PyTorch snippet (nn.Embedding(10000, 300), ids
// {1, 5, 42, 999} -> shape [4, 300]) written with minillm. Built as ch02_example and run by ctest.
// lesson: seed_example
#include <cstdio>
#include <vector>

#include "core/rng.hpp"
#include "core/token_id.hpp"
#include "nn/embedding.hpp"

int main() {
  using namespace minillm;
  const int V = 10000, C = 300;                // 10,000 tokens, 300 numbers each
  std::vector<float> table(size_t(V) * C);     // the embedding matrix [V, C]
  Rng rng(1337);
  embedding_init(table, rng);                  // random, standard deviation 0.02; training moves it

  const TokenIds ids = {token_id(1), token_id(5), token_id(42), token_id(999)};
  std::vector<float> vectors(ids.size() * C);  // the result [4, 300]
  embedding_forward(vectors.data(), ids, table.data(), V, C);

  std::printf("shape: [%zu, %d]\n", ids.size(), C);  // shape: [4, 300]
  std::printf("row 2 starts with %.4f, table row 42 with %.4f\n", vectors[2 * C], table[42 * C]);
}
// end lesson: seed_example
