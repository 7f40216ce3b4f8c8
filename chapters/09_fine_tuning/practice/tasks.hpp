#pragma once
// Chapter 09 practice: a classifier on a GPT's final states, and LoRA. Every tensor is a flat float vector,
// row-major, with its shape in the comment; weights are [out, in] as in the library. B is the batch, T the
// positions, C the width, K the number of classes, N rows of input, OC outputs, R the LoRA rank.
#include <vector>

namespace ch09 {

// Last-token pooling (lesson: How It Works, step 2). hidden[B, T, C]: the final states (after ln_f) of B
// sequences padded to T positions; mask[B, T]: 1 for a real token, 0 for padding, which may stand before
// or after a sequence's tokens. Returns pooled[B, C]: for each sequence, the state at its LAST real
// position. Throws std::invalid_argument when a sequence has no real token.
std::vector<float> last_token_pool(const std::vector<float>& hidden, const std::vector<int>& mask, int B, int T,
                                   int C);

// Mean pooling over the real tokens only (step 3): pooled[B, C], each sequence's average state over the
// positions its mask marks 1; padding must not count, neither in the sum nor in the number of terms.
// Throws std::invalid_argument when a sequence has no real token.
std::vector<float> masked_mean_pool(const std::vector<float>& hidden, const std::vector<int>& mask, int B, int T,
                                    int C);

// The classification head (step 4): logits[B, K] = x[B, C] · w[K, C]ᵀ + bias[K].
std::vector<float> head_forward(const std::vector<float>& x, const std::vector<float>& w,
                                const std::vector<float>& bias, int B, int C, int K);

// Its backward: given dlogits[B, K] = dLoss/dlogits, ACCUMULATE (+=) dLoss/dx into dx[B, C], dLoss/dw into
// dw[K, C] and dLoss/dbias into dbias[K], as every backward in the library does.
void head_backward(std::vector<float>& dx, std::vector<float>& dw, std::vector<float>& dbias,
                   const std::vector<float>& dlogits, const std::vector<float>& x, const std::vector<float>& w, int B,
                   int C, int K);

// Scores of a classifier (step 7). truth and predicted: one class id in [0, K) per example, same length
// (at least one). confusion[t * K + p] counts the examples of true class t predicted as p. A class's
// precision is the share of its predictions that were right, its recall the share of its examples found;
// either is 0 when its denominator is 0, and so is F1 (their harmonic mean) when both are 0. macro_f1 is the
// plain average of the K F1s, every class counting the same however rare.
struct ClassificationReport {
  std::vector<int> confusion;  // [K, K]: rows the true class, columns the predicted one
  std::vector<double> precision, recall, f1;  // [K] each
  double accuracy = 0;
  double macro_f1 = 0;
};
ClassificationReport classification_report(const std::vector<int>& truth, const std::vector<int>& predicted, int K);

// Cross-entropy with class weights (step 6): example i has logits[i, K] and label labels[i]; its loss
// -log softmax(logits_i)[label] counts class_weight[label] times, and the loss is the weighted MEAN:
// divided by the sum of the B examples' weights. Writes (=, not +=) dLoss/dlogits into dlogits[B, K] and
// returns the loss. Stable for large logits.
double weighted_cross_entropy(std::vector<float>& dlogits, const std::vector<float>& logits,
                              const std::vector<int>& labels, const std::vector<float>& class_weight, int B, int K);

// A linear layer with a LoRA adapter (step 8): out[N, OC] = x[N, C] · (W + (alpha / R) · Bm · A)ᵀ, with the
// frozen weight W[OC, C], the adapter's A[R, C] and Bm[OC, R]. Compute it as the lesson does, without ever
// forming the [OC, C] product Bm · A.
std::vector<float> lora_forward(const std::vector<float>& x, const std::vector<float>& W, const std::vector<float>& A,
                                const std::vector<float>& Bm, float alpha, int N, int C, int OC, int R);

// Merging the adapter into the weight for deployment (step 10): returns W + (alpha / R) · Bm · A, [OC, C], so
// that a plain linear layer with it gives lora_forward's output.
std::vector<float> merge_lora(const std::vector<float>& W, const std::vector<float>& A, const std::vector<float>& Bm,
                              float alpha, int C, int OC, int R);

// LoRA's backward (step 9): given dout[N, OC], ACCUMULATE (+=) dLoss/dx into dx[N, C], dLoss/dA into dA[R, C]
// and dLoss/dBm into dBm[OC, R]. W is frozen: it gets no gradient.
void lora_backward(std::vector<float>& dx, std::vector<float>& dA, std::vector<float>& dBm,
                   const std::vector<float>& dout, const std::vector<float>& x, const std::vector<float>& W,
                   const std::vector<float>& A, const std::vector<float>& Bm, float alpha, int N, int C, int OC,
                   int R);

}  // namespace ch09
