#include "gpt/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "core/error.hpp"

namespace minillm::gpt_kernels {

namespace {
inline size_t sz(long long v) { return static_cast<size_t>(v); }
}  // namespace

// out[B,T,C] = wte[ids[b,t]] + wpe[t]
void token_position_forward(float* out, std::span<const TokenId> ids, const float* wte, const float* wpe, int B,
                            int T, int C, int V) {
  require(static_cast<long long>(ids.size()) == 1LL * B * T, "embedding: {} ids for B*T = {}", ids.size(), B * T);
  for (TokenId id : ids)
    require(to_int(id) >= 0 && to_int(id) < V, "embedding: token id {} is outside the vocabulary [0, {})",
            to_int(id), V);
#pragma omp parallel for schedule(static)
  for (int n = 0; n < B * T; ++n) {
    const float* tok = wte + sz(to_int(ids[sz(n)])) * sz(C);
    const float* pos = wpe + sz(n % T) * sz(C);
    float* o = out + sz(n) * sz(C);
    for (int c = 0; c < C; ++c) o[c] = tok[c] + pos[c];
  }
}

// ACCUMULATES into dwte[V,C], dwpe[maxT,C]. Sequential over rows: two rows may share a token id.
void token_position_backward(float* dwte, float* dwpe, std::span<const TokenId> ids, const float* dout, int B,
                             int T, int C, int /*V*/) {
  for (int n = 0; n < B * T; ++n) {
    float* dtok = dwte + sz(to_int(ids[sz(n)])) * sz(C);
    float* dpos = dwpe + sz(n % T) * sz(C);
    const float* d = dout + sz(n) * sz(C);
    for (int c = 0; c < C; ++c) {
      dtok[c] += d[c];
      dpos[c] += d[c];
    }
  }
}

}  // namespace minillm::gpt_kernels
