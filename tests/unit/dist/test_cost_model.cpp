// The cost model against numbers worked out by hand.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "dist/cost_model.hpp"

namespace {

using namespace minillm::dist;

TEST(CostModel, TheRingFormulaWorkedOutByHand) {
  const Link no_latency{.gbps = 8, .latency_seconds = 0};  // 1e9 bytes a second
  EXPECT_DOUBLE_EQ(ring_allreduce_seconds(4e6, 1, no_latency), 0.0) << "one node has nothing to all-reduce";
  EXPECT_DOUBLE_EQ(ring_allreduce_seconds(4e6, 2, no_latency), 0.004) << "2 (2-1)/2 x 4 MB at 1 GB/s";
  EXPECT_DOUBLE_EQ(ring_allreduce_seconds(4e6, 4, no_latency), 0.006) << "2 (4-1)/4 x 4 MB at 1 GB/s";
  const Link slow{.gbps = 8, .latency_seconds = 20e-6};
  EXPECT_NEAR(ring_allreduce_seconds(4e6, 4, slow), 0.006 + 6 * 20e-6, 1e-12) << "plus 2 (N-1) latencies";
  EXPECT_THROW(ring_allreduce_seconds(1, 0, slow), minillm::Error);
  EXPECT_THROW(ring_allreduce_seconds(1, 2, Link{.gbps = 0}), minillm::Error);
}

TEST(CostModel, StepTimeAndEfficiency) {
  const Workload w{"toy", 1'000'000, 1e6, 1000};  // 1 GFLOP a step; 4 MB of gradients
  const Link link{.gbps = 8, .latency_seconds = 0};
  const StepPrediction one = predict_step(w, 1e10, link, 1);
  EXPECT_DOUBLE_EQ(one.compute_seconds, 0.1);
  EXPECT_DOUBLE_EQ(one.step_seconds, 0.1);
  EXPECT_DOUBLE_EQ(one.efficiency, 1.0);
  const StepPrediction four = predict_step(w, 1e10, link, 4);
  EXPECT_DOUBLE_EQ(four.allreduce_seconds, 0.006);
  EXPECT_DOUBLE_EQ(four.step_seconds, 0.106);
  EXPECT_DOUBLE_EQ(four.efficiency, 0.1 / 0.106);
  EXPECT_DOUBLE_EQ(four.tokens_per_second, 4000 / 0.106);
  EXPECT_DOUBLE_EQ(predict_step(w, 1e10, link, 4, 0.5).step_seconds, 0.1) << "all of it hides under half the compute";
  EXPECT_NEAR(predict_step(w, 1e10, link, 4, 0.05).step_seconds, 0.101, 1e-12) << "5 ms of the 6 hide";
}

TEST(CostModel, TheTwoModelsHaveTheirKnownSizes) {
  const auto models = cost_model_models();
  ASSERT_EQ(models.size(), 2u);
  const Workload ch06 = gpt_workload(models[0].name, models[0].config, models[0].batch_per_rank);
  EXPECT_EQ(ch06.parameters, 4'240'896) << "chapter 06's model (docs/benchmarks.md)";
  EXPECT_EQ(ch06.tokens_per_rank, 16 * 128);
  EXPECT_NEAR(ch06.flops_per_token, 27.0e6, 0.05e6) << "6N + 12 L C T = 27.0 MFLOP";
  const Workload gpt2 = gpt_workload(models[1].name, models[1].config, models[1].batch_per_rank);
  EXPECT_EQ(gpt2.parameters, 124'439'808) << "GPT-2 124M with its head tied to wte";
  EXPECT_DOUBLE_EQ(gpt2.gradient_bytes(), 4.0 * 124'439'808);
}

TEST(CostModel, SmallPerRankBatchesScaleWorse) {
  const auto m = cost_model_models()[0];
  const Link ten{.gbps = 10, .latency_seconds = 20e-6};
  const double big = predict_step(gpt_workload("", m.config, 16), 1e11, ten, 8).efficiency;
  const double small = predict_step(gpt_workload("", m.config, 1), 1e11, ten, 8).efficiency;
  EXPECT_GT(big, small) << "the same all-reduce, sixteen times less compute to hide it behind";
}

}  // namespace
