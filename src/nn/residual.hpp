#pragma once
// Residual connection: out = a + b. The gradient flows unchanged into both branches.
namespace minillm {

void residual_forward(float* out, const float* a, const float* b, int n);        // out[n] = a[n] + b[n]
void residual_backward(float* da, float* db, const float* dout, int n);          // ACCUMULATES into da, db

}  // namespace minillm
