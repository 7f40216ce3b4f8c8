// Tokenizer benchmark, driven by tests/bench/tokenizer.sh, which runs the peers (tiktoken from npm,
// SentencePiece's spm_train) on the same files in the same run and prints the ratios.
//
//   bench_tokenizer encode FILE ENCODING IDS_OUT   encode FILE (best of 3, one thread); write the ids, one
//                                                   per line, so the script can check they equal tiktoken's
//   bench_tokenizer train FILE VOCAB_SIZE          train a BPE vocabulary on FILE (one run)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/core.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "tokenizer/train_bpe.hpp"

using namespace minillm;

namespace {
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int encode(const std::string& file, const std::string& encoding, const std::string& ids_out) {
  const std::string text = read_file(file);
  const Tokenizer tokenizer = Tokenizer::from_tiktoken(encoding);
  TokenIds ids;
  double best = 1e30;
  for (int run = 0; run < 3; ++run) {
    const auto start = std::chrono::steady_clock::now();
    ids = tokenizer.encode_ordinary(text);
    best = std::min(best, seconds_since(start));
  }
  std::string lines;
  for (TokenId id : ids) lines += std::to_string(to_int(id)) + "\n";
  write_file_atomically(ids_out, lines);
  fmt::print("minillm encode {}: {:.2f} MB/s ({} bytes -> {} ids, best of 3: {:.3f} s)\n", encoding,
             text.size() / best / 1e6, text.size(), ids.size(), best);
  fmt::print("mbps {:.4f}\n", text.size() / best / 1e6);
  return 0;
}

int train(const std::string& file, int vocab_size) {
  const std::string text = read_file(file);
  BpeTrainOptions options;
  options.vocab_size = vocab_size;
  options.special_tokens = {};
  const auto start = std::chrono::steady_clock::now();
  const BpeTrainResult result = train_bpe(text, options);
  const double elapsed = seconds_since(start);
  const TokenIds ids = result.tokenizer.encode_ordinary(text);
  fmt::print("minillm train: vocab {} on {} bytes ({} unique words) in {:.3f} s; {:.2f} bytes/token\n",
             result.tokenizer.vocab_size(), text.size(), result.unique_words, elapsed,
             static_cast<double>(text.size()) / ids.size());
  fmt::print("seconds {:.4f}\n", elapsed);
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "encode" && argc == 5) return encode(argv[2], argv[3], argv[4]);
    if (mode == "train" && argc == 4) return train(argv[2], std::atoi(argv[3]));
    fmt::print(stderr, "usage: bench_tokenizer encode FILE ENCODING IDS_OUT | train FILE VOCAB_SIZE\n");
    return 2;
  } catch (const Error& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}
