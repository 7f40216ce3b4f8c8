// LoRA on the whole GPT (gpt/lora.hpp): the adapted model starts as the base model exactly, its backward
// matches finite differences of its loss for every adapter tensor while the frozen weights get no gradient,
// a merged model computes what the adapters do, the memory estimate counts what it allocates, and an adapter
// folder finds its base and refuses a base that changed.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "gpt/lora.hpp"
#include "gpt/memory_estimate.hpp"
#include "gpt/model_files.hpp"
#include "nn/kernels.hpp"
#include "../test_support.hpp"

namespace minillm {
namespace {

namespace fs = std::filesystem;
using test_support::error_of;

const GptConfig kConfig{.vocab_size = 13, .context_length = 6, .n_layer = 2, .n_head = 2, .n_embd = 8};
constexpr int B = 2, T = 5;

struct Batch {
  TokenIds inputs, targets;
  Batch() {
    for (int i = 0; i < B * T; ++i) {
      inputs.push_back(token_id((i * 5 + 1) % kConfig.vocab_size));
      targets.push_back(token_id((i * 3 + 2) % kConfig.vocab_size));
    }
  }
};

// A base model with random weights, and a frozen copy of it with fresh adapters (B = 0).
Gpt random_model(GptForm form, uint64_t seed = 41) {
  Gpt model(kConfig, form);
  Rng rng(seed);
  for (const auto& e : model.params().entries())
    for (float& x : model.params()[e.name].span()) x = static_cast<float>(rng.normal() * 0.3);
  return model;
}

Gpt with_adapters(Gpt model, LoraConfig lora = {.rank = 2, .alpha = 3.0f}) {
  auto adapters = std::make_unique<LoraAdapters>(model.config(), lora, LoraBase{"(memory)", 0});
  Rng rng(42);
  adapters->init(rng);
  model.attach_lora(std::move(adapters));
  return model;
}

std::vector<float> logits_of(Gpt& model, const Batch& batch) {
  model.forward(batch.inputs, B, T);
  return {model.logits(), model.logits() + size_t(B) * T * kConfig.vocab_size};
}

TEST(Lora, TheFirstForwardIsTheBaseModelsExactly) {
  const Batch batch;
  Gpt base = random_model(GptForm::inference_only);
  Gpt adapted = with_adapters(random_model(GptForm::frozen));
  EXPECT_EQ(logits_of(adapted, batch), logits_of(base, batch)) << "B = 0: the adapters add exactly nothing";
}

TEST(Lora, TheTrainableParametersAreTheAdaptersOnly) {
  Gpt model = with_adapters(random_model(GptForm::frozen), {.rank = 3, .alpha = 6.0f});
  // Per block: c_attn (3C x C), c_proj (C x C), c_fc (4C x C), mlp.c_proj (C x 4C): R·(in + out) each.
  const int64_t C = kConfig.n_embd, R = 3;
  const int64_t per_block = R * (C + 3 * C) + R * (C + C) + R * (C + 4 * C) + R * (4 * C + C);
  EXPECT_EQ(lora_parameter_count(kConfig, 3), kConfig.n_layer * per_block);
  EXPECT_EQ(model.trainable_params().size(), size_t(kConfig.n_layer * per_block));
  EXPECT_EQ(model.trainable_grads().size(), model.trainable_params().size());
  EXPECT_NE(error_of([&] { model.grads(); }).find("no gradients of its own (frozen)"), std::string::npos);
  EXPECT_NE(lora_summary(kConfig, {.rank = 3, .alpha = 6.0f}).find(std::to_string(kConfig.n_layer * per_block) +
                                                                    " trainable parameters"),
            std::string::npos);
}

// The adapters' gradients against central differences of the model's loss (after B has moved off zero, so
// A's gradient is not zero too), on the plain kernels, the definition.
TEST(Lora, BackwardMatchesFiniteDifferencesForEveryAdapterTensor) {
  KernelScope plain(KernelForm::plain);
  const Batch batch;
  Gpt model = with_adapters(random_model(GptForm::frozen));
  Rng rng(43);
  TensorArena& params = model.trainable_params();
  for (const auto& e : params.entries())
    for (float& x : params[e.name].span()) x = static_cast<float>(rng.normal() * 0.8);
  model.zero_grad();
  model.forward(batch.inputs, batch.targets, B, T);
  model.backward();
  const float h = 1e-2f;
  int checked = 0, sizeable = 0;
  for (const auto& e : params.entries()) {
    float* x = params[e.name].data;
    const float* analytic = model.trainable_grads()[e.name].data;
    const int64_t n = e.shape.numel();
    for (int64_t i : {int64_t{0}, n / 3, n / 2, n - 1}) {
      const float saved = x[i];
      x[i] = saved + h;
      const double plus = model.forward(batch.inputs, batch.targets, B, T);
      x[i] = saved - h;
      const double minus = model.forward(batch.inputs, batch.targets, B, T);
      x[i] = saved;
      const double numeric = (plus - minus) / (2.0 * h);
      EXPECT_NEAR(analytic[i], numeric, 2e-4 + 2e-2 * std::abs(numeric)) << e.name << "[" << i << "]";
      ++checked;
      sizeable += std::abs(numeric) > 2e-3;
    }
  }
  EXPECT_EQ(checked, 4 * int(params.entries().size()));
  EXPECT_GT(sizeable, checked / 2) << sizeable << " of " << checked << " sampled gradients exceed 2e-3";
}

// The same backward through the fast kernels gives the plain form's gradients.
TEST(Lora, FastAndPlainKernelsGiveTheSameAdapterGradients) {
  const Batch batch;
  std::vector<std::vector<float>> grads;
  for (KernelForm form : {KernelForm::plain, KernelForm::fast}) {
    KernelScope scope(form);
    Gpt model = with_adapters(random_model(GptForm::frozen));
    Rng rng(44);
    for (float& x : std::span(model.trainable_params().data(), model.trainable_params().size()))
      x = static_cast<float>(rng.normal() * 0.3);
    model.zero_grad();
    model.forward(batch.inputs, batch.targets, B, T);
    model.backward();
    grads.emplace_back(model.trainable_grads().data(), model.trainable_grads().data() + model.trainable_grads().size());
  }
  for (size_t i = 0; i < grads[0].size(); ++i)
    ASSERT_NEAR(grads[1][i], grads[0][i], 1e-5 + 1e-4 * std::abs(grads[0][i])) << i;
}

TEST(Lora, AMergedModelComputesWhatTheAdaptersDo) {
  const Batch batch;
  Gpt model = with_adapters(random_model(GptForm::frozen));
  Rng rng(45);
  for (float& x : std::span(model.trainable_params().data(), model.trainable_params().size()))
    x = static_cast<float>(rng.normal() * 0.3);
  const std::vector<float> adapted = logits_of(model, batch);
  model.merge_lora();
  ASSERT_EQ(model.lora(), nullptr);
  const std::vector<float> merged = logits_of(model, batch);
  for (size_t i = 0; i < merged.size(); ++i) ASSERT_NEAR(merged[i], adapted[i], 1e-4 + 1e-4 * std::abs(adapted[i])) << i;
  EXPECT_NE(logits_of(model, batch), logits_of(*std::make_unique<Gpt>(random_model(GptForm::inference_only)), batch))
      << "the adapters changed the model (else the comparison above proves nothing)";
}

TEST(Lora, TheMemoryEstimateCountsWhatTheModelAllocates) {
  const Batch batch;
  Gpt model = with_adapters(random_model(GptForm::frozen), {.rank = 2, .alpha = 3.0f});
  model.forward(batch.inputs, B, T);
  const GptMemoryEstimate e = estimate_gpt_memory(kConfig, B, T, 2);
  const GptMemoryEstimate full = estimate_gpt_memory(kConfig, B, T);
  const double adapters = double(model.trainable_params().size()) * sizeof(float);
  EXPECT_EQ(e.parameters, double(model.params().size()) * sizeof(float) + adapters);
  EXPECT_EQ(e.gradients, adapters) << "no gradient for a frozen weight";
  EXPECT_EQ(e.optimizer, 2 * adapters) << "AdamW's m and v for the adapters only";
  EXPECT_EQ(e.activations, double(model.activation_floats()) * sizeof(float));
  EXPECT_EQ(e.lora_saving, full.gradients + full.optimizer - e.gradients - e.optimizer);
}

// An adapter folder names its base by path and hash: loading it finds the base, and refuses one that changed.
TEST(Lora, AnAdapterFolderFindsItsBaseAndRefusesAChangedOne) {
  const fs::path dir = fs::path(MINILLM_BINARY_DIR) / "tests" / "tmp" / "lora_folder";
  fs::remove_all(dir);
  const Batch batch;
  Gpt base = random_model(GptForm::inference_only);
  save_model(base, dir / "base");
  Gpt model(kConfig, GptForm::frozen);
  load_model_parameters(dir / "base", model);
  auto adapters = std::make_unique<LoraAdapters>(kConfig, LoraConfig{.rank = 2, .alpha = 3.0f},
                                                 lora_base_of(dir / "base"));
  Rng rng(46);
  for (float& x : std::span(adapters->params().data(), adapters->params().size())) x = float(rng.normal() * 0.3);
  model.attach_lora(std::move(adapters));
  save_lora_model(model, dir / "adapter", {});
  EXPECT_FALSE(fs::exists(dir / "adapter" / "model.safetensors")) << "the adapter only";
  EXPECT_TRUE(is_lora_folder(dir / "adapter"));
  EXPECT_FALSE(is_lora_folder(dir / "base"));

  Gpt loaded = load_lora_model(dir / "adapter", GptForm::inference_only);
  EXPECT_EQ(logits_of(loaded, batch), logits_of(model, batch)) << "the same base and adapters, unmerged";
  Gpt merged = load_model(dir / "adapter", GptForm::inference_only);  // what generate and eval load
  EXPECT_EQ(merged.lora(), nullptr);
  const std::vector<float> a = logits_of(merged, batch), want = logits_of(model, batch);
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], want[i], 1e-4 + 1e-4 * std::abs(want[i])) << i;

  base.params()["wte"].data[0] += 1.0f;  // the base is trained on: its weights change
  save_model(base, dir / "base");
  const std::string changed = error_of([&] { load_model(dir / "adapter", GptForm::inference_only); });
  EXPECT_NE(changed.find("is a LoRA adapter for the base model"), std::string::npos) << changed;
  EXPECT_NE(changed.find("whose model.safetensors has changed since"), std::string::npos) << changed;
  EXPECT_EQ(changed.find('\n'), std::string::npos) << "one line";
  fs::remove_all(dir / "base");
  const std::string missing = error_of([&] { load_model(dir / "adapter", GptForm::inference_only); });
  EXPECT_NE(missing.find("whose base model " + fs::absolute(dir / "base").lexically_normal().string() + " is missing"),
            std::string::npos) << missing;
}

}  // namespace
}  // namespace minillm
