#include "train/data_parallel.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "train/dataset.hpp"

namespace minillm {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::span<float> whole(TensorArena& arena) { return {arena.data(), arena.size()}; }

// Floats [begin, end) of the arena that the tensors named "<prefix>*" occupy (they are contiguous).
std::pair<size_t, size_t> tensors_with_prefix(const TensorArena& arena, const std::string& prefix) {
  size_t begin = arena.size(), end = 0;
  for (const auto& e : arena.entries()) {
    if (e.name.rfind(prefix, 0) != 0) continue;
    begin = std::min(begin, e.offset);
    end = std::max(end, e.offset + static_cast<size_t>(e.shape.numel()));
  }
  require(begin < end, "the model has no tensors named {}*", prefix);
  return {begin, end};
}

void scale(std::span<float> x, float factor) {
  const auto n = static_cast<int64_t>(x.size());
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) x[i] *= factor;
}

}  // namespace

GradientAverager::GradientAverager(Gpt& model, dist::Communicator& world, bool overlap)
    : model_(model), world_(world), overlap_(overlap) {
  TensorArena& grads = model.grads();
  size_t last_end = 0;
  for (int l = 0; l < model.config().n_layer; ++l) {
    const auto [begin, end] = tensors_with_prefix(grads, layer_prefix(l));
    require(l == 0 || begin == last_end, "the blocks' gradients are not contiguous in layer order");
    if (l == 0) embeddings_ = whole(grads).subspan(0, begin);  // wte and wpe come first
    blocks_.push_back(whole(grads).subspan(begin, end - begin));
    last_end = end;
  }
  final_norm_ = whole(grads).subspan(last_end);  // ln_f comes last
  if (overlap_) model_.on_gradients_ready([this](int layer) { on_ready(layer); });
}

GradientAverager::~GradientAverager() {
  if (overlap_) model_.on_gradients_ready(nullptr);
}

// lesson: average_gradients
// Called by the backward as each part's gradients become final: its sum over the ranks starts at once and
// travels while the backward computes the layers below.
void GradientAverager::on_ready(int layer) {
  if (layer == Gpt::kEmbeddingsAndFinalNorm) {
    world_.start_all_reduce_sum(embeddings_);
    world_.start_all_reduce_sum(final_norm_);
  } else {
    world_.start_all_reduce_sum(blocks_[static_cast<size_t>(layer)]);
  }
  world_.progress();  // MPI moves data only inside its calls: give the sums started so far a push
}

void GradientAverager::backward() {
  model_.backward();
  const auto began = Clock::now();
  if (overlap_) world_.wait_all();  // what is left of the sums the backward started
  else world_.all_reduce_sum(whole(model_.grads()));
  wait_seconds_ += seconds_since(began);
  // Averaged, not summed: each rank's gradient is of the mean loss over its rows, so the mean of the ranks'
  // gradients is the gradient of the mean loss over the whole batch, the one a single process computes.
  scale(whole(model_.grads()), 1.0f / static_cast<float>(world_.size()));
}
// end lesson: average_gradients

DataParallel::DataParallel(dist::Communicator& world, Gpt& model, int zero, bool overlap)
    : world_(world), zero_(zero) {
  require(zero == 0 || zero == 1, "--zero {}: minillm has ZeRO stages 0 and 1", zero);
  if (zero_ == 0) {
    averager_ = std::make_unique<GradientAverager>(model, world, overlap);
    return;
  }
  const auto n = static_cast<int64_t>(model.params().size());
  counts_ = dist::shard_counts(n, world.size());
  shard_ = dist::shard_range(n, world.size(), world.rank());
  shard_grads_.resize(static_cast<size_t>(shard_.size()));
}

AdamW DataParallel::make_optimizer(const AdamWConfig& config, const Gpt& model) const {
  if (zero_ == 0) return AdamW(model.params(), config);
  return AdamW(model.params(), config, shard_.begin, shard_.end);
}

// lesson: take_rows
void DataParallel::take_rows(const TokenIds& inputs, const TokenIds& targets, int B, int T) {
  const dist::Range rows = dist::batch_rows(B, ranks(), rank());
  const auto first = static_cast<std::ptrdiff_t>(rows.begin * T), last = static_cast<std::ptrdiff_t>(rows.end * T);
  inputs_.assign(inputs.begin() + first, inputs.begin() + last);
  targets_.assign(targets.begin() + first, targets.begin() + last);
  rows_ = static_cast<int>(rows.size());
}
// end lesson: take_rows

// lesson: data_parallel_step
StepResult DataParallel::step(Gpt& model, AdamW& optimizer, int T, float lr, float clip, bool& stop) {
  model.zero_grad();
  const float mine = model.forward(inputs_, targets_, rows_, T);  // the mean loss over this rank's rows
  // One small sum before the backward: the batch's loss (the mean of the ranks' means, their shares being
  // equal) and whether any rank was asked to stop, so every rank decides both alike.
  double shared[2] = {mine, stop ? 1.0 : 0.0};
  world_.all_reduce_sum(shared);
  stop = shared[1] > 0;
  StepResult result{.loss = static_cast<float>(shared[0] / ranks())};
  if (!std::isfinite(result.loss)) return result;  // every rank saw the same sum: all of them skip
  if (zero_ == 1) return zero1_step(model, optimizer, lr, clip, result);
  averager_->backward();  // the gradients, averaged over the ranks: the same on every rank
  result.grad_norm = clip_grad_norm(model.grads(), clip);
  if (!std::isfinite(result.grad_norm)) return result;
  optimizer.step(model.params(), model.grads(), lr);  // the same step on every rank
  result.updated = true;
  return result;
}
// end lesson: data_parallel_step

