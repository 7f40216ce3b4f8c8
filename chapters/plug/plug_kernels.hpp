#pragma once
// The practice plug: the learner's own kernels inside the real model.
//
// The model calls every layer operation through the kernel table (src/nn/kernels.hpp). The plug fills a
// table in which each operation that a practice task implements with exactly the library's signature is
// the learner's function, and each other one stays the library's. Every call of a learner's kernel also runs
// the library's kernel on the same inputs (its outputs copied first, since backward passes accumulate) and
// compares: the first output that differs is kept, named by kernel, tensor and size of the difference.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nn/kernels.hpp"

namespace minillm::plug {

// One operation of the kernel table and who runs it.
struct KernelSlot {
  std::string kernel;  // its row in MINILLM_KERNELS ("linear_forward"), or "adamw_step"
  int chapter = -1;    // the chapter whose task implements it; -1: no task has its signature
  std::string task;    // that task's name
  bool yours = false;  // the learner's function runs (the task is done and its chapter is plugged)
  std::string note;    // why not: "not done yet", "chapter 04 is after --up-to 03", ...
  int64_t calls = 0;   // how often the model called it
};

// The first learner output that differed from the library's.
struct Mismatch {
  std::string kernel, tensor;
  int64_t call = 0;           // which call of that kernel (1 = the first)
  double max_abs_diff = 0.0;  // max |yours - library| over the tensor
  double library_max = 0.0;   // max |library| over the tensor: what the difference compares with
};

// An output agrees when max |yours - library| <= kAbsTolerance + kRelTolerance * max |library|: the
// plain loops a learner writes and the library's BLAS route add the same numbers in another order.
inline constexpr double kAbsTolerance = 1e-5;
inline constexpr double kRelTolerance = 1e-3;

// Decides who runs each kernel: a task's function is probed on a tiny input and is the learner's when it
// does not throw practice::NotImplemented and its chapter is <= up_to. Returns the slots in table order.
std::vector<KernelSlot>& plan_kernels(int up_to);
// The table the plugged model runs: the learner's checked wrappers where plan_kernels said "yours".
Kernels plugged_kernels();
// The learner's AdamW (ch06 adamw_step, tensor by tensor) or nullptr-equivalent: see slot "adamw_step".
void learner_adamw_step(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& m,
                        std::vector<float>& v, int t, float lr, float beta1, float beta2, float eps,
                        float weight_decay);

// Compares one learner output with the library's; records the first mismatch of the run.
void compare(const std::string& kernel, const std::string& tensor, int64_t call, const float* yours,
             const float* library, size_t n);
const std::optional<Mismatch>& first_mismatch();
void reset_mismatch();

}  // namespace minillm::plug
