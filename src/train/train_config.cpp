#include "train/train_config.hpp"

#include "core/error.hpp"
#include "train/schedule.hpp"

namespace minillm {

void TrainConfig::validate() const {
  require(!corpus.empty(), "no training text: give a corpus file (--input)");
  check_field_ranges(*this, "training config");
  check_field_ranges(adamw, "training config");
  require(steps > 0 || minutes > 0, "give a number of steps (--steps) or a time budget (--minutes)");
  require(lora_rank == 0 || !init_from.empty(), "--lora-rank {}: LoRA adapts a trained model, so give the one to "
          "start from (--init-from MODEL)", lora_rank);
  LrSchedule{lr, min_lr, warmup, std::max<int64_t>(steps, 1)}.validate();
}

nlohmann::json to_json(const TrainConfig& c) {
  nlohmann::json j = fields_to_json(c);
  j.update(fields_to_json(c.adamw));
  j["model"] = fields_to_json(c.model);
  return j;
}

bool may_change_on_resume(const std::string& key) {
#define MINILLM_RESUME_ROW(type, name, value, flag, range, on_resume, help) \
  if (key == #name) return on_resume;
  MINILLM_TRAIN_CONFIG(MINILLM_RESUME_ROW)
#undef MINILLM_RESUME_ROW
  return false;  // the model's and AdamW's settings (their own tables): the run itself
}

namespace {

template <class Config>
void check_unchanged(const Config& checkpoint, const Config& yours) {
  for (const auto& f : Config::fields()) {
    if (may_change_on_resume(f.key)) continue;
    const std::string was = field_text(f, checkpoint), now = field_text(f, yours);
    const std::string name = std::string(f.flag).empty() ? fmt::format("'{}'", f.key) : std::string(f.flag);
    require(was == now, "{} is {} in the checkpoint but {} now: a resumed run keeps its {}; drop it, or start a new "
            "run in another --out folder", name, was.empty() ? "\"\"" : was, now.empty() ? "\"\"" : now, f.key);
  }
}

}  // namespace

void check_resume_config(const TrainConfig& checkpoint, const TrainConfig& yours) {
  check_unchanged(checkpoint, yours);
  check_unchanged(checkpoint.model, yours.model);
  check_unchanged(checkpoint.adamw, yours.adamw);
}

TrainConfig train_config_from_json(const nlohmann::json& j, TrainConfig c) {
  require(j.is_object(), "a training config must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    if (key == "model") {
      fields_from_json(value, c.model, "model config");
    } else if (const auto* f = find_field<TrainConfig>(key)) {
      field_from_json(*f, value, c, "training config");
    } else if (const auto* a = find_field<AdamWConfig>(key)) {
      field_from_json(*a, value, c.adamw, "training config");
    } else {
      fail("training config: unknown key '{}' (known: {}, {}, model)", key, field_keys<TrainConfig>(),
           field_keys<AdamWConfig>());
    }
  }
  return c;
}

}  // namespace minillm
