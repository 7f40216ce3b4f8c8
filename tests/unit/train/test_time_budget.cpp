// The time budget's step count: estimated from steady steps, not the slow first ones, and re-checked once.
#include <gtest/gtest.h>

#include "train/time_budget.hpp"

namespace minillm {
namespace {

// Runs a simulated training loop whose step k takes seconds_of(k); returns (steps, seconds) at its end,
// counting the final validation (eval_seconds) as the trainer does.
template <class F>
std::pair<int64_t, double> simulate(double budget, F seconds_of, double eval_seconds = 1.0) {
  StepBudget b(budget, 3);
  int64_t step = 0, total = StepBudget::kUnknown;
  double elapsed = 0;
  while (step < total) {
    elapsed += seconds_of(step);
    ++step;
    total = b.after_step(step, step, elapsed);
  }
  return {step, elapsed + eval_seconds};
}

TEST(StepBudget, SlowFirstStepsDoNotShortenTheRun) {
  // Three 5-second warm-up steps, then 1 second each: estimating from the first 3 steps would plan for 12.
  const auto [steps, seconds] = simulate(60, [](int64_t k) { return k < 3 ? 5.0 : 1.0; });
  EXPECT_GE(seconds, 0.97 * 60) << steps << " steps";
  EXPECT_LE(seconds, 60.0);
  EXPECT_EQ(steps, 47) << "15 s of warm-up, 44 steady steps, 1 s for the last validation (3 batches ~ 1 step)";
}

TEST(StepBudget, TheRecheckCountsTheValidationsTheFirstEstimateMissed) {
  // 1 s per step, plus a 5-second validation after every 10th step: the first estimate (at step 8) has
  // seen none and plans ~190 steps (~290 s); the re-check half-way sees them in the average.
  const auto [steps, seconds] = simulate(200, [](int64_t k) { return k % 10 == 9 ? 6.0 : 1.0; });
  EXPECT_LE(seconds, 200 * 1.03) << steps << " steps";
  EXPECT_GE(seconds, 200 * 0.95) << steps << " steps";
}

TEST(StepBudget, StepsSlowerThanTheBudgetStopWhenTheTimeIsUp) {
  const auto [steps, seconds] = simulate(60, [](int64_t) { return 40.0; });
  EXPECT_EQ(steps, 2) << "the budget is spent after the second step, before any estimate";
}

}  // namespace
}  // namespace minillm
