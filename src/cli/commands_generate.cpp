// `minillm generate`, `minillm eval` and `minillm export`: using a trained GPT (chapter 07). Each takes a
// training run's folder (its latest checkpoint) or a model folder, which is a Hugging Face GPT-2 folder:
// config.json + model.safetensors, as minillm writes it or as downloaded (GPT-2 124M from Hugging Face).
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/command_registry.hpp"
#include "cli/config_flags.hpp"
#include "cli/validators.hpp"
#include "core/error.hpp"
#include "gpt/lora.hpp"
#include "gpt/model_files.hpp"
#include "gpt/quantized_model.hpp"
#include "gpt/sampling.hpp"
#include "io/atomic_file.hpp"
#include "tokenizer/tokenizer.hpp"
#include "tokenizer/utf8.hpp"
#include "tokenizer/utf8_stream.hpp"
#include "train/dataset.hpp"
#include "train/model_compare.hpp"
#include "train/model_tokenizer.hpp"

namespace minillm::cli {

namespace {

struct GenerateFlags {
  std::string checkpoint, prompt = "\n";
  GenerationSettings generation;  // --tokens, --seed (their table: gpt/sampling.hpp)
  SamplingOptions sampling;       // --temperature, --top-k, --top-p
  bool json = false, interactive = false;
};

// A model folder loaded for decoding: a float model, or a quantized one (`minillm quantize`).
struct DecodingModel {
  std::optional<Gpt> floats;
  std::optional<QuantizedGpt> q8;
  explicit DecodingModel(const std::string& dir) {
    if (quantization_format(dir).empty()) floats.emplace(load_model(dir, GptForm::inference_only));
    else q8.emplace(load_quantized_model(dir));
  }
  const GptConfig& config() const { return q8 ? q8->config : floats->config(); }
  Decoder decoder() const { return q8 ? Decoder(*q8) : Decoder(*floats); }
};

// --interactive: a prompt loop that keeps the KV cache between turns. Each line typed is appended to the
// conversation so far (one step per token), and the model continues it; an empty line or end of input ends.
void run_interactive(Decoder& decoder, const Tokenizer& t, const GenerateFlags& f) {
  Rng rng(f.generation.seed);
  const GenerateOptions options{f.generation.tokens, f.sampling, t.special("<|endoftext|>")};
  std::optional<TokenId> unfed;  // the last generated token, not yet in the cache
  std::span<const float> logits;
  for (;;) {
    fmt::print("> ");
    std::fflush(stdout);
    std::string line;
    if (!std::getline(std::cin, line) || line.empty()) return;
    TokenIds ids = t.encode_ordinary((decoder.length() > 0 ? "\n" : "") + line);
    if (unfed) ids.insert(ids.begin(), *unfed);
    for (TokenId id : ids) logits = decoder.length() == 0 ? decoder.prefill(std::span(&id, 1)) : decoder.advance(id);
    Utf8Stream screen;
    const Generation g = continue_generation(decoder, logits, options, rng, [&](TokenId id) {
      fmt::print("{}", screen.push(t.decode_bytes(std::vector<TokenId>{id})));
      std::fflush(stdout);
    });
    unfed = g.ids.empty() ? std::nullopt : std::optional<TokenId>(g.ids.back());
    fmt::print("{}\n[{} tokens in the cache]\n", screen.flush(), decoder.length());
  }
}

void run_generate(const GenerateFlags& f) {
  f.sampling.validate();
  const DecodingModel model(f.checkpoint);
  const Tokenizer t = model_tokenizer(model.config(), f.checkpoint);
  Decoder decoder = model.decoder();
  if (f.interactive) return run_interactive(decoder, t, f);
  const TokenIds prompt = t.encode_ordinary(f.prompt);
  require(!prompt.empty(), "the prompt is empty: give --prompt some text to continue");
  Rng rng(f.generation.seed);
  const GenerateOptions options{f.generation.tokens, f.sampling, t.special("<|endoftext|>")};
  Utf8Stream screen;
  if (!f.json) fmt::print("{}", screen.push(t.decode_bytes(prompt)));
  const Generation g = generate(decoder, prompt, options, rng, [&](TokenId id) {
    if (f.json) return;
    fmt::print("{}", screen.push(t.decode_bytes(std::vector<TokenId>{id})));
    std::fflush(stdout);  // each token appears as soon as it is made
  });
  if (!f.json) {
    fmt::print("{}\n", screen.flush());
    return;
  }
  nlohmann::json ids = nlohmann::json::array();
  for (TokenId id : g.ids) ids.push_back(to_int(id));
  const double tokens_per_second = g.decode_seconds > 0 ? double(g.ids.size()) / g.decode_seconds : 0.0;
  const nlohmann::json line = {{"ids", ids}, {"text", to_valid_utf8(t.decode_bytes(g.ids))},
                               {"stopped_at_end_of_text", g.stopped}, {"prefill_ms", g.prefill_seconds * 1e3},
                               {"tokens_per_second", tokens_per_second}};
  fmt::print("{}\n", line.dump());
}

struct EvalFlags {
  std::string checkpoint, input, compare;
  EvalSettings settings;  // --batch (its table: train/dataset.hpp)
  bool json = false;
};

// A quantized model is scored by the float forward over its dequantized weights (every int8 value times its
// scale): the same numbers the int8 kernel multiplies, in the batched matrix products eval needs.
// --compare REFERENCE: both models through the decoder, position by position (train/model_compare.hpp).
void run_compare(const EvalFlags& f) {
  const DecodingModel candidate(f.checkpoint), reference(f.compare);
  const Tokenizer t = model_tokenizer(candidate.config(), f.checkpoint);
  const Tokenizer t_ref = model_tokenizer(reference.config(), f.compare);
  require(tokenizer_hash(t) == tokenizer_hash(t_ref), "--compare: {} and {} use different tokenizers; compare a model "
          "with the one it was made from", f.checkpoint, f.compare);
  const TokenIds ids = t.encode_ordinary(read_file(f.input));
  Decoder a = reference.decoder(), b = candidate.decoder();
  const ModelComparison c = compare_models(a, b, ids, t);
  const double change = 100 * (c.candidate_bits_per_byte / c.reference_bits_per_byte - 1);
  if (f.json) {
    fmt::print("{}\n", nlohmann::json{{"tokens", c.tokens}, {"bits_per_byte", c.candidate_bits_per_byte},
                                      {"reference_bits_per_byte", c.reference_bits_per_byte},
                                      {"bits_per_byte_change_percent", change}, {"mean_kl", c.mean_kl},
                                      {"max_kl", c.max_kl}, {"top1_agreement", c.top1_agreement}}.dump());
    return;
  }
  fmt::print("{}: {} positions\n  bits per byte  {:.4f} (the reference {:.4f}: {:+.3f}%)\n  KL divergence  "
             "mean {:.6f} nats, worst position {:.4f}\n  top token      the same at {:.2f}% of positions\n",
             f.input, c.tokens, c.candidate_bits_per_byte, c.reference_bits_per_byte, change, c.mean_kl, c.max_kl,
             100 * c.top1_agreement);
}

void run_eval(const EvalFlags& f) {
  if (!f.compare.empty()) return run_compare(f);
  const bool quantized = !quantization_format(f.checkpoint).empty();
  Gpt model = quantized ? dequantize_gpt(load_quantized_model(f.checkpoint))
                        : load_model(f.checkpoint, GptForm::inference_only);
  const Tokenizer t = model_tokenizer(model, f.checkpoint);
  const TokenIds ids = t.encode_ordinary(read_file(f.input));
  const int T = std::min<int>(model.config().context_length, static_cast<int>(ids.size()) - 1);
  require(T >= 1, "{} is too short to score: it needs at least 2 tokens", f.input);
  const EvalResult r = evaluate(model, ids, t, f.settings.batch, T, 0);
  if (f.json) {
    fmt::print("{}\n", nlohmann::json{{"loss", r.loss}, {"bits_per_byte", r.bits_per_byte}, {"tokens", r.tokens}}.dump());
    return;
  }
  fmt::print("{}: {} tokens, loss {:.4f} nats per token, {:.4f} bits per byte{}\n", f.input, r.tokens, r.loss,
             r.bits_per_byte, quantized ? " (q8_0 weights)" : "");
}

struct ExportFlags {
  std::string checkpoint, hf;
  bool merge_lora = false;
};

// A LoRA run's checkpoint holds the adapter only: exporting it is merging it into its base (gpt/lora.hpp),
// which --merge-lora asks for by name, so nobody takes a merged folder for the adapter or the other way round.
void run_export(const ExportFlags& f) {
  const bool lora = is_lora_folder(f.checkpoint);
  require(lora || !f.merge_lora, "--merge-lora: {} is not a LoRA run or adapter (its config.json names no base "
          "model); drop --merge-lora to export it as it is", f.checkpoint);
  require(!lora || f.merge_lora, "{} is a LoRA adapter (its base model is not in it): give --merge-lora to write "
          "the base model with the adapter merged in", f.checkpoint);
  const Gpt model = load_model(f.checkpoint, GptForm::inference_only);  // a LoRA folder: base + adapter, merged
  save_model(model, f.hf, read_model_info(f.checkpoint));
  fmt::print("wrote {0}/config.json and {0}/model.safetensors ({1} parameters, Hugging Face GPT-2 layout{2})\n",
             f.hf, gpt_parameter_count(model.config()), lora ? ", the LoRA adapter merged into its base" : "");
}

}  // namespace

static CommandRegistrar reg(40, [](CLI::App& app) {
  auto gen = std::make_shared<GenerateFlags>();
  auto* gen_cmd = app.add_subcommand("generate", "Continue a prompt with a trained GPT or a Hugging Face GPT-2 folder");
  gen_cmd->add_option("--checkpoint", gen->checkpoint,
                      "a training run's folder, a model folder, a Hugging Face GPT-2 folder (config.json + "
                      "model.safetensors), or a quantized one (minillm quantize)")->required();
  gen_cmd->add_option("--prompt", gen->prompt, "text to continue");
  auto settings = std::make_shared<ConfigFlags<GenerateFlags>>();  // the tables' flags, with their defaults
  add_config_flags<GenerationSettings, GenerateFlags>(*gen_cmd, settings,
                                                      [](GenerateFlags& f) -> GenerationSettings& { return f.generation; });
  add_config_flags<SamplingOptions, GenerateFlags>(*gen_cmd, settings,
                                                   [](GenerateFlags& f) -> SamplingOptions& { return f.sampling; });
  gen_cmd->add_flag("--json", gen->json, "print one JSON line: ids, text, prefill_ms, tokens_per_second");
  gen_cmd->add_flag("--interactive", gen->interactive,
                    "a prompt loop: each line you type continues the conversation, keeping the KV cache");
  gen_cmd->callback([gen, settings] {
    settings->apply(*gen);
    run_generate(*gen);
  });

  auto ev = std::make_shared<EvalFlags>();
  auto* eval_cmd = app.add_subcommand("eval", "Loss and bits per byte of a trained GPT on a text file");
  eval_cmd->add_option("--checkpoint", ev->checkpoint, "a training run's folder, a model folder, a Hugging Face "
                       "GPT-2 folder or a quantized one")->required();
  eval_cmd->add_option("--input", ev->input, "text file to score")->required();
  auto eval_settings = std::make_shared<ConfigFlags<EvalFlags>>();
  add_config_flags<EvalSettings, EvalFlags>(*eval_cmd, eval_settings,
                                            [](EvalFlags& f) -> EvalSettings& { return f.settings; });
  eval_cmd->add_option("--compare", ev->compare, "a reference model (the float one a quantized --checkpoint was made "
                       "from): run both through the decoder and report bits per byte, the mean KL divergence of the "
                       "next-token distributions and how often the top tokens agree");
  eval_cmd->add_flag("--json", ev->json, "print one JSON line: loss, bits_per_byte, tokens");
  eval_cmd->callback([ev, eval_settings] {
    eval_settings->apply(*ev);
    run_eval(*ev);
  });

  auto ex = std::make_shared<ExportFlags>();
  auto* export_cmd = app.add_subcommand("export", "Write a run's model as a Hugging Face GPT-2 folder");
  export_cmd->add_option("--checkpoint", ex->checkpoint, "a training run's folder or a model folder")->required();
  export_cmd->add_option("--hf", ex->hf, "the folder to write config.json and model.safetensors into")->required();
  export_cmd->add_flag("--merge-lora", ex->merge_lora, "for a LoRA run: write its base model with the adapter merged "
                       "into the weights (W + alpha/R · B·A)");
  export_cmd->callback([ex] { run_export(*ex); });
});

}  // namespace minillm::cli
