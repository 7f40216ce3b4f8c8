// Chapter 05 practice: fill in each TODO, then run `./run practice 05`.
#include "tasks.hpp"

#include "practice/todo.hpp"

namespace ch05 {

std::vector<float> token_position_embedding(const std::vector<int>& ids, const std::vector<float>& wte,
                                            const std::vector<float>& wpe, int B, int T, int C) {
  // TODO(token_position_embedding): for every row b and position t, look up the token's row of wte and
  // position t's row of wpe, and write their sum to out(b, t). The position counts from 0 again in every row.
  throw minillm::practice::NotImplemented("token_position_embedding");
}

std::vector<float> tied_logits(const std::vector<float>& x, const std::vector<float>& wte, int N, int C, int V) {
  // TODO(tied_logits): the score of token v for row n compares the row's final hidden state with that
  // token's own embedding (a dot product). N * V scores.
  throw minillm::practice::NotImplemented("tied_logits");
}

int64_t parameter_count(const minillm::GptConfig& config) {
  // TODO(parameter_count): list every tensor of the model with its shape (the lesson's parameter table:
  // the two embedding tables, each block's two LayerNorms and four linear layers with their biases, the
  // final LayerNorm) and add up their sizes. The config's fields are vocab_size, context_length, n_layer,
  // n_embd (n_head does not change the count: why?). Use int64_t: GPT-2 sizes overflow int.
  throw minillm::practice::NotImplemented("parameter_count");
}

void token_position_backward(const std::vector<int>& ids, const std::vector<float>& dout, std::vector<float>& dwte,
                             std::vector<float>& dwpe, int B, int T, int C) {
  // TODO(token_position_backward): each (b, t) of the forward added one row of wte and one row of wpe into
  // out(b, t); send dout(b, t) back to exactly those two rows. A row used several times collects every
  // gradient. ADD, never overwrite.
  throw minillm::practice::NotImplemented("token_position_backward");
}

void tied_logits_backward(const std::vector<float>& x, const std::vector<float>& wte, const std::vector<float>& dlogits,
                          std::vector<float>& dx, std::vector<float>& dwte, int N, int C, int V) {
  // TODO(tied_logits_backward): the head is a matrix product (chapter 00's backward, or a linear layer
  // without bias whose weight is wte). Each logit(n, v) used row n of x and row v of wte: send dlogits(n, v)
  // to both. ADD to dx and dwte: in the GPT, dwte also gets the embedding's gradient.
  throw minillm::practice::NotImplemented("tied_logits_backward");
}

std::vector<float> gpt_forward(minillm::TensorArena& params, const minillm::GptConfig& config,
                               const std::vector<int>& ids, int B, int T) {
  // TODO(gpt_forward): wire the model as the lesson draws it, from the library's pieces: the input embedding
  // (minillm::token_position_forward in nn/embedding.hpp, with ids as minillm::TokenId), then the n_layer
  // blocks in order (minillm::block_forward; each needs its parameters, minillm::block_params(params,
  // minillm::layer_prefix(l)), and activations of its own: an arena filled by minillm::add_block_acts),
  // each block reading the previous one's output; then the final LayerNorm ln_f and the tied head.
  throw minillm::practice::NotImplemented("gpt_forward");
}

float gpt_backward(minillm::TensorArena& params, minillm::TensorArena& grads, const minillm::GptConfig& config,
                   const std::vector<int>& ids, const std::vector<int>& targets, int B, int T) {
  // TODO(gpt_backward): first your gpt_forward again, but every block keeps its own activations (and you
  // keep each block's input: its backward needs it), and so do ln_f and the loss. Then walk the diagram
  // backwards: each layer's *_backward (nn/*.hpp, nn/block.hpp) turns the gradient of its output into the
  // gradient of its input and adds its parameters' gradients into grads. Two places need thought: where the
  // gradient of the loss starts (a mean over B*T positions), and wte, which is used twice.
  throw minillm::practice::NotImplemented("gpt_backward");
}

}  // namespace ch05
