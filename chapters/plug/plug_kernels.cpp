#include "plug_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include "../00_tensors_and_matmul/practice/tasks.hpp"
#include "../03_attention/practice/tasks.hpp"
#include "../04_transformer_block/practice/tasks.hpp"
#include "../06_training/practice/tasks.hpp"
#include "practice/todo.hpp"

namespace minillm::plug {

namespace {

// One row per operation a practice task implements with the library's signature: kernel, chapter, task.
struct TaskOfKernel {
  const char* kernel;
  int chapter;
  const char* task;
};
constexpr TaskOfKernel kTasks[] = {
    {"linear_forward", 0, "linear_forward"},       {"linear_backward", 0, "linear_backward"},
    {"attention_forward", 3, "multi_head_attention"}, {"attention_backward", 3, "multi_head_attention_backward"},
    {"layernorm_forward", 4, "layernorm_forward"}, {"layernorm_backward", 4, "layernorm_backward"},
    {"gelu_forward", 4, "gelu_forward"},           {"gelu_backward", 4, "gelu_backward"},
    {"cross_entropy_forward", 6, "cross_entropy_forward"}, {"cross_entropy_backward", 6, "cross_entropy_backward"},
    {"adamw_step", 6, "adamw_step"},
};

std::optional<Mismatch>& mismatch_slot() {
  static std::optional<Mismatch> first;
  return first;
}

std::vector<KernelSlot>& slots() {
  static std::vector<KernelSlot> all;
  return all;
}

KernelSlot& slot(const std::string& kernel) {
  for (KernelSlot& s : slots())
    if (s.kernel == kernel) return s;
  throw std::logic_error("plug: no slot " + kernel);
}

// "" when the learner's function runs on a tiny input, otherwise why it is not used.
std::string probe(const std::function<void()>& run) {
  try {
    run();
    return "";
  } catch (const practice::NotImplemented&) {
    return "not done yet";
  } catch (const std::exception& e) {
    return std::string("threw on a tiny input: ") + e.what();
  }
}

std::string probe_task(const std::string& task) {
  float out[8] = {}, a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8] = {1, -1, 2, -2, 3, -3, 4, -4}, c[8] = {};
  float d[8] = {}, e[8] = {};
  if (task == "linear_forward") return probe([&] { ch00::linear_forward(out, a, b, c, 1, 2, 2); });
  if (task == "linear_backward") return probe([&] { ch00::linear_backward(out, d, e, a, b, c, 1, 2, 2); });
  if (task == "multi_head_attention") return probe([&] { ch03::multi_head_attention(out, d, e, a, 1, 1, 2, 1); });
  if (task == "multi_head_attention_backward")
    return probe([&] { ch03::multi_head_attention_backward(out, d, e, a, b, c, 1, 1, 2, 1); });
  const minillm::TokenId targets[1] = {minillm::token_id(1)};
  if (task == "cross_entropy_forward") return probe([&] { ch06::cross_entropy_forward(out, d, a, targets, 1, 2); });
  if (task == "cross_entropy_backward") return probe([&] { ch06::cross_entropy_backward(out, a, b, targets, 1, 2); });
  if (task == "layernorm_forward") return probe([&] { ch04::layernorm_forward(out, d, e, a, b, c, 1, 2); });
  if (task == "layernorm_backward") return probe([&] { ch04::layernorm_backward(out, d, e, a, b, c, b, a, 1, 2); });
  if (task == "gelu_forward") return probe([&] { ch04::gelu_forward(out, a, 2); });
  if (task == "gelu_backward") return probe([&] { ch04::gelu_backward(out, a, b, 2); });
  if (task == "adamw_step")
    return probe([] {
      std::vector<float> p{1, 2}, g{0.5f, -0.5f}, m(2), v(2);
      ch06::adamw_step(p, g, m, v, 1, 0.1f, 0.9f, 0.95f, 1e-8f, 0.1f);
    });
  throw std::logic_error("plug: no probe for " + task);
}

// Runs the library's kernel on copies of the outputs, then the learner's on the real ones, and compares.
struct Output {
  const char* name;
  float* data;
  size_t n;
};
void run_checked(const char* kernel, std::initializer_list<Output> outputs,
                 const std::function<void(std::vector<std::vector<float>>&)>& library,
                 const std::function<void()>& yours) {
  const int64_t call = ++slot(kernel).calls;
  std::vector<std::vector<float>> want;
  for (const Output& o : outputs) want.emplace_back(o.data, o.data + o.n);
  library(want);
  yours();
  size_t i = 0;
  for (const Output& o : outputs) compare(kernel, o.name, call, o.data, want[i++].data(), o.n);
}

const Kernels& lib() { return fast_kernels(); }
size_t sz(int64_t a, int64_t b = 1, int64_t c = 1) { return static_cast<size_t>(a * b * c); }

void linear_forward(float* out, const float* inp, const float* w, const float* bias, int N, int C, int OC) {
  run_checked("linear_forward", {{"out", out, sz(N, OC)}},
              [&](auto& want) { lib().linear_forward(want[0].data(), inp, w, bias, N, C, OC); },
              [&] { ch00::linear_forward(out, inp, w, bias, N, C, OC); });
}

void linear_backward(float* dinp, float* dw, float* dbias, const float* dout, const float* inp, const float* w,
                     int N, int C, int OC) {
  run_checked("linear_backward", {{"dinp", dinp, sz(N, C)}, {"dweight", dw, sz(OC, C)}, {"dbias", dbias, dbias ? sz(OC) : 0}},
              [&](auto& want) {
                lib().linear_backward(want[0].data(), want[1].data(), dbias ? want[2].data() : nullptr, dout, inp,
                                      w, N, C, OC);
              },
              [&] { ch00::linear_backward(dinp, dw, dbias, dout, inp, w, N, C, OC); });
}

// preatt is not compared: the backward reads only att, and above the diagonal any "masked" value will do.
void attention_forward(float* out, float* preatt, float* att, const float* qkv, int B, int T, int C, int NH) {
  std::vector<float> library_preatt(sz(B, NH) * sz(T, T));
  run_checked("attention_forward", {{"out", out, sz(B, T, C)}, {"att", att, sz(B, NH) * sz(T, T)}},
              [&](auto& want) {
                lib().attention_forward(want[0].data(), library_preatt.data(), want[1].data(), qkv, B, T, C, NH);
              },
              [&] { ch03::multi_head_attention(out, preatt, att, qkv, B, T, C, NH); });
}

// dpreatt and datt are scratch: only dqkv is the kernel's result.
void attention_backward(float* dqkv, float* dpreatt, float* datt, const float* dout, const float* qkv,
                        const float* att, int B, int T, int C, int NH) {
  std::vector<float> library_dpreatt(sz(B, NH) * sz(T, T)), library_datt(sz(B, NH) * sz(T, T));
  run_checked("attention_backward", {{"dqkv", dqkv, sz(B, T, 3 * C)}},
              [&](auto& want) {
                lib().attention_backward(want[0].data(), library_dpreatt.data(), library_datt.data(), dout, qkv, att,
                                         B, T, C, NH);
              },
              [&] { ch03::multi_head_attention_backward(dqkv, dpreatt, datt, dout, qkv, att, B, T, C, NH); });
}

void cross_entropy_forward(float* losses, float* probs, const float* logits, std::span<const TokenId> targets,
                           int N, int V) {
  run_checked("cross_entropy_forward", {{"losses", losses, sz(N)}, {"probs", probs, sz(N, V)}},
              [&](auto& want) { lib().cross_entropy_forward(want[0].data(), want[1].data(), logits, targets, N, V); },
              [&] { ch06::cross_entropy_forward(losses, probs, logits, targets, N, V); });
}

void cross_entropy_backward(float* dlogits, const float* dlosses, const float* probs,
                            std::span<const TokenId> targets, int N, int V) {
  run_checked("cross_entropy_backward", {{"dlogits", dlogits, sz(N, V)}},
              [&](auto& want) { lib().cross_entropy_backward(want[0].data(), dlosses, probs, targets, N, V); },
              [&] { ch06::cross_entropy_backward(dlogits, dlosses, probs, targets, N, V); });
}

void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* w, const float* b,
                       int N, int C) {
  run_checked("layernorm_forward", {{"out", out, sz(N, C)}, {"mean", mean, sz(N)}, {"rstd", rstd, sz(N)}},
              [&](auto& want) {
                lib().layernorm_forward(want[0].data(), want[1].data(), want[2].data(), inp, w, b, N, C);
              },
              [&] { ch04::layernorm_forward(out, mean, rstd, inp, w, b, N, C); });
}

