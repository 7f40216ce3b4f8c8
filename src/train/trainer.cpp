#include "train/trainer.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <fstream>
#include <memory>
#include <optional>

#include <sys/resource.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"
#include "gpt/lora.hpp"
#include "gpt/memory_estimate.hpp"
#include "gpt/sampling.hpp"
#include "io/atomic_file.hpp"
#include "tokenizer/tokenizer.hpp"
#include "train/checkpoint.hpp"
#include "train/data_parallel.hpp"
#include "train/dataset.hpp"
#include "train/init_from.hpp"
#include "train/loss_chart.hpp"
#include "train/schedule.hpp"
#include "train/time_budget.hpp"

namespace minillm {

namespace fs = std::filesystem;

int64_t peak_memory_bytes() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return int64_t{usage.ru_maxrss} * 1024;  // Linux reports kilobytes
}

// lesson: train_step
StepResult train_step(Gpt& model, AdamW& optimizer, std::span<const TokenId> inputs,
                      std::span<const TokenId> targets, int B, int T, float lr, float clip) {
  model.zero_grad();  // backward accumulates: clear the previous step's gradients
  StepResult result{.loss = model.forward(inputs, targets, B, T)};
  if (!std::isfinite(result.loss)) return result;       // nothing to learn from: skip, change nothing
  model.backward();
  result.grad_norm = clip_grad_norm(model.trainable_grads(), clip);
  if (!std::isfinite(result.grad_norm)) return result;  // an overflow in backward: skip as well
  optimizer.step(model.trainable_params(), model.trainable_grads(), lr);  // (LoRA: the adapters only)
  result.updated = true;
  return result;
}
// end lesson: train_step

namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) { g_interrupted = true; }

// Installs the Ctrl-C handler for the lifetime of a training run, restoring the previous one after. SIGTERM
// too: it is what `kill` sends, and what mpirun sends every rank when its user presses Ctrl-C.
class SigintGuard {
 public:
  SigintGuard() : previous_int_(std::signal(SIGINT, on_sigint)), previous_term_(std::signal(SIGTERM, on_sigint)) {
    g_interrupted = false;
  }
  ~SigintGuard() {
    std::signal(SIGINT, previous_int_);
    std::signal(SIGTERM, previous_term_);
  }
  SigintGuard(const SigintGuard&) = delete;
  SigintGuard& operator=(const SigintGuard&) = delete;

 private:
  void (*previous_int_)(int);
  void (*previous_term_)(int);
};

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Everything a training run holds between steps.
struct Run {
  TrainConfig config;
  const TrainHooks& hooks;
  Tokenizer tokenizer;
  TokenSplit split{};
  std::optional<InitSource> source{};     // the model a fine-tuning run starts from (a fresh run only)
  std::string init_from_model{};          // its folder, recorded in every checkpoint's state.json
  std::unique_ptr<Gpt> model{};
  std::optional<AdamW> optimizer{};
  Rng batch_rng;
  int64_t step = 0, first_step = 0;
  int64_t total_steps = 0;                // StepBudget::kUnknown while a time budget is being measured
  std::optional<StepBudget> budget{};     // set when the run has a time budget
  int64_t bad_steps_in_a_row = 0;         // skipped updates (non-finite loss or gradient) since the last good one
  int64_t last_saved_step = -1;           // the step of the checkpoint `latest` names, -1 for none yet
  std::vector<std::pair<double, double>> train_points{}, val_points{};  // (step, loss) of this run, for loss.png
  TokenIds inputs{}, targets{};
  Clock::time_point start{};
  TrainSummary summary{};
  dist::Communicator* world = nullptr;     // set when the run has more than one rank (mpirun)
  std::unique_ptr<DataParallel> parallel{};
  bool stop_agreed = false;               // a data-parallel run: some rank was asked to stop (its last step said)

  bool distributed() const { return world != nullptr; }
  int ranks() const { return world ? world->size() : 1; }
  // Rank 0 alone writes the run's files and talks to the user; the other ranks compute.
  bool writes() const { return world == nullptr || world->rank() == 0; }
  bool interrupted() const { return distributed() ? stop_agreed : g_interrupted.load(); }
  void say(const std::string& text) const {
    if (hooks.say && writes()) hooks.say(text);
  }
  fs::path out() const { return config.out_dir; }
  int T() const { return config.model.context_length; }
};

