// The streaming safetensors reader (Hugging Face checkpoints, F32/F16/BF16) on arbitrary bytes: the header
// is checked, then every tensor is read into memory sized the way a caller sizes it (entry.numel()).
#include <vector>

#include "fuzz_support.hpp"
#include "io/safetensors_reader.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  minillm::fuzz::limit_memory_for_fuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = minillm::fuzz::scratch_file("fuzz.safetensors", minillm::fuzz::as_text(data, size));
  minillm::fuzz::expect_load_or_error([&] {
    minillm::SafetensorsReader reader(path);
    for (const minillm::SafetensorsEntry& entry : reader.entries()) {
      std::vector<float> values(static_cast<size_t>(entry.numel()));
      minillm::fuzz::expect_load_or_error([&] { reader.read_f32(entry, values.data()); });
    }
  });
  return 0;
}
