// minillm's own tokenizer file (.bpe) loader on arbitrary bytes. A file that loads must also work: encoding
// and decoding a fixed text round-trips, and saving it and loading it again gives the same merges.
#include <cstdio>
#include <cstdlib>

#include "fuzz_support.hpp"
#include "tokenizer/tokenizer.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  minillm::fuzz::limit_memory_for_fuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = minillm::fuzz::scratch_file("fuzz.bpe", minillm::fuzz::as_text(data, size));
  minillm::fuzz::expect_load_or_error([&] {
    const minillm::Tokenizer t = minillm::Tokenizer::load(path);
    const std::string text = "Call me Ishmael. <|endoftext|> 1234 \xff\xfe bytes";
    if (t.decode_bytes(t.encode_ordinary(text)) != text) {
      std::fprintf(stderr, "a loaded .bpe tokenizer does not round-trip\n");
      std::abort();
    }
    const auto again = minillm::fuzz::scratch_file("again.bpe", "");
    t.save(again);
    if (minillm::Tokenizer::load(again).merges() != t.merges()) {
      std::fprintf(stderr, "save then load changed the merges\n");
      std::abort();
    }
  });
  return 0;
}
