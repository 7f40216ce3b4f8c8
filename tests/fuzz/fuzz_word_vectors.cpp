// The word2vec text-format reader on arbitrary bytes; vectors that load must answer a nearest-word query.
#include "embed/word_vectors.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  minillm::fuzz::limit_memory_for_fuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = minillm::fuzz::scratch_file("fuzz.vec", minillm::fuzz::as_text(data, size));
  minillm::fuzz::expect_load_or_error([&] {
    const minillm::embed::WordVectors vectors = minillm::embed::WordVectors::load_text(path);
    vectors.nearest(vectors.vocabulary().word(0), 3);
  });
  return 0;
}
