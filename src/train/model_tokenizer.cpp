#include "train/model_tokenizer.hpp"

#include "core/error.hpp"
#include "gpt/model_files.hpp"

namespace minillm {

Tokenizer model_tokenizer(const Gpt& model, const std::filesystem::path& dir) {
  return model_tokenizer(model.config(), dir);
}

Tokenizer model_tokenizer(const GptConfig& config, const std::filesystem::path& dir) {
  const std::string name = model_tokenizer_name(dir, config);
  require(!name.empty(), "{}: config.json does not say which tokenizer the model uses (no 'minillm_tokenizer') "
          "and its vocabulary ({}) is not GPT-2's", dir.string(), config.vocab_size);
  const Tokenizer t = Tokenizer::open(name);
  require(t.vocab_size() == config.vocab_size, "the tokenizer {} has {} tokens but the model expects {}",
          name, t.vocab_size(), config.vocab_size);
  return t;
}

}  // namespace minillm
