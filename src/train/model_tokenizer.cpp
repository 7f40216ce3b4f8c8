#include "train/model_tokenizer.hpp"

#include "core/error.hpp"
#include "gpt/model_files.hpp"

namespace minillm {

namespace {
constexpr int kGpt2Vocabulary = 50257;
}  // namespace

Tokenizer model_tokenizer(const Gpt& model, const std::filesystem::path& dir) {
  std::string name = read_model_info(dir).tokenizer;
  if (name.empty() && model.config().vocab_size == kGpt2Vocabulary) name = "gpt2";
  require(!name.empty(), "{}: config.json does not say which tokenizer the model uses (no 'minillm_tokenizer') "
          "and its vocabulary ({}) is not GPT-2's", dir.string(), model.config().vocab_size);
  const Tokenizer t = Tokenizer::open(name);
  require(t.vocab_size() == model.config().vocab_size, "the tokenizer {} has {} tokens but the model expects {}",
          name, t.vocab_size(), model.config().vocab_size);
  return t;
}

}  // namespace minillm
