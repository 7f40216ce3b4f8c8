// Chapter 01 demo: teach a computer to read in chunks. Trains a byte-level BPE tokenizer on Moby Dick,
// shows the first merges it learns, how much shorter the text gets as the vocabulary grows, and what
// GPT-2's tokenizer makes of the same text.
//
//   ch01_demo                    train on Moby Dick (after ./run fetch) with a 4096-token vocabulary
//   ch01_demo --vocab-size 1024  another vocabulary size (257 .. 65536)
//   ch01_demo --input FILE       train on your own text
//   ch01_demo --smoke            the project's own small texts and 512 tokens: a second or so (used by tests)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/data_dir.hpp"
#include "tokenizer/train_bpe.hpp"
#include "tokenizer/utf8.hpp"
#include "ui/progress.hpp"
#include "bytes_per_token_chart.hpp"
#include "ui/usage.hpp"

namespace {

using namespace minillm;

struct Options {
  int vocab_size = 4096;
  std::string input;  // empty: Moby Dick if fetched, else the project's texts
  bool smoke = false;
};

Options parse_options(int argc, char** argv) {
  Options options;
  ui::DemoOptions parser;
  parser.number("--vocab-size", options.vocab_size, 257, 65536,
                "a whole number from 257 (256 bytes + <|endoftext|>) to 65536, e.g. 1024")
      .value("--input", options.input, "book.txt")
      .flag("--smoke", options.smoke)
      .parse(argc, argv);
  if (options.smoke && !parser.given("--vocab-size")) options.vocab_size = 512;
  return options;
}

// Shows a token's bytes readably: spaces as '·', newlines as "\n", and a byte that is not a whole UTF-8
// character as hex, e.g. <E2> (a curly quote is E2 80 9C: BPE often merges such byte pairs first).
std::string show(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size();) {
    const int length = utf8_char_length(bytes.substr(i));
    if (length == 0) {
      out += fmt::format("<{:02X}>", static_cast<unsigned char>(bytes[i]));
      i += 1;
      continue;
    }
    const char c = bytes[i];
    if (c == ' ') out += "\xC2\xB7";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else out.append(bytes.substr(i, length));
    i += length;
  }
  return out;
}

std::string in_quotes(std::string_view bytes) { return fmt::format("\"{}\"", show(bytes)); }

std::string load_corpus(const Options& options) {
  if (!options.input.empty()) {
    fmt::print("Training text: {}\n", options.input);
    return read_file(options.input);
  }
  const auto moby = data_dir() / "cache" / "moby_dick.txt";
  if (!options.smoke && std::filesystem::exists(moby)) {
    fmt::print("Training text: Moby Dick ({}).\n", moby.string());
    return read_file(moby);
  }
  if (!options.smoke) fmt::print("Moby Dick is not downloaded (run ./run fetch for it): ");
  fmt::print("Training text: the project's own small texts in data/text/ (a few kilobytes, so expect few merges).\n");
  std::string text;
  for (const char* name : {"how_models_read.txt", "lighthouse_story.txt", "numbers_and_lists.txt"})
    text += read_file(std::filesystem::path(MINILLM_SOURCE_DIR) / "data" / "text" / name);  // committed texts
  return text;
}

void show_bytes_versus_characters() {
  const std::string example = "naïve café 🐋";
  int characters = 0;
  for (size_t i = 0; i < example.size(); i += std::max(1, utf8_char_length(std::string_view(example).substr(i))))
    ++characters;
  fmt::print("\nStep 1: text is bytes.\n");
  fmt::print("  \"{}\" is {} characters but {} bytes in UTF-8: ï and é take 2 bytes, the whale takes 4.\n", example,
             characters, example.size());
  fmt::print("  A byte-level tokenizer starts from the 256 possible bytes, so it can encode ANY text: no\n"
             "  \"unknown word\" token is ever needed.\n");
}

void show_first_merges(const BpeTrainResult& result, int how_many) {
  const Tokenizer& t = result.tokenizer;
  fmt::print("\nStep 3: the first merges (the most frequent pair of tokens becomes a new token; '·' is a space):\n");
  const int n = std::min<int>(how_many, static_cast<int>(t.merges().size()));
  for (int i = 0; i < n; ++i) {
    const auto [left, right] = t.merges()[i];
    fmt::print("  token {:>4} = {:>8} + {:<8} -> {:<10} (seen {} times)\n", 256 + i,
               in_quotes(t.token_bytes(left)), in_quotes(t.token_bytes(right)), in_quotes(t.token_bytes(token_id(256 + i))),
               result.merge_counts[i]);
  }
  fmt::print("  ...and the last one learned: token {} = \"{}\"\n", 255 + t.merges().size(),
             show(t.token_bytes(token_id(255 + static_cast<int64_t>(t.merges().size())))));
}

