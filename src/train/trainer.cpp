#include "train/trainer.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"
#include "gpt/memory_estimate.hpp"
#include "gpt/sampling.hpp"
#include "io/atomic_file.hpp"
#include "tokenizer/tokenizer.hpp"
#include "train/checkpoint.hpp"
#include "train/dataset.hpp"
#include "train/loss_chart.hpp"
#include "train/schedule.hpp"

namespace minillm {

namespace fs = std::filesystem;


void TrainConfig::validate() const {
  require(!corpus.empty(), "no training text: give a corpus file (--input)");
  require(batch >= 1, "batch size must be at least 1, got {}", batch);
  require(steps > 0 || minutes > 0, "give a number of steps (--steps) or a time budget (--minutes)");
  require(steps >= 0 && minutes >= 0, "steps and minutes cannot be negative");
  require(clip > 0, "gradient clipping threshold must be positive, got {}", clip);
  require(eval_every >= 1 && eval_batches >= 1 && checkpoint_every >= 1,
          "eval_every, eval_batches and checkpoint_every must be at least 1");
  LrSchedule{lr, min_lr, warmup, std::max<int64_t>(steps, 1)}.validate();
}

nlohmann::json to_json(const TrainConfig& c) {
  return {{"model", to_json(c.model)}, {"corpus", c.corpus}, {"tokenizer", c.tokenizer}, {"out_dir", c.out_dir},
          {"cache_dir", c.cache_dir}, {"batch", c.batch}, {"steps", c.steps}, {"minutes", c.minutes},
          {"lr", c.lr}, {"min_lr", c.min_lr}, {"warmup", c.warmup}, {"beta1", c.adamw.beta1},
          {"beta2", c.adamw.beta2}, {"eps", c.adamw.eps}, {"weight_decay", c.adamw.weight_decay},
          {"clip", c.clip}, {"eval_every", c.eval_every}, {"eval_batches", c.eval_batches},
          {"checkpoint_every", c.checkpoint_every}, {"seed", c.seed}, {"val_fraction", c.val_fraction}};
}

TrainConfig train_config_from_json(const nlohmann::json& j, TrainConfig c) {
  require(j.is_object(), "a training config must be a JSON object");
  try {
    for (const auto& [key, value] : j.items()) {
      if (key == "model") {
        nlohmann::json m = to_json(c.model);
        for (const auto& [mk, mv] : value.items()) {
          require(m.contains(mk), "model config: unknown key '{}' (known: vocab_size, context_length, n_layer, "
                                  "n_head, n_embd)", mk);
          m[mk] = mv;
        }
        c.model = gpt_config_from_json(m);
      } else if (key == "corpus") c.corpus = value.get<std::string>();
      else if (key == "tokenizer") c.tokenizer = value.get<std::string>();
      else if (key == "out_dir") c.out_dir = value.get<std::string>();
      else if (key == "cache_dir") c.cache_dir = value.get<std::string>();
      else if (key == "batch") c.batch = value.get<int>();
      else if (key == "steps") c.steps = value.get<int64_t>();
      else if (key == "minutes") c.minutes = value.get<double>();
      else if (key == "lr") c.lr = value.get<float>();
      else if (key == "min_lr") c.min_lr = value.get<float>();
      else if (key == "warmup") c.warmup = value.get<int64_t>();
      else if (key == "beta1") c.adamw.beta1 = value.get<float>();
      else if (key == "beta2") c.adamw.beta2 = value.get<float>();
      else if (key == "eps") c.adamw.eps = value.get<float>();
      else if (key == "weight_decay") c.adamw.weight_decay = value.get<float>();
      else if (key == "clip") c.clip = value.get<float>();
      else if (key == "eval_every") c.eval_every = value.get<int>();
      else if (key == "eval_batches") c.eval_batches = value.get<int>();
      else if (key == "checkpoint_every") c.checkpoint_every = value.get<int>();
      else if (key == "seed") c.seed = value.get<uint64_t>();
      else if (key == "val_fraction") c.val_fraction = value.get<double>();
      else fail("training config: unknown key '{}'", key);
    }
  } catch (const nlohmann::json::exception& e) {
    fail("training config: a value has the wrong type ({})", e.what());
  }
  return c;
}

int64_t peak_memory_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;  // "VmHWM:  123456 kB"
  return 0;
}

namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) { g_interrupted = true; }

// Installs the Ctrl-C handler for the lifetime of a training run, restoring the previous one after.
class SigintGuard {
 public:
  SigintGuard() : previous_(std::signal(SIGINT, on_sigint)) { g_interrupted = false; }
  ~SigintGuard() { std::signal(SIGINT, previous_); }
  SigintGuard(const SigintGuard&) = delete;
  SigintGuard& operator=(const SigintGuard&) = delete;

 private:
  void (*previous_)(int);
};

