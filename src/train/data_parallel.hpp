#pragma once
// Data-parallel training (`mpirun -np N minillm train`): N processes, the ranks, each hold the whole model.
// Every step, each rank runs forward and backward on its rows of the same global batch, the gradients are
// averaged across the ranks, and every rank takes the same AdamW step from the same average, so the
// parameters stay identical on every rank. With ZeRO-1 each rank keeps only its shard of AdamW's m and v:
// the gradients are reduce-scattered (each rank receives the average of its shard), each rank updates its
// shard of the parameters, and an all-gather sends every shard to every rank.
// Written against dist::Communicator (src/dist/), so it builds without MPI; src/mpi/ provides the real one.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dist/communicator.hpp"
#include "dist/batch_split.hpp"
#include "gpt/gpt.hpp"
#include "train/adamw.hpp"
#include "train/train_config.hpp"
#include "train/trainer.hpp"

namespace minillm {

// Averages the ranks' gradients. With `overlap`, each block's all-reduce starts while the backward computes
// the blocks below it (through Gpt::on_gradients_ready), one bucket per block; without, one all-reduce of
// the whole gradient buffer follows the backward.
class GradientAverager {
 public:
  GradientAverager(Gpt& model, dist::Communicator& world, bool overlap);
  ~GradientAverager();
  GradientAverager(const GradientAverager&) = delete;
  GradientAverager& operator=(const GradientAverager&) = delete;

  // model.backward(), then every gradient is the average over the ranks.
  void backward();
  double all_reduce_seconds() const { return wait_seconds_; }  // spent waiting for sums, all steps so far

 private:
  void on_ready(int layer);

  Gpt& model_;
  dist::Communicator& world_;
  bool overlap_;
  std::vector<std::span<float>> blocks_;  // block l's gradients (contiguous: "h.l.*")
  std::span<float> embeddings_, final_norm_;
  double wait_seconds_ = 0;
};

// Everything a rank of a data-parallel run holds beside the model.
class DataParallel {
 public:
  // zero: 0 or 1 (ZeRO stage). The optimizer for this rank: whole, or its shard under ZeRO-1.
  DataParallel(dist::Communicator& world, Gpt& model, int zero, bool overlap);
  AdamW make_optimizer(const AdamWConfig& config, const Gpt& model) const;

  int rank() const { return world_.rank(); }
  int ranks() const { return world_.size(); }
  int zero() const { return zero_; }
  dist::Communicator& world() { return world_; }

  // This rank's rows of a global batch of B sequences of T tokens (inputs and targets: B*T ids each).
  void take_rows(const TokenIds& inputs, const TokenIds& targets, int B, int T);
  // One step on the rows take_rows kept. `stop` in: this rank was asked to stop (a signal); out: some rank was.
  StepResult step(Gpt& model, AdamW& optimizer, int T, float lr, float clip, bool& stop);

  // AdamW's m and v whole on rank 0 (gathered from the shards under ZeRO-1), for a checkpoint.
  void gather_moments(const AdamW& optimizer, std::vector<float>& m, std::vector<float>& v);
  // Rank 0's parameters on every rank: a run starts identical on every rank whatever each machine's libm.
  void start_from_first(Gpt& model);
  // An Error naming the first rank whose parameters differ from rank 0's (they must stay identical).
  void require_same_parameters(const Gpt& model);
  // Every rank's peak memory, rank by rank.
  std::vector<uint64_t> peak_memory_of_ranks();
  double all_reduce_seconds() const { return averager_ ? averager_->all_reduce_seconds() : zero_seconds_; }

 private:
  StepResult zero1_step(Gpt& model, AdamW& optimizer, float lr, float clip, StepResult result);

  dist::Communicator& world_;
  int zero_;
  std::unique_ptr<GradientAverager> averager_;  // ZeRO-0
  std::vector<int> counts_;                     // ZeRO-1: every rank's shard size
  dist::Range shard_{};
  std::vector<float> shard_grads_;
  double zero_seconds_ = 0;
  TokenIds inputs_, targets_;
  int rows_ = 0;
};

// An AgreedError naming the first setting (the training text, the tokenizer, or a config key) that differs
// between the ranks: they must all train the same run. Every rank calls it at the same point.
void require_same_settings(dist::Communicator& world, const TrainConfig& config, uint64_t text_hash,
                           uint64_t tokenizer_hash);

}  // namespace minillm
