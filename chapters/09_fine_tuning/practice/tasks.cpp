// Chapter 09 practice. Replace each TODO with your code, then run `./run practice 09`.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "practice/todo.hpp"

namespace ch09 {

std::vector<float> last_token_pool(const std::vector<float>& hidden, const std::vector<int>& mask, int B, int T,
                                   int C) {
  // TODO(last_token_pool): one C-wide state per sequence, taken where its last real token is (step 2). The
  // padding may come first: which position is the last real one then?
  throw minillm::practice::NotImplemented("last_token_pool");
}

std::vector<float> masked_mean_pool(const std::vector<float>& hidden, const std::vector<int>& mask, int B, int T,
                                    int C) {
  // TODO(masked_mean_pool): each sequence's average state over its real tokens (step 3). Padding must
  // change neither the sum nor the count.
  throw minillm::practice::NotImplemented("masked_mean_pool");
}

std::vector<float> head_forward(const std::vector<float>& x, const std::vector<float>& w,
                                const std::vector<float>& bias, int B, int C, int K) {
  // TODO(head_forward): K scores for each of the B pooled states (step 4), with w stored [K, C].
  throw minillm::practice::NotImplemented("head_forward");
}

void head_backward(std::vector<float>& dx, std::vector<float>& dw, std::vector<float>& dbias,
                   const std::vector<float>& dlogits, const std::vector<float>& x, const std::vector<float>& w, int B,
                   int C, int K) {
  // TODO(head_backward): the three gradients of step 4, added to what dx, dw and dbias already hold. Which
  // inputs does each logit depend on, and with what factor?
  throw minillm::practice::NotImplemented("head_backward");
}

ClassificationReport classification_report(const std::vector<int>& truth, const std::vector<int>& predicted, int K) {
  // TODO(classification_report): the confusion matrix first, then every score of tasks.hpp from it (step 7).
  // Mind the classes nobody predicted.
  throw minillm::practice::NotImplemented("classification_report");
}

double weighted_cross_entropy(std::vector<float>& dlogits, const std::vector<float>& logits,
                              const std::vector<int>& labels, const std::vector<float>& class_weight, int B, int K) {
  // TODO(weighted_cross_entropy): the weighted mean of the examples' losses and its gradient (step 6). How
  // much does one example count in the mean, and so in its gradient?
  throw minillm::practice::NotImplemented("weighted_cross_entropy");
}

std::vector<float> lora_forward(const std::vector<float>& x, const std::vector<float>& W, const std::vector<float>& A,
                                const std::vector<float>& Bm, float alpha, int N, int C, int OC, int R) {
  // TODO(lora_forward): the frozen layer's output plus the scaled low-rank path (step 8), going through R
  // numbers per row instead of a second [OC, C] matrix.
  throw minillm::practice::NotImplemented("lora_forward");
}

std::vector<float> merge_lora(const std::vector<float>& W, const std::vector<float>& A, const std::vector<float>& Bm,
                              float alpha, int C, int OC, int R) {
  // TODO(merge_lora): one [OC, C] weight that does what W and the adapter do together (step 10).
  throw minillm::practice::NotImplemented("merge_lora");
}

void lora_backward(std::vector<float>& dx, std::vector<float>& dA, std::vector<float>& dBm,
                   const std::vector<float>& dout, const std::vector<float>& x, const std::vector<float>& W,
                   const std::vector<float>& A, const std::vector<float>& Bm, float alpha, int N, int C, int OC,
                   int R) {
  // TODO(lora_backward): the gradients of step 9, accumulated. The input feeds both paths; the adapter's
  // middle, x·Aᵀ, was not kept by the forward.
  throw minillm::practice::NotImplemented("lora_backward");
}

}  // namespace ch09
