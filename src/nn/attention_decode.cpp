#include "nn/attention_decode.hpp"

#include <cmath>
#include <cstddef>

#include "core/error.hpp"
#include "nn/softmax.hpp"

namespace minillm {

// lesson: attention_decode_forward
void attention_decode_forward(float* out, float* scores, const float* q, const float* k_cache,
                              const float* v_cache, int T, int C, int NH) {
  require(T >= 1 && NH >= 1 && C % NH == 0, "attention_decode: T={}, C={}, NH={} (need T >= 1, C % NH == 0)", T, C,
          NH);
  const int hs = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
#pragma omp parallel for schedule(static)
  for (int h = 0; h < NH; ++h) {
    const float* q_h = q + h * hs;
    float* att = scores + static_cast<size_t>(h) * static_cast<size_t>(T);
    for (int s = 0; s < T; ++s) {  // 1. scores of the query against every cached key
      const float* k_s = k_cache + static_cast<size_t>(s) * C + h * hs;
      float dot = 0.0f;
      for (int i = 0; i < hs; ++i) dot += q_h[i] * k_s[i];
      att[s] = dot * scale;
    }
    softmax_forward(att, att, 1, T, T);  // 2. probabilities (in place)
    float* out_h = out + h * hs;         // 3. the probability-weighted sum of the cached values
    for (int i = 0; i < hs; ++i) out_h[i] = 0.0f;
    for (int s = 0; s < T; ++s) {
      const float* v_s = v_cache + static_cast<size_t>(s) * C + h * hs;
      for (int i = 0; i < hs; ++i) out_h[i] += att[s] * v_s[i];
    }
  }
}
// end lesson: attention_decode_forward

}  // namespace minillm