std::string read_text(const std::string& path) {
  require(fs::exists(path), "training text '{}' does not exist", path);
  std::string text = read_file(path);
  require(!text.empty(), "training text '{}' is empty", path);
  return text;
}

void append_loss_log(const fs::path& file, int64_t step, const char* split, double loss) {
  std::ofstream out(file, std::ios::app);  // a log that only grows: a torn last line is harmless
  out << step << ',' << split << ',' << loss << '\n';
}

std::string hash_text(const Tokenizer& tokenizer) { return fmt::format("{:016x}", tokenizer_hash(tokenizer)); }

// AdamW for the model: whole, or under mpirun this rank's part of it (the data-parallel side is made here,
// once the model exists).
void make_optimizer(Run& run) {
  if (!run.distributed()) {
    run.optimizer.emplace(run.model->trainable_params(), run.config.adamw);  // (LoRA: the adapters only)
    return;
  }
  require(!run.model->lora(), "--lora-rank under mpirun: data-parallel training averages every weight's gradient, "
          "and a LoRA run trains adapters only; run LoRA in one process");
  run.parallel = std::make_unique<DataParallel>(*run.world, *run.model, run.config.zero, run.config.overlap != 0);
  run.optimizer.emplace(run.parallel->make_optimizer(run.config.adamw, *run.model));
}

// The model, optimizer, step and batch sampler of out_dir's latest checkpoint. The settings must be the
// checkpoint's, except those that may change on resume (train_config.hpp): a new `steps` or `minutes` sets a
// new end for the run, and the cosine schedule is recomputed for it from the current step.
void resume_from_checkpoint(Run& run) {
  LoadedCheckpoint ckpt = load_checkpoint(run.out());
  const TrainConfig saved = train_config_from_json(ckpt.state.at("config"));
  check_resume_config(saved, run.config);
  require(ckpt.model->config() == run.config.model, "{}: the model in config.json is not the one in state.json",
          ckpt.dir.string());
  require(ckpt.state.value("tokenizer_hash", std::string()) == hash_text(run.tokenizer),
          "the checkpoint in {} was trained with a different tokenizer (same name, other merges)", run.out().string());
  run.model = std::move(ckpt.model);
  make_optimizer(run);
  load_optimizer_state(ckpt.dir, *run.model, *run.optimizer, ckpt.state);
  run.step = ckpt.state["step"].get<int64_t>();
  run.last_saved_step = run.step;
  run.total_steps = ckpt.state["total_steps"].get<int64_t>();
  run.batch_rng.set_state(ckpt.state["rng"].get<std::string>());
  run.init_from_model = ckpt.state.value("init_from_model", std::string());
  if (run.config.steps > 0 && run.config.steps != saved.steps) run.total_steps = run.config.steps;
  if (run.config.steps == 0 && run.config.minutes != saved.minutes) run.total_steps = StepBudget::kUnknown;
  run.say(fmt::format("Resuming from {} at step {} of {}.", ckpt.dir.string(), run.step,
                      run.total_steps == StepBudget::kUnknown ? std::string("a time budget")
                                                              : std::to_string(run.total_steps)));
}

// Fine-tuning: the parameters of the model the run starts from, cropped to the run's context.
void start_from_source(Run& run) {
  const InitSource& source = *run.source;
  load_init_parameters(source, *run.model);
  run.init_from_model = fs::absolute(source.model_dir).lexically_normal().string();
  const int T = run.T(), source_T = source.model.context_length;
  run.say(fmt::format("Fine-tuning from {} {} (tokenizer '{}'){}; AdamW, the schedule and the step count start "
                      "new.", source.description, source.model_dir.string(), run.config.tokenizer,
                      T == source_T ? std::string()
                                    : fmt::format(": its context of {} positions cropped to {} (the first {} rows "
                                                  "of wpe are kept)", source_T, T, T)));
}

