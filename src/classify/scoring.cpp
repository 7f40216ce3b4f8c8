#include "classify/scoring.hpp"

#include <algorithm>
#include <numeric>

namespace minillm {

TokenIds first_tokens(const Tokenizer& tokenizer, std::string_view text, int context) {
  size_t prefix = static_cast<size_t>(context) * 8 + 64;
  while (true) {
    const bool whole = prefix >= text.size();
    TokenIds ids = tokenizer.encode_ordinary(whole ? text : text.substr(0, prefix));
    if (whole || static_cast<int>(ids.size()) > context) {
      if (static_cast<int>(ids.size()) > context) ids.resize(static_cast<size_t>(context));
      return ids;
    }
    prefix *= 2;  // a prefix of few tokens (long ones): take more of the text
  }
}

std::vector<TokenIds> encode_texts(const Tokenizer& tokenizer, const std::vector<std::string>& texts, int context) {
  std::vector<TokenIds> out(texts.size());
#pragma omp parallel for schedule(dynamic, 16)
  for (size_t i = 0; i < texts.size(); ++i) out[i] = first_tokens(tokenizer, texts[i], context);
  return out;
}

std::vector<float> predict_probabilities(Classifier& classifier, const std::vector<TokenIds>& texts, int batch,
                                         ui::ProgressBar* progress) {
  const int K = classifier.classes();
  std::vector<size_t> order(texts.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return texts[a].size() < texts[b].size(); });
  std::vector<float> probs(texts.size() * static_cast<size_t>(K));
  for (size_t start = 0; start < order.size(); start += static_cast<size_t>(batch)) {
    const size_t end = std::min(order.size(), start + static_cast<size_t>(batch));
    std::vector<const TokenIds*> rows;
    for (size_t i = start; i < end; ++i) rows.push_back(&texts[order[i]]);
    classifier.forward(pad_batch(rows));
    for (size_t i = start; i < end; ++i)
      std::copy_n(classifier.probs() + (i - start) * K, K, probs.begin() + static_cast<ptrdiff_t>(order[i] * K));
    if (progress != nullptr) progress->advance(static_cast<double>(end - start));
  }
  return probs;
}

std::vector<int> argmax_rows(const std::vector<float>& probs, int K) {
  std::vector<int> out(probs.size() / static_cast<size_t>(K));
  for (size_t i = 0; i < out.size(); ++i) {
    const auto row = probs.begin() + static_cast<ptrdiff_t>(i * K);
    out[i] = static_cast<int>(std::max_element(row, row + K) - row);
  }
  return out;
}

}  // namespace minillm
