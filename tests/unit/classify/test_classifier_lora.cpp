// A classifier on a frozen GPT with LoRA adapters (`classify train --lora-rank`): the head's and every
// adapter tensor's gradient, through the pooling and every block, against central differences of the loss;
// the trainable tensors are the head and the adapters, and the GPT itself has no gradients at all.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "classify/classifier.hpp"
#include "classify/trainable.hpp"
#include "core/rng.hpp"
#include "gpt/lora.hpp"
#include "../test_support.hpp"

namespace minillm {
namespace {

constexpr int V = 13, maxT = 6, L = 2, K = 3;

Classifier lora_classifier(Pooling pooling) {
  const GptConfig config{V, maxT, L, 2, 8};
  Gpt gpt(config, GptForm::frozen);
  Rng rng(7);
  rng.fill_normal({gpt.params().data(), gpt.params().size()}, 0.0f, 0.3f);
  auto adapters = std::make_unique<LoraAdapters>(config, LoraConfig{.rank = 2, .alpha = 4.0f}, LoraBase{});
  rng.fill_normal({adapters->params().data(), adapters->params().size()}, 0.0f, 0.5f);  // B off zero
  gpt.attach_lora(std::move(adapters));
  Classifier c(std::move(gpt), K, pooling);
  rng.fill_normal({c.head().data(), c.head().size()}, 0.0f, 0.3f);
  return c;
}

TokenBatch three_rows() {
  const TokenIds a{token_id(1), token_id(4), token_id(2), token_id(9), token_id(7)}, b{token_id(3), token_id(12)},
      c{token_id(5), token_id(5), token_id(0), token_id(11)};
  return pad_batch({&a, &b, &c});
}

void check_lora_gradients(Pooling pooling) {
  Classifier c = lora_classifier(pooling);
  const TokenBatch batch = three_rows();
  const std::vector<int> labels{2, 0, 1};
  const std::vector<float> weights{0.5f, 2.0f, 1.25f};
  TrainableSet trainable(trainable_tensors(c, 0));
  trainable.zero_model_grads();
  c.forward(batch, labels, weights);
  c.backward(0);  // through every block: the adapters sit in all of them
  const float h = 1e-2f;
  int checked = 0, sizeable = 0;
  for (const TrainableTensor& t : trainable_tensors(c, 0)) {
    for (int64_t i : {int64_t{0}, t.shape.numel() / 3, t.shape.numel() - 1}) {
      const float saved = t.value[i];
      t.value[i] = saved + h;
      const double plus = c.forward(batch, labels, weights);
      t.value[i] = saved - h;
      const double minus = c.forward(batch, labels, weights);
      t.value[i] = saved;
      const double numeric = (plus - minus) / (2.0 * h);
      EXPECT_NEAR(t.grad[i], numeric, 2e-4 + 2e-2 * std::abs(numeric)) << t.name << "[" << i << "]";
      ++checked;
      sizeable += std::abs(numeric) > 2e-3;
    }
  }
  EXPECT_EQ(checked, 3 * (2 + 2 * 4 * L)) << "the head's 2 tensors and 8 adapter tensors per block";
  EXPECT_GT(sizeable, checked / 3) << sizeable << " of " << checked << " sampled gradients exceed 2e-3";
}

TEST(ClassifierLora, LastTokenPoolingGradientsOfTheHeadAndEveryAdapter) { check_lora_gradients(Pooling::last_token); }
TEST(ClassifierLora, MeanPoolingGradientsOfTheHeadAndEveryAdapter) { check_lora_gradients(Pooling::mean); }

TEST(ClassifierLora, TrainsTheHeadAndTheAdaptersOnly) {
  Classifier c = lora_classifier(Pooling::last_token);
  int64_t count = 0;
  for (const TrainableTensor& t : trainable_tensors(c, 0)) {
    EXPECT_TRUE(t.name.starts_with("head.") || t.name.ends_with(".lora_A") || t.name.ends_with(".lora_B")) << t.name;
    count += t.shape.numel();
  }
  EXPECT_EQ(count, int64_t(c.head().size()) + lora_parameter_count(c.backbone().config(), 2));
  EXPECT_NE(test_support::error_of([&] { c.backbone().grads(); }).find("no gradients of its own"), std::string::npos);
}

}  // namespace
}  // namespace minillm
