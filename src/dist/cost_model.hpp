#pragma once
// A cost model for data-parallel training past this machine, on paper (chapter 11). One step on N nodes:
//   compute   = tokens per rank x training FLOPs per token / one node's measured FLOP rate
//   all-reduce (ring) = 2 (N - 1) / N x gradient bytes / link bandwidth + 2 (N - 1) x latency
//   step      = compute + the part of the all-reduce that does not hide behind the compute
// and the scaling efficiency, the N-node throughput over N times one node's, is compute / step: the share
// of a step spent computing. Each rank processes the same tokens whatever N is (the global batch grows with
// N); to split a fixed global batch instead, give tokens_per_rank = global / N (the efficiency is the same
// formula then, since one node would do N times the compute with no all-reduce).
#include <cstdint>
#include <string>
#include <vector>

#include "gpt/gpt.hpp"
#include "io/config_fields.hpp"

namespace minillm::dist {

// What one rank does in one step.
struct Workload {
  std::string name;
  int64_t parameters = 0;       // gradient floats (float32), all-reduced every step
  double flops_per_token = 0;   // training: forward + backward
  int64_t tokens_per_rank = 0;  // rows x context
  double gradient_bytes() const { return 4.0 * double(parameters); }
};
Workload gpt_workload(std::string name, const GptConfig& config, int batch_per_rank);

// The two models the lesson predicts for (each with the batch one rank trains on a CPU: chapter 06's 16
// sequences of 128, and GPT-2 124M's 4 of 1,024, as `train --init-from` uses).
struct CostModelModel {
  std::string name;
  GptConfig config;
  int batch_per_rank = 0;
};
std::vector<CostModelModel> cost_model_models();  // "ch06", "gpt2-124m"

struct Link {
  double gbps = 10;                 // bandwidth, gigabits a second
  double latency_seconds = 20e-6;   // one message's start-up cost
};

// The ring all-reduce of `bytes` over `nodes` (0 for one node).
double ring_allreduce_seconds(double bytes, int nodes, const Link& link);

struct StepPrediction {
  int nodes = 1;
  double compute_seconds = 0, allreduce_seconds = 0, step_seconds = 0;
  double tokens_per_second = 0;  // all ranks together
  double efficiency = 1;         // compute / step
};

// overlap: the share of the compute the all-reduce can run under (0: none, after the backward; the backward
// is about 2/3 of a step, so bucketed all-reduces started during it hide at most about 0.67).
StepPrediction predict_step(const Workload& w, double flops_per_second, const Link& link, int nodes,
                            double overlap = 0);

// The predictions for one workload and link as a text table (nodes, compute, all-reduce, step, tokens/s,
// efficiency), as `minillm cost-model` and the chapter 11 demo print it.
std::string prediction_table(const Workload& w, const Link& link, const std::vector<StepPrediction>& rows);

// The settings of `minillm cost-model` (the node counts and link speeds are lists: kDefaultNodes, kDefaultLinkGbps).
#define MINILLM_COST_MODEL_CONFIG(X)                                                                          \
  X(double, gflops, 0.0, "--gflops", greater_than_or_unset(0),                                               \
    "one node's training rate in GFLOP/s (if unset: measured here on chapter 06's model)")                   \
  X(double, latency_us, 20.0, "--latency-us", at_least(0), "one message's latency in microseconds")         \
  X(double, overlap, 0.0, "--overlap", between(0, 1),                                                        \
    "share of the compute the all-reduce hides behind (0: none; at most about 0.67, the backward's share)") \
  X(int, batch, 0, "--batch", greater_than_or_unset(0),                                                      \
    "sequences per rank per step (if unset: 16 for ch06, 4 for gpt2-124m)")

struct CostModelConfig {
  using Self = CostModelConfig;
  MINILLM_COST_MODEL_CONFIG(MINILLM_CONFIG_MEMBER)
  static std::vector<ConfigField<Self>> fields() { return {MINILLM_COST_MODEL_CONFIG(MINILLM_CONFIG_FIELD)}; }
};
inline const std::vector<int> kDefaultNodes = {1, 2, 3, 4, 8, 16, 32, 64};
inline const std::vector<double> kDefaultLinkGbps = {10, 25, 100};

// One node's training FLOP rate here: `steps` forward + backward passes of `config` on `batch` random
// sequences, timed after one warm-up, counted with gpt_training_flops_per_token.
double measure_training_flops(const GptConfig& config, int batch, int steps);

}  // namespace minillm::dist