// lesson: zero1_step
StepResult DataParallel::zero1_step(Gpt& model, AdamW& optimizer, float lr, float clip, StepResult result) {
  model.backward();
  const auto began = Clock::now();
  world_.reduce_scatter_sum(whole(model.grads()), shard_grads_, counts_);  // my shard of the ranks' sum
  const float average = 1.0f / static_cast<float>(ranks());
  double squares = 0;
  const auto n = static_cast<int64_t>(shard_grads_.size());
#pragma omp parallel for reduction(+ : squares) schedule(static)
  for (int64_t i = 0; i < n; ++i) {
    shard_grads_[i] *= average;
    squares += double(shard_grads_[i]) * double(shard_grads_[i]);
  }
  world_.all_reduce_sum(std::span<double>(&squares, 1));  // the global norm, from every shard's part
  result.grad_norm = static_cast<float>(std::sqrt(squares));
  if (!std::isfinite(result.grad_norm)) return zero_seconds_ += seconds_since(began), result;
  const float clip_scale = clip_factor(result.grad_norm, clip);
  float* mine = model.grads().data() + shard_.begin;  // back in place: AdamW reads its shard's gradient there
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) mine[i] = shard_grads_[i] * clip_scale;
  optimizer.step(model.params(), model.grads(), lr);  // updates my shard of the parameters only
  world_.all_gather(whole(model.params()), counts_);  // every rank's new shard, to every rank
  zero_seconds_ += seconds_since(began);
  result.updated = true;
  return result;
}
// end lesson: zero1_step

void DataParallel::gather_moments(const AdamW& optimizer, std::vector<float>& m, std::vector<float>& v) {
  const int64_t n = std::accumulate(counts_.begin(), counts_.end(), int64_t{0});
  if (rank() == 0) m.resize(static_cast<size_t>(n)), v.resize(static_cast<size_t>(n));
  world_.gather_to_first(optimizer.m(), m, counts_);
  world_.gather_to_first(optimizer.v(), v, counts_);
}

void DataParallel::start_from_first(Gpt& model) { world_.broadcast_from_first(whole(model.params())); }

void DataParallel::require_same_parameters(const Gpt& model) {
  const TensorArena& p = model.params();
  const uint64_t mine = fnv1a({reinterpret_cast<const char*>(p.data()), p.size() * sizeof(float)});
  const std::vector<uint64_t> all = world_.all_gather(std::span<const uint64_t>(&mine, 1));
  for (size_t r = 1; r < all.size(); ++r)
    if (all[r] != all[0])
      throw dist::AgreedError(fmt::format("rank {}'s parameters differ from rank 0's after the same steps: the ranks "
                                          "diverged (a different build or CPU on one machine?)", r));
}

std::vector<uint64_t> DataParallel::peak_memory_of_ranks() {
  const auto mine = static_cast<uint64_t>(peak_memory_bytes());
  return world_.all_gather(std::span<const uint64_t>(&mine, 1));
}

namespace {

// What every rank must agree on: (what it is, its hash), in the same order on every rank.
std::vector<std::pair<std::string, uint64_t>> settings_to_compare(const TrainConfig& config, uint64_t text_hash,
                                                                  uint64_t tokenizer_hash) {
  std::vector<std::pair<std::string, uint64_t>> items = {
      {"training text (the contents of --input)", text_hash},
      {"tokenizer (its merges and special tokens)", tokenizer_hash},
      {"--resume", config.resume ? 1u : 0u}};
  const auto add = [&](const std::string& name, const nlohmann::json& value) {
    items.emplace_back(fmt::format("setting '{}'", name), fnv1a(value.dump()));
  };
  const nlohmann::json settings = to_json(config);
  for (const auto& [key, value] : settings.items()) {
    if (!value.is_object()) add(key, value);
    else for (const auto& [inner, v] : value.items()) add(key + "." + inner, v);
  }
  return items;
}

}  // namespace

// lesson: agree_on_settings
void require_same_settings(dist::Communicator& world, const TrainConfig& config, uint64_t text_hash,
                           uint64_t tokenizer_hash) {
  const auto items = settings_to_compare(config, text_hash, tokenizer_hash);
  std::vector<uint64_t> mine;
  for (const auto& item : items) mine.push_back(item.second);
  const std::vector<uint64_t> all = world.all_gather(mine);  // rank r's hashes at r * items.size()
  for (int r = 1; r < world.size(); ++r)
    for (size_t i = 0; i < items.size(); ++i)
      if (all[size_t(r) * items.size() + i] != all[i])
        throw dist::AgreedError(fmt::format(
            "rank {} was started with a different {} than rank 0: every rank must train the same run; start them "
            "all with one command line and the same files", r, items[i].first));
}
// end lesson: agree_on_settings

}  // namespace minillm
