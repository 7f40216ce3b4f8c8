#pragma once
// Texts to a classifier's inputs and its predictions: the truncation rule and batched scoring.
//
// Truncation: a text keeps its FIRST `context` tokens. The start of an email (its subject line and opening)
// says most about what it is, and under causal attention the last kept token has seen all of them.
#include <string>
#include <string_view>
#include <vector>

#include "classify/classifier.hpp"
#include "tokenizer/tokenizer.hpp"
#include "ui/progress.hpp"

namespace minillm {

// The first `context` tokens of text (special-token text is ordinary text here). Only a prefix of a long text
// is tokenized: enough bytes for context + 1 tokens, so the last kept token is not cut by the prefix's end.
TokenIds first_tokens(const Tokenizer& tokenizer, std::string_view text, int context);
std::vector<TokenIds> encode_texts(const Tokenizer& tokenizer, const std::vector<std::string>& texts, int context);

// Class probabilities [texts.size() * K] of every text, `batch` texts per forward pass (texts of similar length
// batched together, so little is padding). `progress`, if given, advances one per text.
std::vector<float> predict_probabilities(Classifier& classifier, const std::vector<TokenIds>& texts, int batch,
                                         ui::ProgressBar* progress = nullptr);
// The most probable class of each row of probs[n,K].
std::vector<int> argmax_rows(const std::vector<float>& probs, int K);

}  // namespace minillm
