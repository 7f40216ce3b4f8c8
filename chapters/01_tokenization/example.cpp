// The lesson's code example (README.md quotes the lines between the markers), built and run by the tests
// so the lesson's code always compiles and prints what the lesson says. Needs ./run fetch (gpt2).
// lesson: code_example
#include <fmt/core.h>

#include "tokenizer/train_bpe.hpp"

void tokenizer_tour() {
  using namespace minillm;

  // 1. GPT-2's own tokenizer (after ./run fetch): exactly the ids tiktoken gives.
  const Tokenizer gpt2 = Tokenizer::from_tiktoken("gpt2");
  const TokenIds ids = gpt2.encode("Hello, world!");  // [15496, 11, 995, 0]
  for (TokenId id : ids) fmt::print("{} = \"{}\"\n", to_int(id), gpt2.token_bytes(id));
  fmt::print("decoded: {}\n", gpt2.decode(ids));

  // 2. A tokenizer of our own, learned from text.
  BpeTrainOptions options;
  options.vocab_size = 256 + 3 + 1;  // the bytes, 3 merges, <|endoftext|>
  const BpeTrainResult result = train_bpe("low lower lowest low low", options);
  for (auto [left, right] : result.tokenizer.merges())
    fmt::print("merge \"{}\" + \"{}\"\n", result.tokenizer.token_bytes(left), result.tokenizer.token_bytes(right));

  // 3. Special tokens are refused unless you allow them.
  const TokenIds with_end = gpt2.encode("The end.<|endoftext|>", AllowedSpecial::only({"<|endoftext|>"}));
  fmt::print("last id: {}\n", to_int(with_end.back()));  // 50256
}
// end lesson: code_example

#include "core/error.hpp"

int main() {
  try {
    tokenizer_tour();
  } catch (const minillm::Error& e) {  // e.g. the gpt2 rank file is missing: the message says to run ./run fetch
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}
