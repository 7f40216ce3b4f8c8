#include "nn/embedding.hpp"

#include <algorithm>
#include <cstddef>

#include "core/error.hpp"

namespace minillm {

namespace {

inline size_t row(int index, int C) { return static_cast<size_t>(index) * static_cast<size_t>(C); }

// Checked once, before any row is touched, so a bad id never writes half an output.
void require_ids_in_vocabulary(std::span<const TokenId> ids, int V) {
  for (size_t n = 0; n < ids.size(); ++n) {
    const int id = to_int(ids[n]);
    require(id >= 0 && id < V,
            "embedding: token id {} (at position {}) is outside the table's {} rows [0, {}); "
            "the ids come from a tokenizer with a larger vocabulary than the table was built for",
            id, n, V, V);
  }
}

}  // namespace

void embedding_init(std::span<float> table, Rng& rng, float stddev) { rng.fill_normal(table, 0.0f, stddev); }

// lesson: lookup_and_scatter_add
// out[N,C] = table[ids[n], :]   (table is [V,C])
void embedding_forward(float* out, std::span<const TokenId> ids, const float* table, int V, int C) {
  require_ids_in_vocabulary(ids, V);
  for (size_t n = 0; n < ids.size(); ++n) {
    const float* source = table + row(to_int(ids[n]), C);
    std::copy(source, source + C, out + row(static_cast<int>(n), C));
  }
}

// ACCUMULATES: dtable[ids[n], :] += dout[n, :]. A row used twice receives both gradients: that is what
// "the lookup is a sum over one-hot rows" means for the derivative.
void embedding_backward(float* dtable, std::span<const TokenId> ids, const float* dout, int V, int C) {
  require_ids_in_vocabulary(ids, V);
  for (size_t n = 0; n < ids.size(); ++n) {
    float* target = dtable + row(to_int(ids[n]), C);
    const float* gradient = dout + row(static_cast<int>(n), C);
    for (int c = 0; c < C; ++c) target[c] += gradient[c];
  }
}
// end lesson: lookup_and_scatter_add

// out[B,T,C] = wte[ids[b,t], :] + wpe[t, :]   (wte [V,C], wpe [maxT,C] with maxT >= T)
void token_position_forward(float* out, std::span<const TokenId> ids, const float* wte, const float* wpe, int B,
                            int T, int C, int V) {
  require(static_cast<long long>(ids.size()) == 1LL * B * T, "embedding: got {} ids, expected B*T = {}*{} = {}",
          ids.size(), B, T, 1LL * B * T);
  require_ids_in_vocabulary(ids, V);
#pragma omp parallel for schedule(static)
  for (int n = 0; n < B * T; ++n) {
    const float* token = wte + row(to_int(ids[static_cast<size_t>(n)]), C);
    const float* position = wpe + row(n % T, C);
    float* o = out + row(n, C);
    for (int c = 0; c < C; ++c) o[c] = token[c] + position[c];
  }
}

// ACCUMULATES into dwte[V,C] and dwpe[maxT,C]. Sequential on purpose: two positions may share a token id,
// and a parallel loop would race on that row.
void token_position_backward(float* dwte, float* dwpe, std::span<const TokenId> ids, const float* dout, int B,
                             int T, int C, int V) {
  require(static_cast<long long>(ids.size()) == 1LL * B * T, "embedding: got {} ids, expected B*T = {}*{} = {}",
          ids.size(), B, T, 1LL * B * T);
  require_ids_in_vocabulary(ids, V);
  for (int n = 0; n < B * T; ++n) {
    float* dtoken = dwte + row(to_int(ids[static_cast<size_t>(n)]), C);
    float* dposition = dwpe + row(n % T, C);
    const float* d = dout + row(n, C);
    for (int c = 0; c < C; ++c) {
      dtoken[c] += d[c];
      dposition[c] += d[c];
    }
  }
}

}  // namespace minillm