// Bytes per token for the vocabulary after each number of merges: the first k merges of the trained
// tokenizer ARE the tokenizer it was after k steps.
std::vector<ChartPoint> measure_compression(const BpeTrainResult& result, std::string_view corpus) {
  fmt::print("\nStep 4: how much shorter the text gets as the vocabulary grows:\n");
  fmt::print("  {:>10}  {:>10}  {:>15}\n", "vocabulary", "tokens", "bytes per token");
  const auto& merges = result.tokenizer.merges();
  // Vocabulary sizes in half-doubling steps (256, 362, 512, 724, ...), then the full vocabulary.
  std::vector<size_t> merge_counts;
  for (double size = 256; size < 256 + static_cast<double>(merges.size()); size *= std::sqrt(2.0))
    merge_counts.push_back(static_cast<size_t>(size) - 256);
  merge_counts.push_back(merges.size());
  std::vector<ChartPoint> points;
  for (size_t k : merge_counts) {
    const Tokenizer partial = Tokenizer::from_merges(result.tokenizer.pattern(), {merges.begin(), merges.begin() + k}, {});
    const size_t tokens = partial.encode_ordinary(corpus).size();
    const double ratio = static_cast<double>(corpus.size()) / tokens;
    fmt::print("  {:>10}  {:>10}  {:>15.2f}\n", 256 + k, tokens, ratio);
    points.push_back({static_cast<double>(256 + k), ratio});
  }
  fmt::print("  (vocabulary here = 256 bytes + merges; the special token is not counted.) With only bytes every\n"
             "  token is 1 byte; each doubling of the vocabulary buys less than the one before.\n");
  return points;
}

void compare_with_gpt2(std::string_view corpus) {
  if (!std::filesystem::exists(data_dir() / "cache" / "tiktoken" / "gpt2.json")) {
    fmt::print("\nStep 5 (skipped): GPT-2's tokenizer is not downloaded; run ./run fetch to compare with it.\n");
    return;
  }
  const Tokenizer gpt2 = Tokenizer::from_tiktoken("gpt2");
  const TokenIds hello = gpt2.encode("Hello, world!");
  std::string ids;
  for (TokenId id : hello) ids += (ids.empty() ? "" : ", ") + std::to_string(to_int(id));
  fmt::print("\nStep 5: GPT-2's tokenizer (50,257 tokens, trained on 40 GB of web text):\n");
  fmt::print("  \"Hello, world!\" -> [{}]  (the ids from the course's diagram)\n", ids);
  const size_t tokens = gpt2.encode_ordinary(corpus).size();
  fmt::print("  This text: {} tokens, {:.2f} bytes per token.\n", tokens, static_cast<double>(corpus.size()) / tokens);
  fmt::print("  Ids are not text: token 995 is \"{}\", and decoding [995] gives back those bytes.\n",
             show(gpt2.token_bytes(token_id(995))));
}

int run(const Options& options) {
  fmt::print("Chapter 01: tokenization. A language model reads token ids, not letters; here we learn the\n"
             "tokens themselves with byte-pair encoding (BPE).\n\n");
  const std::string corpus = load_corpus(options);
  show_bytes_versus_characters();

  fmt::print("\nStep 2: training: split the text into words with GPT-2's regex, count each distinct word once,\n"
             "then merge the most frequent pair again and again until the vocabulary has {} tokens.\n",
             options.vocab_size);
  BpeTrainOptions train;
  train.vocab_size = options.vocab_size;
  std::unique_ptr<minillm::ui::ProgressBar> bar;  // made at the first merge, when the total is known
  train.on_merge = [&](int done, int total) {
    if (!bar) bar = std::make_unique<minillm::ui::ProgressBar>("  learning merges", total, "merges");
    bar->update(done);
  };
  const auto start = std::chrono::steady_clock::now();
  const BpeTrainResult result = train_bpe(corpus, train);
  if (bar) bar->finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("  {} bytes, {} distinct words, {} merges in {:.2f} s\n", corpus.size(), result.unique_words,
             result.tokenizer.merges().size(), seconds);
  if (static_cast<int>(result.tokenizer.merges().size()) < options.vocab_size - 257)
    fmt::print("  (the text ran out of pairs before the vocabulary was full: every word is now one token)\n");

  show_first_merges(result, 20);
  const std::vector<ChartPoint> points = measure_compression(result, corpus);
  if (!options.smoke) compare_with_gpt2(corpus);

  const auto out_dir = output_dir();
  const auto chart = out_dir / (options.smoke ? "ch01_bytes_per_token_smoke.png" : "ch01_bytes_per_token.png");
  write_bytes_per_token_chart(chart, points);
  const auto saved = out_dir / (options.smoke ? "ch01_tokenizer_smoke.bpe" : "ch01_tokenizer.bpe");
  result.tokenizer.save(saved);
  fmt::print("\nWrote the chart {} and the tokenizer {} (a text file: open it and read the merges).\n",
             chart.string(), saved.string());
  fmt::print("Try it: build/minillm tokenize --encoding {} \"Call me Ishmael.\"\n", saved.string());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return minillm::ui::run_demo(argc, argv, R"(usage: ch01_demo [--vocab-size N] [--input FILE] [--smoke]
  (no option)       train a BPE tokenizer on Moby Dick (after ./run fetch) with 4096 tokens
  --vocab-size N    another vocabulary size (257 to 65536)
  --input FILE      train on your own text
  --smoke           the project's own small texts and 512 tokens (used by the tests)
)", [&] {
    return run(parse_options(argc, argv));
  });
}
