// `minillm train`: the GPT of chapters 05 and 06 (generate, eval and export are in commands_generate.cpp).
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/command_registry.hpp"
#include "cli/config_flags.hpp"
#include "cli/validators.hpp"
#include "core/error.hpp"
#include "dist/communicator.hpp"
#include "gpt/model_files.hpp"
#include "gpt/quantized_model.hpp"
#include "gpt/sampling.hpp"
#include "io/atomic_file.hpp"
#include "tokenizer/tokenizer.hpp"
#include "train/checkpoint.hpp"
#include "train/console.hpp"
#include "train/dataset.hpp"
#include "train/init_from.hpp"
#include "train/train_config.hpp"
#include "train/trainer.hpp"
#ifdef MINILLM_HAVE_MPI
#include "mpi/mpi_world.hpp"
#endif

namespace minillm::cli {

namespace {

// `minillm train`'s options: --config FILE, then the flags made from the config tables (train/train_config.hpp,
// gpt/gpt.hpp), then these.
struct TrainFlags {
  std::string config_file;
  int sample_tokens = GenerationSettings{}.tokens;
  bool resume = false, json = false;
  int64_t stop_after = -1;
  std::shared_ptr<ConfigFlags<TrainConfig>> settings = std::make_shared<ConfigFlags<TrainConfig>>();
};

// The --config file's JSON object ({} without one).
nlohmann::json read_config_file(const std::string& file) {
  if (file.empty()) return nlohmann::json::object();
  try {
    return nlohmann::json::parse(read_file(file));
  } catch (const nlohmann::json::exception& e) {
    fail("{} is not valid JSON ({})", file, e.what());
  }
}

// The config file's settings, the flags over them, and the couplings of train/train_config.hpp. With
// --resume, over the checkpoint's settings instead of the defaults (the trainer refuses changed ones that
// may not change). With --init-from, over fine-tuning's defaults (train/init_from.hpp: the model's shape
// and tokenizer, a batch that fits, a gentler schedule), so a shape flag that disagrees with the model is
// refused by the trainer; `notes` says which defaults fine-tuning chose.
TrainConfig config_from_flags(const TrainFlags& f, std::vector<std::string>& notes) {
  const nlohmann::json file = read_config_file(f.config_file);
  TrainConfig given = train_config_from_json(file);  // the file and flags alone: where are --out, --init-from?
  f.settings->apply(given);
  const auto flag = [&](const char* name) { return f.settings->given.contains(name); };
  require(!f.resume || (!flag("--init-from") && !file.contains("init_from")),
          "--init-from and --resume together: --resume continues the run in --out from its latest checkpoint (a "
          "fine-tuned run remembers the model it started from); --init-from starts a new run from a model. Give "
          "one of them");
  const bool fine_tune = !f.resume && !given.init_from.empty();
  // A quantized model only generates and scores text: training continues or starts from the float model.
  const auto refuse_quantized = [](const std::string& dir) {
    if (std::filesystem::exists(std::filesystem::path(dir) / "config.json")) require_float_model(dir);
  };
  if (fine_tune) refuse_quantized(given.init_from);
  if (f.resume) refuse_quantized(given.out_dir);
  TrainConfig c;
  if (f.resume && has_checkpoint(given.out_dir))
    c = train_config_from_json(read_checkpoint_state(given.out_dir).at("config"));
  if (f.resume) c.out_dir = given.out_dir;
  if (fine_tune) apply_fine_tuning_defaults(c, open_init_source(given.init_from));
  c = train_config_from_json(file, c);
  f.settings->apply(c);
  if (flag("--lr")) c.min_lr = std::min(c.min_lr, c.lr / 10);  // a lower peak still decays 10x
  if (flag("--minutes") && !flag("--steps")) c.steps = 0;      // --minutes alone means a time budget
  if (fine_tune && !flag("--batch") && !file.contains("batch")) {
    c.batch = fine_tuning_batch(c.model.context_length);  // for the context chosen, which may be cropped
    notes.push_back(fmt::format("Fine-tuning's default batch: {} sequences of {} tokens ({} tokens per step, at most "
                                "4,096; --batch to choose).", c.batch, c.model.context_length,
                                c.batch * c.model.context_length));
  }
  if (fine_tune && !flag("--lr") && !file.contains("lr"))
    notes.push_back(fmt::format("Fine-tuning's default learning rate: {} down to {} after {} warmup steps (--lr to "
                                "choose).", c.lr, c.min_lr, c.warmup));
  c.resume = f.resume;
  c.stop_after = f.stop_after;
  return c;
}

// One rank's part of `minillm train` (the only one without mpirun): rank 0 prints, the others are quiet.
void train_as_rank(const TrainFlags& flags, dist::Communicator* world) {
  const int rank = world != nullptr ? world->rank() : 0;
  std::vector<std::string> notes;
  const TrainConfig config = config_from_flags(flags, notes);
  TrainHooks hooks = console_hooks(flags.json || rank != 0);
  hooks.notes = notes;
  hooks.sample_tokens = flags.sample_tokens;
  const TrainSummary s = train(config, hooks, world);
  if (rank != 0) return;
  if (flags.json) {
    nlohmann::json line = {{"steps", s.steps},           {"tokens", s.tokens},
                           {"tokens_per_second", s.tokens_per_second},
                           {"train_loss", s.train_loss}, {"val_loss", s.val_loss},
                           {"val_bits_per_byte", s.val_bits_per_byte},
                           {"peak_memory_bytes", s.peak_memory_bytes},
                           {"estimated_memory_bytes", s.estimated_memory_bytes}, {"seconds", s.seconds},
                           {"interrupted", s.interrupted}};
    if (world != nullptr && world->size() > 1)
      line.update({{"ranks", world->size()}, {"all_reduce_seconds_per_step", s.all_reduce_seconds_per_step},
                   {"rank_peak_memory_bytes", s.rank_peak_memory_bytes}});
    fmt::print("{}\n", line.dump());
    return;
  }
  fmt::print("trained {} steps ({} tokens, {:.0f} tokens/s); final training loss {:.4f}, validation loss {:.4f} "
             "= {:.3f} bits per byte\n", s.steps, s.tokens, s.tokens_per_second, s.train_loss, s.val_loss,
             s.val_bits_per_byte);
  fmt::print("checkpoint and loss log (loss.csv) in {}\n", config.out_dir);
  if (!s.sample.empty()) fmt::print("--- a sample from the model ---\n{}\n--- end of sample ---\n", s.sample);
}

#ifdef MINILLM_HAVE_MPI
constexpr const char* kMpiBuild = "";
#else
constexpr const char* kMpiBuild = " This minillm was built without MPI: install libopenmpi-dev and openmpi-bin, then "
                                  "configure and build again (./run build).";
#endif

// Under mpirun each process is a rank of one run (MPI starts only then). An error on one rank ends that rank
// at once, without MPI's finalize, and mpirun then ends the others, which may be waiting for it.
void run_train(const TrainFlags& flags) {
#ifdef MINILLM_HAVE_MPI
  mpi::Session session;
  dist::Communicator* world = session.world();
#else
  // N processes of a build without MPI would each train the whole run into the same folder.
  require(dist::launcher_world_size() == 0, "minillm was started by mpirun, but cannot train under it:{}", kMpiBuild);
  dist::Communicator* world = nullptr;
#endif
  const int rank = world != nullptr ? world->rank() : 0;
  try {
    train_as_rank(flags, world);
  } catch (const dist::AgreedError&) {
    if (rank != 0) std::exit(1);  // every rank raised it alike: rank 0 says it for all of them
    throw;
  } catch (const Error& e) {
    if (rank != 0) throw Error(fmt::format("rank {}: {}", rank, e.what()));
    throw;
  }
}

}  // namespace

static CommandRegistrar reg(30, [](CLI::App& app) {
  auto flags = std::make_shared<TrainFlags>();
  auto* train_cmd = app.add_subcommand("train", "Train a GPT on a text file (chapter 06)");
  train_cmd->add_option("--config", flags->config_file, "JSON training config (same keys as state.json's config)");
  add_config_flags<TrainConfig, TrainConfig>(*train_cmd, flags->settings, [](TrainConfig& c) -> TrainConfig& { return c; });
  add_config_flags<GptConfig, TrainConfig>(*train_cmd, flags->settings, [](TrainConfig& c) -> GptConfig& { return c.model; });
  train_cmd->add_option("--sample-tokens", flags->sample_tokens,
                        fmt::format("tokens to generate at the end (0: none; default {})", GenerationSettings{}.tokens))
      ->check(non_negative());
  train_cmd->add_flag("--resume", flags->resume, "continue from the checkpoint in --out (which must hold one)");
  train_cmd->add_option("--stop-after", flags->stop_after,
                        "stop with a checkpoint after this many steps in all, keeping the schedule of --steps (to "
                        "continue with --resume, on as many ranks as you like)")
      ->check(positive());
  train_cmd->add_flag("--json", flags->json, "print one JSON summary line instead of progress");
  train_cmd->footer(fmt::format(
      "Data-parallel training: `mpirun -np N minillm train ...` trains one model with N processes (ranks). --batch "
      "stays the global batch, a multiple of N (each rank takes its share of every batch); rank 0 writes the run "
      "and prints. --zero 1 shards AdamW's state across the ranks. Ctrl-C saves a checkpoint if mpirun gives the "
      "ranks the time: with `mpirun --mca odls_base_sigkill_timeout 10`, it sends SIGTERM 10 s after Ctrl-C and "
      "SIGKILL 10 s after that (the default, 1 s, suits small models).{}", kMpiBuild));
  train_cmd->callback([flags] { run_train(*flags); });
});

}  // namespace minillm::cli