std::string read_text(const std::string& path) {
  require(std::filesystem::exists(path), "training text '{}' does not exist", path);
  std::string text = read_file(path);
  require(!text.empty(), "training text '{}' is empty", path);
  return text;
}

void say(const TrainHooks& hooks, const std::string& text) {
  if (hooks.say) hooks.say(text);
}

void append_loss_log(const std::filesystem::path& file, int64_t step, const char* split, double loss) {
  std::ofstream out(file, std::ios::app);  // a log that only grows: a torn last line is harmless
  out << step << ',' << split << ',' << loss << '\n';
}

}  // namespace

// lesson: train_step
float train_step(Gpt& model, AdamW& optimizer, std::span<const TokenId> inputs, std::span<const TokenId> targets,
                 int B, int T, float lr, float clip) {
  model.zero_grad();  // backward accumulates: clear the previous step's gradients
  const float loss = model.forward(inputs, targets, B, T);
  if (!std::isfinite(loss)) return loss;  // diverged: leave the parameters as they are
  model.backward();
  clip_grad_norm(model.grads(), clip);
  optimizer.step(model.params(), model.grads(), lr);
  return loss;
}
// end lesson: train_step

TrainSummary train(const TrainConfig& config_in, const TrainHooks& hooks) {
  TrainConfig config = config_in;
  config.validate();
  num_threads();  // applies MINILLM_THREADS (or all cores) to OpenBLAS and OpenMP alike
  const std::filesystem::path out_dir = config.out_dir;
  require(!config.resume || has_checkpoint(out_dir),
          "--resume: {} holds no checkpoint (no 'latest' file) to continue from; check --out, or drop --resume to "
          "start a new run there", out_dir.string());

  const Tokenizer tokenizer = Tokenizer::open(config.tokenizer);
  const std::string text = read_text(config.corpus);
  say(hooks, fmt::format("Tokenizing {} ({} bytes) with the '{}' tokenizer...", config.corpus, text.size(),
                         config.tokenizer));
  const TokenIds ids = tokenize_cached(text, tokenizer, config.cache_dir);
  config.model.vocab_size = tokenizer.vocab_size();
  require_training_fits_in_memory(config.model, config.batch, config.model.context_length);
  const int T = config.model.context_length;
  const TokenSplit split = split_train_val(ids, config.val_fraction, T);
  say(hooks, fmt::format("{} tokens: {} for training, {} held out for validation.", ids.size(), split.train.size(),
                         split.val.size()));

  std::unique_ptr<Gpt> model;
  Rng batch_rng(config.seed);
  int64_t step = 0, total_steps = config.steps;
  nlohmann::json state;
  fs::path resume_dir;
  clean_run_folder(out_dir);
  if (config.resume) {
    LoadedCheckpoint ckpt = load_checkpoint(out_dir);
    state = ckpt.state;
    resume_dir = ckpt.dir;
    require(ckpt.model->config() == config.model,
            "the checkpoint in {} has a different model config; resume with the same settings or pick another "
            "--out directory", out_dir.string());
    require(state.value("tokenizer_hash", std::string()) == fmt::format("{:016x}", tokenizer_hash(tokenizer)),
            "the checkpoint in {} was trained with a different tokenizer", out_dir.string());
    model = std::move(ckpt.model);
    step = state["step"].get<int64_t>();
    total_steps = state["total_steps"].get<int64_t>();
    batch_rng.set_state(state["rng"].get<std::string>());
    say(hooks, fmt::format("Resuming from {} at step {} of {}.", out_dir.string(), step, total_steps));
  } else {
    model = std::make_unique<Gpt>(config.model);
    Rng init_rng(config.seed + 1);
    model->init_weights(init_rng);
    std::filesystem::create_directories(out_dir);
    clear_run_folder(out_dir);
  }
  AdamW optimizer(model->params(), config.adamw);
  if (config.resume) load_optimizer_state(resume_dir, *model, optimizer, state);
  say(hooks, fmt::format("GPT-2 model: {} layers, {} heads, width {}, context {}, vocabulary {}: {:.2f} M "
                         "parameters.", config.model.n_layer, config.model.n_head, config.model.n_embd, T,
                         config.model.vocab_size, double(gpt_parameter_count(config.model)) / 1e6));

  ModelInfo model_info;
  model_info.tokenizer = config.tokenizer;
  if (const auto eot = tokenizer.special("<|endoftext|>")) model_info.bos_token_id = model_info.eos_token_id = to_int(*eot);
  auto checkpoint = [&](int64_t at_step) {
    nlohmann::json s;
    s["config"] = to_json(config);
    s["step"] = at_step;
    s["total_steps"] = total_steps;
    s["rng"] = batch_rng.state();
    s["tokenizer"] = config.tokenizer;
    s["tokenizer_hash"] = fmt::format("{:016x}", tokenizer_hash(tokenizer));
    save_checkpoint(out_dir, *model, optimizer, s, model_info);
  };
  std::vector<std::pair<double, double>> train_points, val_points;  // (step, loss) of this run, for loss.png
  auto validate_now = [&](int64_t at_step, TrainSummary& summary) {
    const EvalResult r = evaluate(*model, split.val, tokenizer, config.batch, T, config.eval_batches);
    summary.val_loss = r.loss;
    summary.val_bits_per_byte = r.bits_per_byte;
    append_loss_log(out_dir / "loss.csv", at_step, "val", r.loss);
    val_points.emplace_back(double(at_step), r.loss);
    write_loss_chart(out_dir / "loss.png", train_points, val_points);  // rewritten as training goes
    if (hooks.on_eval) hooks.on_eval(at_step, r.loss, r.bits_per_byte);
  };

  SigintGuard sigint;
  TrainSummary summary;
  TokenIds inputs, targets;
  const int64_t tokens_per_step = int64_t{config.batch} * T;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  // A time budget whose step count is not fixed yet (a fresh run, or one stopped within its first steps).
  const bool timed = total_steps == 0 || total_steps == std::numeric_limits<int64_t>::max();
  if (timed) total_steps = std::numeric_limits<int64_t>::max();
  const int64_t first_step = step;
  // A loss turns non-finite one step after the update that ruined the parameters, so the last good
  // parameters are the previous step's: keep a copy of them (one copy per step: 17 MB, ~0.7 ms of a 340 ms
  // step for the default model).
  TensorArena& params = model->params();
  std::vector<float> last_good(params.size()), candidate(params.size());
  int64_t last_good_step = -1;

  // Saves the last parameters whose loss was finite (if this run has any) and stops with what to do.
  auto diverged = [&](float loss, int64_t at_step) {
    std::string saved = "no step of this run had a finite loss, so nothing was saved";
    if (last_good_step >= 0) {
      std::copy(last_good.begin(), last_good.end(), params.data());
      checkpoint(last_good_step);
      saved = fmt::format("the parameters of step {}, the last with a finite loss, are saved in {}", last_good_step,
                          out_dir.string());
    }
    fail("the training loss became {} at step {}: training diverged; {}. Try a lower --lr (now {}) or a longer "
         "warmup", loss, at_step, saved, config.lr);
  };

  while (step < total_steps) {
    const LrSchedule schedule{config.lr, config.min_lr, config.warmup, total_steps};
    sample_batch(split.train, config.batch, T, batch_rng, inputs, targets);
    std::copy_n(params.data(), params.size(), candidate.data());
    const float loss = train_step(*model, optimizer, inputs, targets, config.batch, T, schedule.at(step), config.clip);
    if (!std::isfinite(loss)) diverged(loss, step);
    candidate.swap(last_good);  // its loss was finite: these parameters are good
    last_good_step = step;
    ++step;
    summary.step_losses.push_back(loss);
    summary.train_loss = loss;
    train_points.emplace_back(double(step), loss);
    append_loss_log(out_dir / "loss.csv", step, "train", loss);

    // With a time budget, fix the step count once the speed is known (after 3 steps), so the cosine
    // schedule ends when the time does; the count is saved, and a resume keeps it.
    const double seconds = elapsed();
    const int64_t done = step - first_step;
    if (timed && done == 3)
      total_steps = std::max<int64_t>(step + 1, static_cast<int64_t>(config.minutes * 60.0 / (seconds / 3.0)));
    const double tok_per_s = double(done * tokens_per_step) / std::max(seconds, 1e-9);
    const double left = double(total_steps - step) * seconds / double(done);
    if (hooks.on_step) hooks.on_step(step, timed && done < 3 ? 0 : total_steps, loss, tok_per_s, left);

    const bool last = step == total_steps || step == config.stop_after || g_interrupted;
    if (step % config.eval_every == 0 || last) validate_now(step, summary);
    if (step % config.checkpoint_every == 0 || last) checkpoint(step);
    if (g_interrupted) {
      say(hooks, fmt::format("Interrupted: saved a checkpoint at step {} in {}; continue with --resume.", step,
                             out_dir.string()));
      summary.interrupted = true;
      break;
    }
    if (step == config.stop_after) break;
  }
  summary.seconds = elapsed();
  summary.steps = step;
  summary.tokens = (step - first_step) * tokens_per_step;
  summary.tokens_per_second = double(summary.tokens) / std::max(summary.seconds, 1e-9);
  if (hooks.sample_tokens > 0) {
    Rng sample_rng(config.seed + 2);
    TokenIds prompt = tokenizer.encode_ordinary(hooks.sample_prompt);
    if (prompt.empty()) prompt.push_back(split.val.front());
    const TokenIds out = generate(*model, prompt, hooks.sample_tokens, {0.8f, 40, 0.95f}, sample_rng);
    summary.sample = tokenizer.decode(out);
  }
  summary.peak_memory_bytes = peak_memory_bytes();
  return summary;
}

}  // namespace minillm
