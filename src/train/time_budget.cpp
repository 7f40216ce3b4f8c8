#include "train/time_budget.hpp"

#include <algorithm>
#include <cmath>

namespace minillm {

int64_t StepBudget::estimate(int64_t step, double elapsed, double seconds_per_step) const {
  // A validation is eval_batches forward passes of a training batch, about a third of a step each.
  const double eval = eval_seconds_ >= 0 ? eval_seconds_ : eval_batches_ * seconds_per_step / 3.0;
  const double left = seconds_ - elapsed - eval - checkpoint_seconds_;
  return step + std::max<int64_t>(1, static_cast<int64_t>(std::floor(left / seconds_per_step)));
}

int64_t StepBudget::after_step(int64_t step, int64_t done, double elapsed) {
  if (done == kWarmupSteps) warm_done_ = done, warm_elapsed_ = elapsed;
  const int64_t steady = warm_done_ < 0 ? 0 : done - warm_done_;
  const double steady_seconds = elapsed - warm_elapsed_;
  if (total_ == kUnknown) {
    const bool measured = steady >= kMinSteadySteps && steady_seconds >= 0.05 * seconds_;
    if (measured) total_ = estimate(step, elapsed, steady_seconds / double(steady));
    else if (elapsed >= seconds_) total_ = step;  // too slow to measure within the budget: stop here
  } else if (!rechecked_ && elapsed >= 0.5 * seconds_ && step < total_) {
    rechecked_ = true;
    total_ = estimate(step, elapsed, steady_seconds / double(steady));
  }
  return total_;
}

}  // namespace minillm
