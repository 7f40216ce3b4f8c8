// `minillm quantize`: a float model (a training run, a model folder or a Hugging Face GPT-2 folder) written
// as Q8_0, int8 weights in blocks of 32 with one fp16 scale each (chapter 10). `generate` and `eval` read the
// result like any model folder.
#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/command_registry.hpp"
#include "core/error.hpp"
#include "gpt/model_files.hpp"
#include "gpt/quantized_model.hpp"
#include "search/gpt_embedder.hpp"  // file_hash: the model-file hash indexes record too

namespace minillm::cli {

namespace {

namespace fs = std::filesystem;

struct QuantizeFlags {
  std::string checkpoint, out, format = "q8_0";
};

// Every check comes before the first byte is written: a refused quantization leaves --out as it was.
void run_quantize(const QuantizeFlags& f) {
  require(f.format == "q8_0", "unknown --format '{}': minillm quantizes to q8_0 (blocks of 32 int8 values with one "
          "fp16 scale each)", f.format);
  const fs::path source = find_model_dir(f.checkpoint);
  require(quantization_format(source).empty(), "'{}' is already quantized ({}): quantize the float model it was made "
          "from", source.string(), quantization_format(source));
  require(!fs::exists(f.out) || !fs::equivalent(f.out, source),
          "--out '{}' is the float model's own folder: writing there would replace the model; choose another folder",
          f.out);
  const Gpt model = load_model(source, GptForm::inference_only);
  const QuantizedGpt q = quantize_gpt(model);  // Errors (a row length not a multiple of 32) before writing
  const fs::path weights = source / "model.safetensors";
  const QuantizationSource from{fs::absolute(source).lexically_normal().string(), search::file_hash(weights)};
  save_quantized_model(q, f.out, read_model_info(source), from);
  const double bytes = double(fs::file_size(fs::path(f.out) / "model.safetensors"));
  const double float_bytes = double(fs::file_size(weights));
  const auto size = [](double b) { return b < 1e6 ? fmt::format("{:.1f} kB", b / 1e3) : fmt::format("{:.1f} MB", b / 1e6); };
  fmt::print("wrote {0}/config.json and {0}/model.safetensors: q8_0, {1} (the float model: {2}, {3:.1f}x smaller)\n",
             f.out, size(bytes), size(float_bytes), float_bytes / bytes);
}

}  // namespace

static CommandRegistrar reg(45, [](CLI::App& app) {
  auto flags = std::make_shared<QuantizeFlags>();
  auto* cmd = app.add_subcommand("quantize", "Write a model with int8 weights (Q8_0) for faster generation");
  cmd->add_option("--checkpoint", flags->checkpoint, "a training run's folder, a model folder or a Hugging Face GPT-2 "
                  "folder")->required();
  cmd->add_option("--out", flags->out, "the folder to write the quantized config.json and model.safetensors into")
      ->required();
  cmd->add_option("--format", flags->format, "q8_0 (the default and only one): 32 int8 weights and one fp16 scale "
                  "a block");
  cmd->callback([flags] { run_quantize(*flags); });
});

}  // namespace minillm::cli
