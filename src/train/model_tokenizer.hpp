#pragma once
// The tokenizer a model folder was trained with: what its config.json names ("minillm_tokenizer"), or, for a
// Hugging Face download that names none, tiktoken's gpt2 when the vocabulary is GPT-2's 50,257 tokens.
// Used by everything that feeds text to a trained model (`minillm generate`, `eval`, GPT-state search).
#include <filesystem>

#include "gpt/gpt.hpp"
#include "tokenizer/tokenizer.hpp"

namespace minillm {

// Error when config.json names no tokenizer (and the vocabulary is not GPT-2's), or when the tokenizer's
// vocabulary differs from the model's.
Tokenizer model_tokenizer(const Gpt& model, const std::filesystem::path& dir);
Tokenizer model_tokenizer(const GptConfig& config, const std::filesystem::path& dir);  // (a quantized model's)

}  // namespace minillm
