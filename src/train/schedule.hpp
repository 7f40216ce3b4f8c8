#pragma once
// The learning-rate schedule of GPT-2/3 style training: a linear warmup from ~0 to max_lr over
// warmup_steps (large early updates from random weights are unstable, and AdamW's v estimate is still
// poor), then a cosine decay from max_lr to min_lr at total_steps.
#include <cstdint>

namespace minillm {

// No defaults here: a schedule is made from a TrainConfig's lr, min_lr and warmup (train_config.hpp holds
// the defaults, once) and the run's step count.
struct LrSchedule {
  float max_lr;
  float min_lr;
  int64_t warmup_steps;
  int64_t total_steps;

  void validate() const;               // Error naming the bad field
  float at(int64_t step) const;        // step counts from 0; after total_steps it stays at min_lr
};

}  // namespace minillm