void layernorm_backward(float* dinp, float* dw, float* db, const float* dout, const float* inp, const float* w,
                        const float* mean, const float* rstd, int N, int C) {
  run_checked("layernorm_backward", {{"dinp", dinp, sz(N, C)}, {"dweight", dw, sz(C)}, {"dbias", db, sz(C)}},
              [&](auto& want) {
                lib().layernorm_backward(want[0].data(), want[1].data(), want[2].data(), dout, inp, w, mean, rstd,
                                         N, C);
              },
              [&] { ch04::layernorm_backward(dinp, dw, db, dout, inp, w, mean, rstd, N, C); });
}

void gelu_forward(float* out, const float* inp, int n) {
  run_checked("gelu_forward", {{"out", out, sz(n)}}, [&](auto& want) { lib().gelu_forward(want[0].data(), inp, n); },
              [&] { ch04::gelu_forward(out, inp, n); });
}

void gelu_backward(float* dinp, const float* inp, const float* dout, int n) {
  run_checked("gelu_backward", {{"dinp", dinp, sz(n)}},
              [&](auto& want) { lib().gelu_backward(want[0].data(), inp, dout, n); },
              [&] { ch04::gelu_backward(dinp, inp, dout, n); });
}

}  // namespace

std::vector<KernelSlot>& plan_kernels(int up_to) {
  slots().clear();
  auto add = [](std::string kernel) {
    KernelSlot s;
    s.kernel = std::move(kernel);
    slots().push_back(s);
  };
  for (std::string_view name : kernel_names()) add(std::string(name));
  add("adamw_step");
  for (KernelSlot& s : slots()) {
    s.note = "no practice task has its signature";
    for (const TaskOfKernel& t : kTasks) {
      if (s.kernel != t.kernel) continue;
      s.chapter = t.chapter;
      s.task = t.task;
      if (t.chapter > up_to) {
        s.note = "its chapter is after the one plugged";
      } else {
        s.note = probe_task(t.task);
        s.yours = s.note.empty();
      }
    }
  }
  return slots();
}

