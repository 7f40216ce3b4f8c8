// decode(encode(x)) == x for every byte string x, with every encoding minillm has: a small BPE trained here
// (always), and gpt2, cl100k_base and o200k_base when their rank files were fetched (./run fetch).
// Both ways of encoding are checked: ordinary text, and text whose special tokens become their ids.
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "fuzz_support.hpp"
#include "io/data_dir.hpp"
#include "tokenizer/tokenizer.hpp"
#include "tokenizer/train_bpe.hpp"

namespace {

using minillm::Tokenizer;

std::vector<Tokenizer>& tokenizers() {
  static std::vector<Tokenizer> all;
  return all;
}

// A vocabulary of 400 tokens learned from a few sentences with repeats, spaces, digits and non-ASCII text,
// so its merges cover multi-byte pieces and the fuzzer's mutations meet real merges.
Tokenizer small_trained_bpe() {
  std::string corpus;
  for (int i = 0; i < 20; ++i)
    corpus += "the cat sat on the mat; the dog ate 1234 bones. Ünïcödé wörds, 日本語のテキスト, emoji 🙂🙃!\n"
              "    indented code(x) { return x*x; }  \t tabs and  spaces\r\n";
  minillm::BpeTrainOptions options;
  options.vocab_size = 400;
  return minillm::train_bpe(corpus, options).tokenizer;
}

void check_round_trip(const Tokenizer& t, std::string_view text) {
  const minillm::TokenIds ordinary = t.encode_ordinary(text);
  if (t.decode_bytes(ordinary) != text) {
    std::fprintf(stderr, "%s: decode_bytes(encode_ordinary(x)) != x for %zu bytes\n", t.name().c_str(), text.size());
    std::abort();
  }
  const minillm::TokenIds with_specials = t.encode(text, minillm::AllowedSpecial::everything());
  if (t.decode_bytes(with_specials) != text) {
    std::fprintf(stderr, "%s: decode_bytes(encode(x, all specials)) != x for %zu bytes\n", t.name().c_str(),
                 text.size());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tokenizers().push_back(small_trained_bpe());
  for (const char* name : {"gpt2", "cl100k_base", "o200k_base"}) {
    try {
      tokenizers().push_back(Tokenizer::from_tiktoken(name));
    } catch (const minillm::Error& e) {
      std::fprintf(stderr, "fuzz_tokenizer_roundtrip: skipping %s (%s)\n", name, e.what());
    }
  }
  std::fprintf(stderr, "fuzz_tokenizer_roundtrip: %zu encodings\n", tokenizers().size());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = minillm::fuzz::as_text(data, size);
  for (const Tokenizer& t : tokenizers()) check_round_trip(t, text);
  return 0;
}
