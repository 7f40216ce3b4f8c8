#include "search/gpt_embedder.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "core/error.hpp"
#include "gpt/model_files.hpp"
#include "search/index_file.hpp"
#include "train/dataset.hpp"
#include "train/model_tokenizer.hpp"

namespace minillm::search {

namespace fs = std::filesystem;

namespace {

// One forward pass's worth of a text: tokens [start, start + length) of text number `text`.
struct Window {
  size_t text;
  int64_t start;
  int length;
};

// Windows of at most `context` tokens covering every text's tokens, longest first, so that the windows of one
// batch have nearly the same length and little of it is padding.
std::vector<Window> windows_of(const std::vector<TokenIds>& ids, int context) {
  std::vector<Window> out;
  for (size_t i = 0; i < ids.size(); ++i)
    for (int64_t start = 0; start < int64_t(ids[i].size()); start += context)
      out.push_back({i, start, int(std::min<int64_t>(context, int64_t(ids[i].size()) - start))});
  std::stable_sort(out.begin(), out.end(), [](const Window& a, const Window& b) { return a.length > b.length; });
  return out;
}

// A batch's sequence length: its longest window rounded up to a multiple of 16 (at most the context), so
// that consecutive batches mostly share one shape and the model need not reallocate its activations.
int batch_length(int longest, int context) { return std::min(context, (longest + 15) / 16 * 16); }

// Windows per forward pass: about 2048 tokens, fewer when the vocabulary is large (the forward pass fills
// logits and probabilities of [B*T, V] floats each, even though pooling reads only ln_f).
int windows_per_batch(const GptConfig& config, int T) {
  constexpr int64_t kBatchTokens = 2048, kMaxLogits = int64_t(1) << 25;  // 32M floats: 128 MB per buffer
  const int64_t by_tokens = kBatchTokens / T, by_logits = kMaxLogits / (int64_t(T) * config.vocab_size);
  return int(std::max<int64_t>(1, std::min(by_tokens, by_logits)));
}

}  // namespace

void add_rows(const float* rows, int64_t count, int dim, double* sum) {
  for (int64_t r = 0; r < count; ++r)
    for (int j = 0; j < dim; ++j) sum[j] += rows[r * dim + j];
}

void mean_to_unit(const double* sum, int64_t count, int dim, float* out) {
  double length = 0;
  for (int j = 0; j < dim; ++j) length += sum[j] * sum[j];
  length = std::sqrt(length);
  // Dividing by count and then by the mean's length is dividing by the sum's length: the direction is
  // all that cosine similarity looks at.
  for (int j = 0; j < dim; ++j) out[j] = count > 0 && length > 0 ? static_cast<float>(sum[j] / length) : 0.0f;
}

GptEmbedder::GptEmbedder(Gpt model, Tokenizer tokenizer, CheckpointRef ref)
    : model_(std::move(model)), tokenizer_(std::move(tokenizer)), ref_(std::move(ref)) {
  require(tokenizer_.vocab_size() == model_.config().vocab_size,
          "GPT embedder: the tokenizer has {} tokens but the model expects {}", tokenizer_.vocab_size(),
          model_.config().vocab_size);
}

GptEmbedder GptEmbedder::open(const fs::path& checkpoint) {
  const fs::path dir = find_model_dir(checkpoint);
  Gpt model = load_model(dir, GptForm::inference_only);
  Tokenizer tokenizer = model_tokenizer(model, dir);
  CheckpointRef ref{fs::absolute(checkpoint).lexically_normal().string(), file_hash(dir / "model.safetensors"),
                    tokenizer_hash(tokenizer)};
  return GptEmbedder(std::move(model), std::move(tokenizer), std::move(ref));
}

GptEmbedder GptEmbedder::open_recorded(const CheckpointRef& ref, const std::string& index_name, const fs::path& path) {
  const fs::path where = path.empty() ? fs::path(ref.path) : path;
  const std::string what_to_do = fmt::format(
      "point to the checkpoint the index was built with (`minillm index query {} --checkpoint DIR ...`) or rebuild "
      "the index (`minillm index build --input TEXT --checkpoint {} --out {}`)", index_name, where.string(), index_name);
  require(fs::exists(where), "{}: its checkpoint {} is missing: {}", index_name, where.string(), what_to_do);
  const fs::path dir = find_model_dir(where);
  const uint64_t model_hash = file_hash(dir / "model.safetensors");
  require(model_hash == ref.model_hash,
          "{}: the checkpoint {} has changed since the index was built (model.safetensors hash {:016x}, the index's "
          "{:016x}), so queries would not be embedded like its passages: {}", index_name, where.string(), model_hash,
          ref.model_hash, what_to_do);
  Gpt model = load_model(dir, GptForm::inference_only);
  Tokenizer tokenizer = model_tokenizer(model, dir);
  const uint64_t tokens_hash = tokenizer_hash(tokenizer);
  require(tokens_hash == ref.tokenizer_hash,
          "{}: the tokenizer of checkpoint {} has changed since the index was built (hash {:016x}, the index's "
          "{:016x}): {}", index_name, where.string(), tokens_hash, ref.tokenizer_hash, what_to_do);
  CheckpointRef found = ref;
  found.path = fs::absolute(where).lexically_normal().string();
  return GptEmbedder(std::move(model), std::move(tokenizer), std::move(found));
}

int64_t GptEmbedder::embed(std::string_view text, float* out) {
  std::vector<int64_t> tokens;
  const std::vector<float> row = embed_all({std::string(text)}, &tokens);
  std::copy(row.begin(), row.end(), out);
  return tokens[0];
}

// lesson: gpt_embed_all
std::vector<float> GptEmbedder::embed_all(const std::vector<std::string>& texts, std::vector<int64_t>* tokens,
                                          ui::ProgressBar* progress) {
  const int C = dim(), context = model_.config().context_length;
  std::vector<TokenIds> ids;
  for (const std::string& text : texts) ids.push_back(tokenizer_.encode_ordinary(text));
  const std::vector<Window> windows = windows_of(ids, context);
  std::vector<double> sums(texts.size() * size_t(C), 0.0);
  std::vector<int64_t> pooled(texts.size(), 0);  // tokens added so far, per text
  if (progress != nullptr)
    for (const TokenIds& t : ids)
      if (t.empty()) progress->advance();  // nothing to run for an empty text
  TokenIds batch;
  for (size_t first = 0; first < windows.size();) {
    const int T = batch_length(windows[first].length, context);  // windows are sorted longest first
    const size_t B = std::min(windows.size() - first, size_t(windows_per_batch(model_.config(), T)));
    batch.assign(B * size_t(T), token_id(0));
    for (size_t b = 0; b < B; ++b) {
      const Window& w = windows[first + b];
      const auto source = ids[w.text].begin() + w.start;
      std::copy(source, source + w.length, batch.begin() + ptrdiff_t(b * T));
      // Padding after the real tokens (a copy of the last one): causal attention keeps it out of their rows.
      std::fill(batch.begin() + ptrdiff_t(b * T) + w.length, batch.begin() + ptrdiff_t((b + 1) * T), source[w.length - 1]);
    }
    model_.forward(batch, int(B), T);
    const float* hidden = model_.final_hidden();  // [B, T, C]
    for (size_t b = 0; b < B; ++b) {
      const Window& w = windows[first + b];
      add_rows(hidden + b * size_t(T) * size_t(C), w.length, C, sums.data() + w.text * size_t(C));
      pooled[w.text] += w.length;
      if (progress != nullptr && pooled[w.text] == int64_t(ids[w.text].size())) progress->advance();
    }
    first += B;
  }
  std::vector<float> rows(texts.size() * size_t(C));
  for (size_t i = 0; i < texts.size(); ++i)
    mean_to_unit(sums.data() + i * size_t(C), int64_t(ids[i].size()), C, rows.data() + i * size_t(C));
  if (tokens != nullptr) {
    tokens->clear();
    for (const TokenIds& t : ids) tokens->push_back(int64_t(t.size()));
  }
  return rows;
}
// end lesson: gpt_embed_all

}  // namespace minillm::search