// LoRA: the model stays frozen and new adapters (B = 0, so the model starts as the source) learn instead.
void attach_new_lora(Run& run) {
  const LoraConfig lora{run.config.lora_rank, run.config.lora_alpha};
  auto adapters = std::make_unique<LoraAdapters>(run.config.model, lora, lora_base_of(run.source->model_dir));
  Rng init_rng(run.config.seed + 3);
  adapters->init(init_rng);
  run.model->attach_lora(std::move(adapters));
}

void start_fresh(Run& run) {
  const bool lora = run.config.lora_rank > 0;  // (validate: only with a source)
  run.model = std::make_unique<Gpt>(run.config.model, lora ? GptForm::frozen : GptForm::trainable);
  if (run.source) {
    start_from_source(run);
  } else {
    Rng init_rng(run.config.seed + 1);
    run.model->init_weights(init_rng);
  }
  if (lora) attach_new_lora(run);
  make_optimizer(run);
  run.total_steps = run.config.steps > 0 ? run.config.steps : StepBudget::kUnknown;
  if (!run.writes()) return;
  fs::create_directories(run.out());
  clear_run_folder(run.out());
}

// Under mpirun: the header line, then the ranks compare what they were started with (before the long
// work), and the batch must divide among them (an error every rank raises alike, as they now agree).
void check_ranks_agree(Run& run, const std::string& text) {
  if (!run.distributed()) return;
  const TrainConfig& c = run.config;
  run.say(fmt::format("Data-parallel training on {} ranks (mpirun): each takes {} of every batch's {} sequences, "
                      "and the gradients are averaged over the ranks after every backward{}.", run.ranks(),
                      c.batch / std::max(1, run.ranks()), c.batch,
                      c.zero == 1 ? fmt::format("; ZeRO-1: each rank keeps 1/{} of AdamW's m and v", run.ranks())
                                  : std::string()));
  require_same_settings(*run.world, c, fnv1a(text), tokenizer_hash(run.tokenizer));
  try {
    dist::require_batch_divides(c.batch, run.ranks());
  } catch (const Error& e) {
    throw dist::AgreedError(e.what());
  }
}

// What this process will hold, said before allocating it (under mpirun: each rank, with its rows of the
// batch and, under ZeRO-1, its shard of AdamW's state and of the averaged gradient).
void check_memory(Run& run, int64_t corpus_tokens) {
  const int B = run.config.batch / run.ranks();
  GptMemoryEstimate memory = estimate_training_memory(run.config.model, B, run.T(), corpus_tokens,
                                                      run.config.lora_rank);
  if (run.distributed() && run.config.zero == 1) {
    memory.optimizer /= run.ranks();
    memory.gradients += memory.parameters / run.ranks();  // the reduce-scatter's receiving shard
  }
  const std::string sentence = training_memory_sentence(memory, B, run.T());
  run.say(run.distributed() ? fmt::format("Each of the {} ranks: {}", run.ranks(), sentence) : sentence);
  run.summary.estimated_memory_bytes = memory.training_total();
  require_training_fits_in_memory(memory, B, run.T());
}

