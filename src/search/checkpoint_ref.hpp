#pragma once
// What an index of GPT-state passages (gpt_embedder.hpp) records about the model that embedded them: a
// text query must be embedded by the same model and tokenizer, or its vector lands in another space and the
// scores mean nothing. So the index keeps where the checkpoint was and hashes of what it held, and a query
// refuses a checkpoint that is missing or has changed (GptEmbedder::open_recorded).
#include <cstdint>
#include <string>

namespace minillm::search {

struct CheckpointRef {
  std::string path;             // the checkpoint given to `index build` (a run or model folder), absolute
  uint64_t model_hash = 0;      // FNV-1a 64 of the model folder's model.safetensors
  uint64_t tokenizer_hash = 0;  // tokenizer_hash() (train/dataset.hpp): its pattern, merges and tokens
  bool operator==(const CheckpointRef&) const = default;
};

}  // namespace minillm::search
