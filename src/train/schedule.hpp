#pragma once
// The learning-rate schedule of GPT-2/3 style training: a linear warmup from ~0 to max_lr over
// warmup_steps (large early updates from random weights are unstable, and AdamW's v estimate is still
// poor), then a cosine decay from max_lr to min_lr at total_steps.
#include <cstdint>

namespace minillm {

struct LrSchedule {
  float max_lr = 1e-3f;
  float min_lr = 1e-4f;
  int64_t warmup_steps = 100;
  int64_t total_steps = 1000;

  void validate() const;               // Error naming the bad field
  float at(int64_t step) const;        // step counts from 0; after total_steps it stays at min_lr
};

}  // namespace minillm
