#include "classify/pooling_head.hpp"

#include <cstddef>

namespace minillm {

// lesson: last_token_pool
void last_token_pool_forward(float* out, const float* hidden, const int* lengths, int B, int T, int C) {
  for (int b = 0; b < B; ++b) {
    const float* last = hidden + (static_cast<size_t>(b) * T + lengths[b] - 1) * C;  // [b, lengths[b]-1, :]
    for (int c = 0; c < C; ++c) out[static_cast<size_t>(b) * C + c] = last[c];
  }
}

void last_token_pool_backward(float* dhidden, const float* dout, const int* lengths, int B, int T, int C) {
  for (int b = 0; b < B; ++b) {
    float* dlast = dhidden + (static_cast<size_t>(b) * T + lengths[b] - 1) * C;
    for (int c = 0; c < C; ++c) dlast[c] += dout[static_cast<size_t>(b) * C + c];
  }
}
// end lesson: last_token_pool

// lesson: masked_mean
void mean_pool_forward(float* out, const float* hidden, const int* lengths, int B, int T, int C) {
  for (int b = 0; b < B; ++b) {
    float* o = out + static_cast<size_t>(b) * C;
    for (int c = 0; c < C; ++c) o[c] = 0.0f;
    for (int t = 0; t < lengths[b]; ++t) {  // real tokens only: the padding after them is skipped
      const float* h = hidden + (static_cast<size_t>(b) * T + t) * C;
      for (int c = 0; c < C; ++c) o[c] += h[c];
    }
    const float scale = 1.0f / static_cast<float>(lengths[b]);
    for (int c = 0; c < C; ++c) o[c] *= scale;
  }
}

void mean_pool_backward(float* dhidden, const float* dout, const int* lengths, int B, int T, int C) {
  for (int b = 0; b < B; ++b) {
    const float* d = dout + static_cast<size_t>(b) * C;
    const float scale = 1.0f / static_cast<float>(lengths[b]);
    for (int t = 0; t < lengths[b]; ++t) {
      float* dh = dhidden + (static_cast<size_t>(b) * T + t) * C;
      for (int c = 0; c < C; ++c) dh[c] += d[c] * scale;
    }
  }
}
// end lesson: masked_mean

// lesson: classifier_head
void classifier_head_forward(float* logits, const float* pooled, const float* weight, const float* bias, int B,
                             int C, int K) {
  for (int b = 0; b < B; ++b) {
    const float* x = pooled + static_cast<size_t>(b) * C;
    for (int k = 0; k < K; ++k) {
      const float* w = weight + static_cast<size_t>(k) * C;
      float sum = bias[k];
      for (int c = 0; c < C; ++c) sum += x[c] * w[c];
      logits[static_cast<size_t>(b) * K + k] = sum;
    }
  }
}

void classifier_head_backward(float* dpooled, float* dweight, float* dbias, const float* dlogits, const float* pooled,
                              const float* weight, int B, int C, int K) {
  for (int b = 0; b < B; ++b) {
    const float* x = pooled + static_cast<size_t>(b) * C;
    for (int k = 0; k < K; ++k) {
      const float d = dlogits[static_cast<size_t>(b) * K + k];
      const float* w = weight + static_cast<size_t>(k) * C;
      float* dw = dweight + static_cast<size_t>(k) * C;
      for (int c = 0; c < C; ++c) dw[c] += d * x[c];
      if (dpooled != nullptr)
        for (int c = 0; c < C; ++c) dpooled[static_cast<size_t>(b) * C + c] += d * w[c];
      dbias[k] += d;
    }
  }
}
// end lesson: classifier_head

}  // namespace minillm
