#pragma once
// The training loop: batches -> forward -> loss -> backward -> clip -> AdamW, with validation, checkpoints,
// resume, a NaN guard and Ctrl-C handling. Everything it needs is in TrainConfig (train/train_config.hpp),
// which is also the JSON config file of `minillm train --config FILE` (same keys).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "dist/communicator.hpp"
#include "gpt/gpt.hpp"
#include "train/adamw.hpp"
#include "train/loss_chart.hpp"
#include "train/train_config.hpp"

namespace minillm {

struct TrainSummary {
  int64_t steps = 0;           // steps taken in total (including before a resume)
  int64_t tokens = 0;          // tokens processed in this run
  double tokens_per_second = 0;
  double seconds = 0;
  float train_loss = 0;        // last step's loss
  double val_loss = 0, val_bits_per_byte = 0;
  int64_t peak_memory_bytes = 0;
  double estimated_memory_bytes = 0;  // what the run said it would need before allocating (memory_estimate.hpp)
  double all_reduce_seconds_per_step = 0;  // under mpirun: waiting for the gradients' sums (not hidden by overlap)
  std::vector<uint64_t> rank_peak_memory_bytes;  // under mpirun: every rank's peak_memory_bytes, rank by rank
  bool interrupted = false;    // Ctrl-C
  std::vector<float> step_losses;  // every step's training loss in this run
  std::string sample;          // generated text at the end (empty if sample_tokens == 0)
  std::vector<StepSample> eval_samples;  // text generated at each validation (if eval_sample_tokens > 0)
};

struct TrainHooks {
  // Called after every step: (step, total steps, loss, tokens per second, seconds left).
  std::function<void(int64_t, int64_t, float, double, double)> on_step;
  // Called after every validation: (step, val loss, val bits per byte).
  std::function<void(int64_t, double, double)> on_eval;
  std::function<void(const std::string&)> say;  // sentences for the user
  std::vector<std::string> notes;  // said once the settings are checked (the defaults a caller chose, and why)
  int sample_tokens = 0;
  // > 0: that many tokens generated at every validation (same seed each time), drawn on loss.png at three
  // steps (the first, the middle and the last) and returned in TrainSummary::eval_samples.
  int eval_sample_tokens = 0;
  std::string sample_prompt = "\n";
};

// world: the ranks of a data-parallel run (mpirun; src/mpi/), or null for one process. With more than one
// rank, every rank calls train() alike; rank 0 alone writes the run's files and calls the hooks.
TrainSummary train(const TrainConfig& config, const TrainHooks& hooks = {}, dist::Communicator* world = nullptr);

// What one optimizer step did. An update is applied only when both the loss and the gradient norm are
// finite: a NaN or an infinity in either would be written into every parameter by AdamW, and the model
// would be lost. A skipped step leaves the parameters and AdamW's state exactly as they were.
struct StepResult {
  float loss = 0;                // the batch's mean loss, measured before the update
  float grad_norm = 0;           // the global L2 norm of the gradient before clipping (0 when not computed)
  bool updated = false;          // false: the loss or the gradient norm was not finite, nothing changed
};

// One optimizer step on one batch (inputs/targets: B*T ids): zero the gradients, forward, backward, clip
// the gradient norm, AdamW at learning rate lr.
StepResult train_step(Gpt& model, AdamW& optimizer, std::span<const TokenId> inputs,
                      std::span<const TokenId> targets, int B, int T, float lr, float clip);

// The process's peak resident memory so far (getrusage's ru_maxrss), 0 if unknown.
int64_t peak_memory_bytes();

}  // namespace minillm
