#pragma once
// A run with a time budget (`--minutes`) instead of a step count. The cosine schedule needs the step count in
// advance, so it is estimated from the speed: not from the first steps, which pay one-time costs (page
// faults on fresh buffers, thread pools starting, caches), but from the steady steps after them, then
// re-checked once half-way through (by then the speed includes validations and checkpoints). The time
// after the last step (a validation and a checkpoint) is set aside. How many steps fit depends on the
// machine and its load, so a timed run is not reproducible; `--steps` is.
#include <cstdint>
#include <limits>

namespace minillm {

class StepBudget {
 public:
  static constexpr int64_t kUnknown = std::numeric_limits<int64_t>::max();

  // seconds: the budget; eval_batches: batches per validation (its cost before one was timed).
  StepBudget(double seconds, int eval_batches) : seconds_(seconds), eval_batches_(eval_batches) {}

  // After every step: `step` counts all steps (also those before a resume), `done` those of this run,
  // `elapsed` the seconds since this run's first step began. Returns the total step count to plan for
  // (kUnknown until the first estimate).
  int64_t after_step(int64_t step, int64_t done, double elapsed);

  // What the last validation and checkpoint took, for the time set aside after the last step.
  void record_eval(double seconds) { eval_seconds_ = seconds; }
  void record_checkpoint(double seconds) { checkpoint_seconds_ = seconds; }

 private:
  static constexpr int64_t kWarmupSteps = 3;    // their time is not counted
  static constexpr int64_t kMinSteadySteps = 5;  // steps timed before the first estimate
  int64_t estimate(int64_t step, double elapsed, double seconds_per_step) const;

  double seconds_;
  int eval_batches_;
  double eval_seconds_ = -1, checkpoint_seconds_ = 0;
  int64_t total_ = kUnknown;
  int64_t warm_done_ = -1;   // steps of this run when the warm-up ended
  double warm_elapsed_ = 0;  // and the time then
  bool rechecked_ = false;
};

}  // namespace minillm
