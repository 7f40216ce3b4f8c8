#include "train/init_from.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"
#include "gpt/model_files.hpp"
#include "io/safetensors_reader.hpp"
#include "train/dataset.hpp"

namespace minillm {

namespace fs = std::filesystem;

InitSource open_init_source(const std::string& dir) {
  try {
    fs::path path = dir;
    if (path.filename() == "latest" && fs::is_regular_file(path)) path = path.parent_path();  // RUN/latest
    require(fs::exists(path), "'{}' does not exist: give a Hugging Face GPT-2 folder (config.json and "
            "model.safetensors) or a minillm run's folder", dir);
    InitSource source;
    source.model_dir = find_model_dir(path);
    require(fs::exists(source.model_dir / "model.safetensors"),
            "{} has a config.json but no model.safetensors (the weights): copy both files of the model there",
            source.model_dir.string());
    source.model = read_model_config(source.model_dir);
    SafetensorsReader weights(source.model_dir / "model.safetensors");  // a damaged header fails now, not later
    source.tokenizer = model_tokenizer_name(source.model_dir, source.model);
    source.description = fs::exists(source.model_dir / "state.json") ? "the minillm checkpoint"
                                                                     : "the Hugging Face GPT-2 folder";
    return source;
  } catch (const Error& e) {
    fail("--init-from: {}", e.what());
  }
}

// lesson: fine_tuning_defaults
int fine_tuning_batch(int context) { return std::clamp(4096 / std::max(context, 1), 1, 16); }

void apply_fine_tuning_defaults(TrainConfig& config, const InitSource& source) {
  config.model = source.model;
  if (!source.tokenizer.empty()) config.tokenizer = source.tokenizer;
  config.batch = fine_tuning_batch(source.model.context_length);
  config.lr = 1e-4f;
  config.min_lr = 1e-5f;
  config.warmup = 10;
  config.out_dir = "data/out/finetune";
}
// end lesson: fine_tuning_defaults

namespace {

// The source's tokenizer, or the user's when it has the same merges, specials and pattern (a path written
// another way, or a copy of the file), or when the one the source names cannot be opened here (a relative
// path from another folder): then only its vocabulary size can be checked.
void check_init_tokenizer(const InitSource& source, const TrainConfig& config, const Tokenizer& tokenizer) {
  const std::string dir = source.model_dir.string();
  if (!source.tokenizer.empty() && config.tokenizer != source.tokenizer) {
    bool same = true;
    try {
      same = tokenizer_hash(Tokenizer::open(source.tokenizer)) == tokenizer_hash(tokenizer);
    } catch (const Error&) {
      same = true;  // nothing to compare with; the vocabulary size is checked below
    }
    require(same, "--tokenizer {} is not the tokenizer the model in {} was trained with ({}): a fine-tuned model "
            "keeps its token ids; drop --tokenizer", config.tokenizer, dir, source.tokenizer);
  }
  if (tokenizer.vocab_size() == source.model.vocab_size) return;
  if (source.tokenizer.empty())
    fail("{}/config.json names no tokenizer ('minillm_tokenizer') and its vocabulary of {} is not GPT-2's: give "
         "the tokenizer the model was trained with (--tokenizer; '{}' has {} tokens)", dir, source.model.vocab_size,
         config.tokenizer, tokenizer.vocab_size());
  fail("the tokenizer {} has {} tokens but the model in {} has a vocabulary of {}", config.tokenizer,
       tokenizer.vocab_size(), dir, source.model.vocab_size);
}

// True when `inner` is `outer` or inside it.
bool is_within(const fs::path& inner, const fs::path& outer) {
  const fs::path relative = fs::weakly_canonical(inner).lexically_relative(fs::weakly_canonical(outer));
  return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

void check_init_config(const InitSource& source, const TrainConfig& config, const Tokenizer& tokenizer) {
  const std::string dir = source.model_dir.string();
  for (const ConfigField<GptConfig>& f : GptConfig::fields()) {
    const std::string key = f.key;
    if (key == "vocab_size" || key == "context_length") continue;  // the tokenizer's; may be cropped (below)
    const std::string theirs = field_text(f, source.model), yours = field_text(f, config.model);
    const std::string name = std::string(f.flag).empty() ? fmt::format("'{}'", key) : std::string(f.flag);
    require(theirs == yours, "{} {} differs from the model in {}, which has {} ({} in its config.json): "
            "fine-tuning keeps the shape of the model it starts from; drop {}", name, yours, dir, theirs, key, name);
  }
  require(config.model.context_length <= source.model.context_length,
          "--context {} is longer than the {} positions the model in {} has learned (n_positions in its config.json): "
          "fine-tuning may crop the context (a smaller --context keeps wpe's first rows) but not extend it",
          config.model.context_length, source.model.context_length, dir);
  check_init_tokenizer(source, config, tokenizer);
  require(!is_within(source.model_dir, config.out_dir),
          "--out {} holds the model --init-from starts from ({}), and a new run clears its folder: write the "
          "fine-tuned run to another folder (--out)", config.out_dir, dir);
}

void load_init_parameters(const InitSource& source, Gpt& model) {
  load_model_parameters(source.model_dir, model, /*crop_context=*/true);
}

}  // namespace minillm