// Reads and tokenizes the text, then builds a new model or resumes out_dir's.
Run open_run(const TrainConfig& config, const TrainHooks& hooks, dist::Communicator* world) {
  config.validate();
  num_threads();  // applies MINILLM_THREADS (or all cores) to OpenBLAS and OpenMP alike
  require(!config.resume || has_checkpoint(config.out_dir),
          "--resume: {} holds no checkpoint (no 'latest' file) to continue from; check --out, or drop --resume to "
          "start a new run there", config.out_dir);
  Run run{.config = config, .hooks = hooks, .tokenizer = Tokenizer::open(config.tokenizer), .batch_rng = Rng(config.seed)};
  if (world != nullptr && world->size() > 1) run.world = world;
  if (!config.resume && !config.init_from.empty()) {  // fine-tuning: check the settings before the long work
    run.source = open_init_source(config.init_from);
    check_init_config(*run.source, config, run.tokenizer);
  }
  const std::string text = read_text(config.corpus);
  check_ranks_agree(run, text);
  for (const std::string& note : hooks.notes) run.say(note);
  run.say(fmt::format("Tokenizing {} ({} bytes) with the '{}' tokenizer...", config.corpus, text.size(),
                      config.tokenizer));
  const TokenIds ids = tokenize_cached(text, run.tokenizer, config.cache_dir);
  run.config.model.vocab_size = run.tokenizer.vocab_size();
  check_memory(run, static_cast<int64_t>(ids.size()));
  run.split = split_train_val(ids, config.val_fraction, run.T());
  run.say(fmt::format("{} tokens: {} for training, {} held out for validation.", ids.size(), run.split.train.size(),
                      run.split.val.size()));
  if (run.writes()) clean_run_folder(run.out());  // what a killed run left behind
  if (config.resume) resume_from_checkpoint(run);
  else start_fresh(run);
  if (run.parallel) run.parallel->start_from_first(*run.model);
  // A time budget whose step count is not fixed yet: a fresh run, or one stopped before its estimate.
  if (run.total_steps == StepBudget::kUnknown) run.budget.emplace(config.minutes * 60.0, config.eval_batches);
  const GptConfig& m = run.config.model;
  run.say(fmt::format("GPT-2 model: {} layers, {} heads, width {}, context {}, vocabulary {}: {:.2f} M parameters.",
                      m.n_layer, m.n_head, m.n_embd, m.context_length, m.vocab_size,
                      double(gpt_parameter_count(m)) / 1e6));
  if (run.model->lora()) run.say(lora_summary(m, run.model->lora()->config()));
  run.first_step = run.step;
  run.start = Clock::now();
  return run;
}

// The tokenizer as the model's config.json names it, for `generate`, `eval` and search: a file by its
// absolute path, so the model works from any folder (a relative path would only work from the one the run
// was started in); an encoding name (gpt2) as it is.
std::string tokenizer_reference(const std::string& name_or_path) {
  const fs::path path(name_or_path);
  return fs::is_regular_file(path) ? fs::absolute(path).lexically_normal().string() : name_or_path;
}

// Rank 0 writes the checkpoint; under ZeRO-1 every rank first sends it its shard of AdamW's m and v. At each
// checkpoint the ranks also check that their parameters are still identical.
void save_run_checkpoint(Run& run) {
  const auto began = Clock::now();
  std::vector<float> m, v;
  if (run.parallel && run.parallel->zero() == 1) run.parallel->gather_moments(*run.optimizer, m, v);
  else if (run.parallel) run.parallel->require_same_parameters(*run.model);
  if (!run.writes()) return;
  ModelInfo info{.tokenizer = tokenizer_reference(run.config.tokenizer)};
  if (const auto eot = run.tokenizer.special("<|endoftext|>")) info.bos_token_id = info.eos_token_id = to_int(*eot);
  nlohmann::json state = {{"config", to_json(run.config)}, {"step", run.step},
                          {"total_steps", run.total_steps}, {"rng", run.batch_rng.state()},
                          {"tokenizer", run.config.tokenizer}, {"tokenizer_hash", hash_text(run.tokenizer)}};
  if (!run.init_from_model.empty()) state["init_from_model"] = run.init_from_model;
  if (m.empty()) save_checkpoint(run.out(), *run.model, *run.optimizer, state, info);
  else save_checkpoint(run.out(), *run.model, m, v, run.optimizer->steps_taken(), state, info);
  run.last_saved_step = run.step;
  if (run.budget) run.budget->record_checkpoint(seconds_since(began));
}

// Text from the model as it is now: `tokens` tokens after the hooks' prompt, with the preview sampling and a
// fixed seed, so texts drawn at different steps differ only by what the model learned in between.
std::string sample_text(Run& run, int tokens, uint64_t seed) {
  Rng sample_rng(seed);
  TokenIds prompt = run.tokenizer.encode_ordinary(run.hooks.sample_prompt);
  if (prompt.empty()) prompt.push_back(run.split.val.front());
  if (!run.model->lora()) return run.tokenizer.decode(generate(*run.model, prompt, tokens, kPreviewSampling, sample_rng));
  const Gpt merged = merged_lora_copy(*run.model);  // the decoder reads plain weights; the frozen ones stay as they are
  return run.tokenizer.decode(generate(merged, prompt, tokens, kPreviewSampling, sample_rng));
}

