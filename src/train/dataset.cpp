#include "train/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fmt/format.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

namespace minillm {

uint64_t fnv1a(std::string_view bytes, uint64_t h) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

uint64_t tokenizer_hash(const Tokenizer& tokenizer) {
  uint64_t h = fnv1a(tokenizer.pattern());
  for (const auto& [left, right] : tokenizer.merges()) {
    const int32_t pair[2] = {to_int(left), to_int(right)};
    h = fnv1a({reinterpret_cast<const char*>(pair), sizeof pair}, h);
  }
  for (int id = 0; id < tokenizer.vocab_size(); ++id) h = fnv1a(tokenizer.token_bytes(token_id(id)), h);
  return h;
}

TokenIds tokenize_cached(const std::string& text, const Tokenizer& tokenizer, const std::filesystem::path& cache_dir) {
  std::filesystem::path cache;
  if (!cache_dir.empty()) {
    cache = cache_dir / fmt::format("{:016x}-{:016x}.ids", fnv1a(text), tokenizer_hash(tokenizer));
    if (std::filesystem::exists(cache)) {
      const std::string bytes = read_file(cache);
      if (bytes.size() % sizeof(int32_t) == 0) {
        TokenIds ids(bytes.size() / sizeof(int32_t));
        std::memcpy(ids.data(), bytes.data(), bytes.size());
        return ids;
      }  // a damaged cache is simply rebuilt
    }
  }
  TokenIds ids = tokenizer.encode_ordinary(text);
  if (!cache.empty())
    write_file_atomically(cache, std::string_view(reinterpret_cast<const char*>(ids.data()), ids.size() * sizeof(TokenId)));
  return ids;
}

TokenSplit split_train_val(const TokenIds& ids, double val_fraction, int T) {
  require(val_fraction > 0 && val_fraction < 1, "validation fraction must be in (0, 1), got {}", val_fraction);
  const auto n = static_cast<int64_t>(ids.size());
  const auto n_val = static_cast<int64_t>(std::floor(double(n) * val_fraction));
  const int64_t n_train = n - n_val;
  require(n_val >= T + 1 && n_train >= T + 1,
          "the text has {} tokens: too few for a {}/{} train/validation split with windows of {} tokens; use a "
          "longer text (at least {} tokens) or a shorter --context",
          n, n_train, n_val, T + 1, static_cast<int64_t>(std::ceil((T + 1) / std::min(val_fraction, 1 - val_fraction))));
  return {TokenIds(ids.begin(), ids.begin() + n_train), TokenIds(ids.begin() + n_train, ids.end())};
}

// lesson: sample_batch
void sample_batch(const TokenIds& ids, int B, int T, Rng& rng, TokenIds& inputs, TokenIds& targets) {
  require(static_cast<int64_t>(ids.size()) >= T + 1, "sample_batch: {} ids cannot hold a window of {}", ids.size(),
          T + 1);
  inputs.resize(static_cast<size_t>(B) * T);
  targets.resize(static_cast<size_t>(B) * T);
  const uint64_t starts = ids.size() - static_cast<size_t>(T);  // windows [o, o+T] fit for o < starts
  for (int b = 0; b < B; ++b) {
    const size_t o = rng.below(starts);
    std::copy_n(ids.begin() + static_cast<std::ptrdiff_t>(o), T, inputs.begin() + static_cast<std::ptrdiff_t>(b) * T);
    std::copy_n(ids.begin() + static_cast<std::ptrdiff_t>(o) + 1, T, targets.begin() + static_cast<std::ptrdiff_t>(b) * T);
  }
}
// end lesson: sample_batch

EvalResult evaluate(Gpt& model, const TokenIds& ids, const Tokenizer& tokenizer, int B, int T, int max_batches) {
  require(B >= 1 && T >= 1, "evaluate: batch {} and context {} must be at least 1", B, T);
  require(ids.size() >= 2, "evaluate: {} token(s) leave nothing to predict; the text needs at least 2 tokens",
          ids.size());
  const int64_t predictions = static_cast<int64_t>(ids.size()) - 1;  // every id after the first is a target
  const int64_t windows = predictions / T;                           // whole windows of T
  int64_t batches = (windows + B - 1) / B;
  const bool everything = max_batches <= 0 || batches <= max_batches;
  if (!everything) batches = max_batches;

  double nats = 0, bytes = 0;
  int64_t tokens = 0;
  TokenIds inputs, targets;
  // Scores `count` consecutive windows of `length` ids, the first starting at ids[first].
  const auto score = [&](size_t first, int count, int length) {
    inputs.clear();
    targets.clear();
    for (int b = 0; b < count; ++b) {
      const auto o = static_cast<std::ptrdiff_t>(first + static_cast<size_t>(b) * length);
      inputs.insert(inputs.end(), ids.begin() + o, ids.begin() + o + length);
      targets.insert(targets.end(), ids.begin() + o + 1, ids.begin() + o + length + 1);
    }
    model.forward(inputs, targets, count, length);
    const float* losses = model.losses();
    for (size_t n = 0; n < targets.size(); ++n) {
      nats += losses[n];
      bytes += static_cast<double>(tokenizer.token_bytes(targets[n]).size());
    }
    tokens += static_cast<int64_t>(targets.size());
  };
  // Each window once: the last batch holds the windows that are left (it may be smaller than B), and when
  // the whole text is scored, the ids after the last whole window form one shorter window.
  for (int64_t batch = 0; batch < batches; ++batch) {
    const int count = static_cast<int>(std::min<int64_t>(B, windows - batch * B));
    score(static_cast<size_t>(batch * B * T), count, T);
  }
  const int tail = static_cast<int>(predictions - windows * T);
  if (everything && tail > 0) score(static_cast<size_t>(windows * T), 1, tail);

  EvalResult r;
  r.loss = nats / double(tokens);
  r.bits_per_byte = bytes > 0 ? nats / (std::log(2.0) * bytes) : 0.0;
  r.tokens = tokens;
  return r;
}

}  // namespace minillm
