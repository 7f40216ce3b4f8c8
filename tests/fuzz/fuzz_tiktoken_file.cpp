// tiktoken rank-file loaders on arbitrary bytes: the npm package's NAME.json (first input byte even) and
// the plain NAME.tiktoken of the Python package (odd). A file that loads must round-trip a fixed text.
#include <cstdio>
#include <cstdlib>

#include "fuzz_support.hpp"
#include "tokenizer/tokenizer.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  minillm::fuzz::limit_memory_for_fuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool npm_json = data[0] % 2 == 0;
  const auto path = minillm::fuzz::scratch_file(npm_json ? "fuzzed.json" : "gpt2.tiktoken",
                                                minillm::fuzz::as_text(data + 1, size - 1));
  minillm::fuzz::expect_load_or_error([&] {
    const minillm::Tokenizer t = minillm::Tokenizer::from_tiktoken(path.string());
    const std::string text = "Call me Ishmael. 1234 \xff\xfe bytes";
    if (t.decode_bytes(t.encode_ordinary(text)) != text) {
      std::fprintf(stderr, "a loaded rank file does not round-trip\n");
      std::abort();
    }
  });
  return 0;
}
