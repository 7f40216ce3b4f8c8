// The safetensors reader on arbitrary bytes, and filling a small model-shaped arena from what it read.
#include "core/tensor.hpp"
#include "fuzz_support.hpp"
#include "io/safetensors.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  minillm::fuzz::limit_memory_for_fuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = minillm::fuzz::scratch_file("fuzz.safetensors", minillm::fuzz::as_text(data, size));
  minillm::fuzz::expect_load_or_error([&] { minillm::load_safetensors(path); });
  minillm::fuzz::expect_load_or_error([&] {
    minillm::TensorArena arena;
    arena.add("a", {2, 3});
    arena.add("b", {4});
    arena.allocate();
    minillm::load_safetensors_into(path, arena, (size % 2) == 1);
  });
  return 0;
}