Kernels plugged_kernels() {
  Kernels table = fast_kernels();
  auto yours = [](const char* kernel) { return slot(kernel).yours; };
  if (yours("linear_forward")) table.linear_forward = linear_forward;
  if (yours("linear_backward")) table.linear_backward = linear_backward;
  if (yours("attention_forward")) table.attention_forward = attention_forward;
  if (yours("attention_backward")) table.attention_backward = attention_backward;
  if (yours("cross_entropy_forward")) table.cross_entropy_forward = cross_entropy_forward;
  if (yours("cross_entropy_backward")) table.cross_entropy_backward = cross_entropy_backward;
  if (yours("layernorm_forward")) table.layernorm_forward = layernorm_forward;
  if (yours("layernorm_backward")) table.layernorm_backward = layernorm_backward;
  if (yours("gelu_forward")) table.gelu_forward = gelu_forward;
  if (yours("gelu_backward")) table.gelu_backward = gelu_backward;
  return table;
}

void learner_adamw_step(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& m,
                        std::vector<float>& v, int t, float lr, float beta1, float beta2, float eps,
                        float weight_decay) {
  ++slot("adamw_step").calls;
  ch06::adamw_step(params, grads, m, v, t, lr, beta1, beta2, eps, weight_decay);
}

void compare(const std::string& kernel, const std::string& tensor, int64_t call, const float* yours,
             const float* library, size_t n) {
  double diff = 0.0, top = 0.0;
  for (size_t i = 0; i < n; ++i) {
    top = std::max(top, std::fabs(double(library[i])));
    const double d = yours[i] == library[i] ? 0.0 : std::fabs(double(yours[i]) - double(library[i]));
    diff = std::isnan(d) ? INFINITY : std::max(diff, d);
  }
  if (mismatch_slot() || diff <= kAbsTolerance + kRelTolerance * top) return;
  mismatch_slot() = Mismatch{kernel, tensor, call, diff, top};
}

const std::optional<Mismatch>& first_mismatch() { return mismatch_slot(); }
void reset_mismatch() { mismatch_slot().reset(); }

}  // namespace minillm::plug
