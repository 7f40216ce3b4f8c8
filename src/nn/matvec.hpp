#pragma once
// A linear layer for one position: out[OC] = weight[OC,C] · inp[C] + bias[OC].
//
// Decoding one token at a time runs every linear layer on a single row, and then the work is tiny (two
// flops per weight) next to reading the weight from memory: the speed limit is memory bandwidth, not
// arithmetic. So this is a streaming loop: each weight row is read once, front to back, and dotted with
// inp (which stays in the L1 cache). Threads split the rows.
//
// Each output is computed by the same code whatever the thread count (rows are grouped in fixed blocks
// of 8, and each dot product sums in a fixed order), so the result is bit-identical for 1 or N threads.
namespace minillm {

// out[OC] = weight[OC,C] · inp[C] + bias[OC]; bias may be nullptr. Overwrites out.
void matvec_forward(float* out, const float* inp, const float* weight, const float* bias, int C, int OC);

}  // namespace minillm
