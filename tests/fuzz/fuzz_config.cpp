// The JSON training config (`minillm train --config FILE`, and state.json's "config") on arbitrary bytes,
// read the way the CLI reads it: JSON syntax errors are reported by the CLI, everything after that must be
// a minillm::Error. A config that is accepted must also pass the memory check or be refused by it.
#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "gpt/memory_estimate.hpp"
#include "train/trainer.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  minillm::fuzz::limit_memory_for_fuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(minillm::fuzz::as_text(data, size));
  } catch (const nlohmann::json::exception&) {
    return 0;  // not JSON at all: the CLI says "<file> is not valid JSON (...)"
  }
  minillm::fuzz::expect_load_or_error([&] {
    const minillm::TrainConfig config = minillm::train_config_from_json(json);
    config.validate();
    minillm::require_training_fits_in_memory(config.model, config.batch, config.model.context_length);
  });
  return 0;
}