// Rank 0 alone validates (the others wait at the next step's first sum). It scores the same windows as a
// single process, in batches of its rows of a training batch: the activations already allocated.
void evaluate_run(Run& run) {
  if (!run.writes()) return;
  const auto began = Clock::now();
  const EvalResult r = evaluate(*run.model, run.split.val, run.tokenizer, run.config.batch / run.ranks(), run.T(),
                                run.config.eval_batches * run.ranks());
  run.summary.val_loss = r.loss;
  run.summary.val_bits_per_byte = r.bits_per_byte;
  append_loss_log(run.out() / "loss.csv", run.step, "val", r.loss);
  if (std::isfinite(r.loss)) run.val_points.emplace_back(double(run.step), r.loss);  // a chart needs finite points
  if (run.hooks.eval_sample_tokens > 0 && std::isfinite(r.loss))
    run.summary.eval_samples.push_back({run.step, sample_text(run, run.hooks.eval_sample_tokens, run.config.seed + 3)});
  if (!run.train_points.empty() || !run.val_points.empty())  // rewritten as training goes
    write_loss_chart(run.out() / "loss.png", run.train_points, run.val_points, run.summary.eval_samples);
  if (run.hooks.on_eval) run.hooks.on_eval(run.step, r.loss, r.bits_per_byte);
  if (run.budget) run.budget->record_eval(seconds_since(began));
}

// The NaN guard's end: max_bad_steps updates in a row were skipped, so the run has diverged. Nothing is
// saved now (the live parameters are finite, but they are the ones whose loss is not); the checkpoint on
// disk stays as it was. A checkpoint holds the parameters after its step's update, and the next step's
// loss is their test: they are known good when that step came before the bad ones.
[[noreturn]] void stop_diverged(Run& run, const std::string& what) {
  const int64_t first_bad = run.step - run.bad_steps_in_a_row + 1;
  const std::string folder = run.out().string();
  std::string kept = "no checkpoint had been saved yet, so start again";
  if (run.last_saved_step >= 0 && run.last_saved_step + 1 < first_bad)
    kept = fmt::format("the checkpoint of step {} in {} is intact, and its parameters gave a finite loss: continue "
                       "it with --resume", run.last_saved_step, folder);
  else if (run.last_saved_step >= 0)
    kept = fmt::format("the checkpoint of step {} in {} was saved just before the first bad step, so its parameters "
                       "may be the ones that diverged", run.last_saved_step, folder);
  // Under mpirun every rank stops here alike (the losses and norms are the ranks' common ones).
  throw dist::AgreedError(fmt::format("training diverged: {} at steps {} to {} ({} updates in a row skipped); {}. Try "
                                      "a lower --lr (now {}) or a longer warmup", what, first_bad, run.step,
                                      run.bad_steps_in_a_row, kept, run.config.lr));
}

// A step whose loss or gradient norm was not finite changed nothing (train_step): say so, and stop once
// there have been max_bad_steps in a row.
void skip_bad_step(Run& run, const StepResult& r) {
  ++run.bad_steps_in_a_row;
  const std::string what = std::isfinite(r.loss) ? fmt::format("the gradient norm was {}", r.grad_norm)
                                                 : fmt::format("the loss was {}", r.loss);
  if (run.bad_steps_in_a_row >= run.config.max_bad_steps) stop_diverged(run, what);
  run.say(fmt::format("Step {}: {}, so its update was skipped and the parameters are unchanged ({} of {} allowed "
                      "in a row).", run.step, what, run.bad_steps_in_a_row, run.config.max_bad_steps));
}

// One optimizer step on a fresh batch, logged; an update the NaN guard skipped is not.
float take_step(Run& run) {
  const TrainConfig& c = run.config;
  const LrSchedule schedule{c.lr, c.min_lr, c.warmup, run.total_steps};
  // The whole batch, on every rank from the same RNG (so a run resumes under any number of ranks).
  sample_batch(run.split.train, c.batch, run.T(), run.batch_rng, run.inputs, run.targets);
  StepResult r;
  if (run.parallel) {
    run.parallel->take_rows(run.inputs, run.targets, c.batch, run.T());
    run.stop_agreed = g_interrupted;
    r = run.parallel->step(*run.model, *run.optimizer, run.T(), schedule.at(run.step), c.clip, run.stop_agreed);
  } else {
    r = train_step(*run.model, *run.optimizer, run.inputs, run.targets, c.batch, run.T(), schedule.at(run.step), c.clip);
  }
  ++run.step;
  if (!r.updated) {
    skip_bad_step(run, r);
    return r.loss;
  }
  run.bad_steps_in_a_row = 0;
  run.summary.step_losses.push_back(r.loss);
  run.summary.train_loss = r.loss;
  run.train_points.emplace_back(double(run.step), r.loss);
  if (run.writes()) append_loss_log(run.out() / "loss.csv", run.step, "train", r.loss);
  return r.loss;
}

