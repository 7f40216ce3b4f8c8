// Loading a training checkpoint (one checkpoint folder: config.json, model.safetensors, state.json,
// optimizer.safetensors; train/checkpoint.hpp) from arbitrary bytes. The input is the four files joined by
// kSeparator, so seeds are real checkpoints and mutations damage one file at a time. A model size read from state.json must be refused by the memory check (the
// fuzzer's machine "has" 64 MB), not allocated.
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "train/adamw.hpp"
#include "train/checkpoint.hpp"

namespace {
constexpr std::string_view kSeparator = "\n=====minillm-fuzz-next-file=====\n";

std::vector<std::string_view> split_files(std::string_view input) {
  std::vector<std::string_view> parts;
  while (parts.size() < 3) {
    const size_t at = input.find(kSeparator);
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(0, at));
    input.remove_prefix(at + kSeparator.size());
  }
  parts.push_back(input);
  return parts;
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  minillm::fuzz::limit_memory_for_fuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string_view> files = split_files(minillm::fuzz::as_text(data, size));
  const char* names[] = {"config.json", "model.safetensors", "state.json", "optimizer.safetensors"};
  const auto dir = minillm::fuzz::scratch_dir() / "checkpoint";
  std::filesystem::remove_all(dir);
  for (size_t i = 0; i < files.size(); ++i) minillm::fuzz::scratch_file(std::string("checkpoint/") + names[i], files[i]);
  minillm::fuzz::expect_load_or_error([&] {
    minillm::LoadedCheckpoint checkpoint = minillm::load_checkpoint(dir);
    minillm::AdamW optimizer(checkpoint.model->params(), minillm::AdamWConfig{});
    minillm::load_optimizer_state(checkpoint.dir, *checkpoint.model, optimizer, checkpoint.state);
  });
  return 0;
}
