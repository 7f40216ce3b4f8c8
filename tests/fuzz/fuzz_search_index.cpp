// The search index loader (`minillm index query`, chapter 08) on arbitrary bytes. The file ends in a
// checksum of everything before it, which random mutations almost never match; so each input is also
// parsed with its last 8 bytes replaced by the right checksum, to reach every section's size checks.
#include <cstring>
#include <string>

#include "fuzz_support.hpp"
#include "search/index_file.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  minillm::fuzz::limit_memory_for_fuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = minillm::fuzz::as_text(data, size);
  minillm::fuzz::expect_load_or_error([&] { minillm::search::parse_index(bytes, "fuzz.idx"); });
  if (size < 8) return 0;
  std::string repaired(bytes);
  const uint64_t checksum = minillm::search::fnv1a64(std::string_view(repaired).substr(0, size - 8));
  std::memcpy(repaired.data() + size - 8, &checksum, sizeof checksum);
  minillm::fuzz::expect_load_or_error([&] { minillm::search::parse_index(repaired, "fuzz.idx"); });
  return 0;
}