// After a step: the time budget's step count, and the progress report.
void report_step(Run& run, float loss) {
  const double seconds = seconds_since(run.start);
  const int64_t done = run.step - run.first_step;
  if (run.budget) run.total_steps = run.budget->after_step(run.step, done, seconds);
  // Rank 0's clock decides a time budget's step count: each process times itself a little differently.
  if (run.parallel) run.total_steps = run.world->broadcast_from_first(run.total_steps);
  const bool known = run.total_steps != StepBudget::kUnknown;
  const double tokens = double(done) * run.config.batch * run.T();
  const double left = known ? double(run.total_steps - run.step) * seconds / double(done) : 0.0;
  if (run.hooks.on_step && run.writes())
    run.hooks.on_step(run.step, known ? run.total_steps : 0, loss, tokens / std::max(seconds, 1e-9), left);
}

// The end of a data-parallel run: what its collectives cost, and each rank's memory against the estimate.
void report_ranks(Run& run) {
  const std::vector<uint64_t>& peaks = run.summary.rank_peak_memory_bytes = run.parallel->peak_memory_of_ranks();
  const int64_t steps = std::max<int64_t>(1, run.step - run.first_step);
  run.summary.all_reduce_seconds_per_step = run.parallel->all_reduce_seconds() / double(steps);
  std::string measured;
  for (size_t r = 0; r < peaks.size(); ++r)
    measured += fmt::format("{}rank {} {:.0f} MB", r == 0 ? "" : ", ", r, double(peaks[r]) / 1e6);
  run.say(fmt::format("Peak memory of each rank: {} (estimated {:.0f} MB each). Waiting for the gradients' sums: "
                      "{:.1f} ms per step on rank 0.", measured, run.summary.estimated_memory_bytes / 1e6,
                      run.summary.all_reduce_seconds_per_step * 1e3));
}

TrainSummary finish_run(Run& run) {
  TrainSummary& s = run.summary;
  s.seconds = seconds_since(run.start);
  s.steps = run.step;
  s.tokens = (run.step - run.first_step) * int64_t{run.config.batch} * run.T();
  s.tokens_per_second = double(s.tokens) / std::max(s.seconds, 1e-9);  // every rank's rows: the global rate
  if (run.parallel) report_ranks(run);
  if (run.hooks.sample_tokens > 0 && run.writes())
    s.sample = sample_text(run, run.hooks.sample_tokens, run.config.seed + 2);
  s.peak_memory_bytes = peak_memory_bytes();
  return s;
}

}  // namespace

TrainSummary train(const TrainConfig& config, const TrainHooks& hooks, dist::Communicator* world) {
  Run run = open_run(config, hooks, world);
  SigintGuard sigint;
  while (run.step < run.total_steps) {
    const float loss = take_step(run);
    report_step(run, loss);
    const bool last = run.step >= run.total_steps || run.step == run.config.stop_after || run.interrupted();
    if (run.step % run.config.eval_every == 0 || last) evaluate_run(run);
    // A periodic checkpoint waits while updates are being skipped: the one on disk may be needed.
    const bool periodic = run.step % run.config.checkpoint_every == 0 && run.bad_steps_in_a_row == 0;
    if (periodic || last) save_run_checkpoint(run);
    if (run.interrupted()) {
      run.say(fmt::format("Interrupted: saved a checkpoint at step {} in {}; continue with --resume.", run.step,
                          run.out().string()));
      run.summary.interrupted = true;
      break;
    }
    if (run.step == run.config.stop_after) break;
  }
  return finish_run(run);
}

}  // namespace minillm
