// `minillm tokenize` and `minillm train-tokenizer`.
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/command_registry.hpp"
#include "cli/config_flags.hpp"
#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "tokenizer/train_bpe.hpp"
#include "tokenizer/utf8.hpp"
#include "ui/progress.hpp"
#include "ui/terminal.hpp"

namespace minillm::cli {

namespace {

// Each token in black on a coloured background, so the cuts between tokens are visible (the colours cycle;
// 256-colour codes: pink, blue, green, yellow, cyan, salmon).
std::string coloured_pieces(const Tokenizer& t, const TokenIds& ids) {
  static constexpr int kBackgrounds[] = {213, 117, 120, 228, 159, 210};
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) {
    std::string text = to_valid_utf8(t.token_bytes(ids[i]));
    std::string shown;
    for (char c : text) shown += c == '\n' ? std::string("\\n") : c == '\t' ? std::string("\\t") : c == '\r' ? std::string("\\r") : std::string(1, c);
    const int background = kBackgrounds[i % std::size(kBackgrounds)];
    out += ui::colourize(shown, ui::ansi_foreground(16) + ui::ansi_background(background), true);
  }
  return out;
}

std::string quoted_pieces(const Tokenizer& t, const TokenIds& ids) {
  nlohmann::json pieces = nlohmann::json::array();
  for (TokenId id : ids) pieces.push_back(to_valid_utf8(t.token_bytes(id)));
  return pieces.dump();
}

void tokenize(const std::string& encoding, std::string text, bool allow_special) {
  if (text == "-") text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  const Tokenizer t = Tokenizer::open(encoding);
  if (!allow_special)
    for (const SpecialToken& s : t.special_tokens())
      require(text.find(s.text) == std::string::npos,
              "the text contains the special token {}: pass --allow-special to turn it into its id ({})", s.text,
              to_int(s.id));
  const TokenIds ids = t.encode(text, allow_special ? AllowedSpecial::everything() : AllowedSpecial::none());
  std::string id_list;
  for (TokenId id : ids) id_list += (id_list.empty() ? "" : ", ") + std::to_string(to_int(id));
  fmt::print("{}: {} bytes -> {} tokens ({:.2f} bytes per token)\n", t.name(), text.size(), ids.size(),
             ids.empty() ? 0.0 : static_cast<double>(text.size()) / ids.size());
  fmt::print("ids:    [{}]\n", id_list);
  // Colour only on a terminal, and never with NO_COLOR set (ui/terminal.hpp); pipes get the quoted pieces.
  fmt::print("pieces: {}\n", ui::colour_enabled(stdout) ? coloured_pieces(t, ids) : quoted_pieces(t, ids));
}

void train_tokenizer(int vocab_size, const std::string& input, const std::string& out,
                     const std::vector<std::string>& specials) {
  const std::string corpus = read_file(input);
  BpeTrainOptions options;
  options.vocab_size = vocab_size;
  options.special_tokens = specials;
  // The bar starts with the first merge, when the number of merges wanted is known.
  std::unique_ptr<ui::ProgressBar> bar;
  options.on_merge = [&](int done, int total) {
    if (!bar) bar = std::make_unique<ui::ProgressBar>("learning merges", total, "merges");
    bar->update(done);
  };
  fmt::print("training a byte-level BPE vocabulary of {} tokens on {} ({} bytes)\n", vocab_size, input, corpus.size());
  const BpeTrainResult result = train_bpe(corpus, options);
  if (bar) bar->finish();
  result.tokenizer.save(out);
  const TokenIds ids = result.tokenizer.encode(corpus, AllowedSpecial::everything());
  fmt::print("{} unique pre-tokens, {} merges learned", result.unique_words, result.tokenizer.merges().size());
  if (static_cast<int>(result.tokenizer.merges().size()) < vocab_size - 256 - static_cast<int>(specials.size()))
    fmt::print(" (the corpus ran out of pairs to merge before reaching the vocabulary size)");
  fmt::print("\nthe corpus is {} tokens: {:.2f} bytes per token (1.00 would be no compression)\n", ids.size(),
             static_cast<double>(corpus.size()) / std::max<size_t>(ids.size(), 1));
  fmt::print("saved to {}\n", out);
}

CommandRegistrar reg(10, [](CLI::App& app) {
  auto* tok = app.add_subcommand("tokenize", "Split text into tokens and print their ids and pieces");
  auto encoding = std::make_shared<std::string>("gpt2");
  auto text = std::make_shared<std::string>();
  auto allow_special = std::make_shared<bool>(false);
  tok->add_option("--encoding,-e", *encoding,
                  "gpt2, cl100k_base, o200k_base (tiktoken's, after ./run fetch) or a tokenizer FILE")
      ->capture_default_str();
  tok->add_flag("--allow-special", *allow_special, "turn special-token text like <|endoftext|> into its id");
  tok->add_option("TEXT", *text, "the text to tokenize ('-' reads standard input)")->required();
  tok->callback([=] { tokenize(*encoding, *text, *allow_special); });

  auto* train = app.add_subcommand("train-tokenizer", "Learn a byte-level BPE vocabulary from a text file");
  auto options = std::make_shared<BpeTrainOptions>();  // its table's flags (tokenizer/train_bpe.hpp)
  auto input = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto specials = std::make_shared<std::vector<std::string>>(BpeTrainOptions{}.special_tokens);
  auto settings = std::make_shared<ConfigFlags<BpeTrainOptions>>();
  add_config_flags<BpeTrainOptions, BpeTrainOptions>(*train, settings,
                                                     [](BpeTrainOptions& o) -> BpeTrainOptions& { return o; });
  train->add_option("--input", *input, "the training text (UTF-8)")->required();
  train->add_option("--out", *out, "where to save the tokenizer (a readable text file, e.g. book.bpe)")->required();
  train->add_option("--special", *specials, "special tokens (default: <|endoftext|>)");
  train->callback([=] {
    settings->apply(*options);
    train_tokenizer(options->vocab_size, *input, *out, *specials);
  });
});

}  // namespace

}  // namespace minillm::cli
