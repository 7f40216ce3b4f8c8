// load_safetensors (F32 tensors through SafetensorsReader's checks) on arbitrary bytes.
#include "fuzz_support.hpp"
#include "io/safetensors.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  minillm::fuzz::limit_memory_for_fuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = minillm::fuzz::scratch_file("fuzz.safetensors", minillm::fuzz::as_text(data, size));
  minillm::fuzz::expect_load_or_error([&] { minillm::load_safetensors(path); });
  return 0;
}
