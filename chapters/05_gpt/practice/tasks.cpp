// Chapter 05 practice: fill in each TODO, then run `./run practice 05`.
#include "tasks.hpp"

#include "practice/todo.hpp"

namespace ch05 {

int64_t parameter_count(int64_t V, int64_t maxT, int64_t L, int64_t C) {
  // TODO(parameter_count): add up wte (V*C), wpe (maxT*C), L blocks of 12*C*C + 13*C (two LayerNorms 4C,
  // c_attn 3C*C + 3C, attn c_proj C*C + C, c_fc 4C*C + 4C, mlp c_proj 4C*C + C) and ln_f (2C).
  // The output head is wte again (tied): count it once.
  (void)V, (void)maxT, (void)L, (void)C;
  throw minillm::practice::NotImplemented("parameter_count");
}

double training_flops_per_token(int64_t V, int64_t maxT, int64_t L, int64_t C, int64_t T) {
  // TODO(training_flops_per_token): 6 * parameter_count(...) + 12 * L * C * T, as a double.
  (void)V, (void)maxT, (void)L, (void)C, (void)T;
  throw minillm::practice::NotImplemented("training_flops_per_token");
}

std::vector<float> tied_logits(const std::vector<float>& x, const std::vector<float>& wte, int N, int C, int V) {
  // TODO(tied_logits): logits[n*V + v] = sum over c of x[n*C + c] * wte[v*C + c]: the score of token v is
  // the dot product of the final hidden state with that token's own embedding.
  (void)x, (void)wte, (void)N, (void)C, (void)V;
  throw minillm::practice::NotImplemented("tied_logits");
}

}  // namespace ch05
