#include "classify/classify_config.hpp"

#include "classify/classifier.hpp"
#include "core/error.hpp"

namespace minillm {

void ClassifyConfig::validate() const {
  require(!input.empty(), "no training examples: give a TSV file of label<TAB>text lines (--input)");
  require(!val.empty(), "no validation examples: give a TSV file like --input's (--val); each epoch is scored on it");
  require(!init_from.empty(), "no model to start from: give a minillm run or a Hugging Face GPT-2 folder (--init-from)");
  check_field_ranges(*this, "classify config");
  pooling_from_name(pooling);
  require(lora_rank == 0 || unfreeze == 0, "--lora-rank {} with --unfreeze {}: LoRA trains adapters on every block "
          "and the head, with the GPT frozen; drop --unfreeze", lora_rank, unfreeze);
  require(balance == "weights" || balance == "none",
          "--balance '{}' is not known: 'weights' (inverse-frequency class weights) or 'none'", balance);
}

nlohmann::json to_json(const ClassifyConfig& c) {
  nlohmann::json j = fields_to_json(c);
  j.update(fields_to_json(c.adamw));
  return j;
}

std::vector<float> class_weights(const std::vector<int64_t>& counts, const std::string& balance) {
  int64_t n = 0;
  for (int64_t c : counts) n += c;
  std::vector<float> weights(counts.size(), 1.0f);
  if (balance == "none") return weights;
  for (size_t k = 0; k < counts.size(); ++k)
    weights[k] = counts[k] > 0 ? static_cast<float>(double(n) / (double(counts.size()) * double(counts[k]))) : 0.0f;
  return weights;
}

}  // namespace minillm
