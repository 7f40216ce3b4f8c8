#include "train/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"

namespace minillm {

void LrSchedule::validate() const {
  require(max_lr > 0 && std::isfinite(max_lr), "learning rate must be positive, got {}", max_lr);
  require(min_lr >= 0 && min_lr <= max_lr, "min_lr ({}) must be between 0 and the learning rate ({})", min_lr,
          max_lr);
  require(warmup_steps >= 0, "warmup steps must be >= 0, got {}", warmup_steps);
  require(total_steps >= 1, "total steps must be >= 1, got {}", total_steps);
}

// lesson: lr_schedule
float LrSchedule::at(int64_t step) const {
  if (step < warmup_steps)  // step 0 gets max_lr / warmup_steps, never exactly 0 (that step would be wasted)
    return max_lr * static_cast<float>(step + 1) / static_cast<float>(warmup_steps);
  if (step >= total_steps) return min_lr;
  const double progress = double(step - warmup_steps) / double(std::max<int64_t>(1, total_steps - warmup_steps));
  const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * progress));  // 1 -> 0
  return static_cast<float>(min_lr + cosine * (max_lr - min_lr));
}
// end lesson: lr_schedule

}  // namespace minillm
