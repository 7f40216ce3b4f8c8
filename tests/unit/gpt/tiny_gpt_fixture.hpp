#pragma once
// The tiny GPT-2 that tests/fixtures/gpt/make_fixture.py ran in PyTorch, loaded with torch's parameters and
// batch. The fixture also holds torch's logits, loss, every gradient and the losses of 10 AdamW steps,
// which the GPT test (tests/unit/gpt) and the AdamW test (tests/unit/train) compare against.
#include <algorithm>
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "gpt/gpt.hpp"
#include "io/safetensors.hpp"

namespace minillm::tiny_gpt {

inline const std::string kFixture = std::string(MINILLM_SOURCE_DIR) + "/tests/fixtures/gpt/gpt2_tiny.safetensors";
constexpr int V = 64, T = 8, L = 2, NH = 2, C = 16, B = 2;

struct Loaded {
  SafetensorsFile file = load_safetensors(kFixture);
  Gpt model{GptConfig{V, T, L, NH, C}};
  TokenIds inputs, targets;

  Loaded() {
    for (const auto& entry : model.params().entries()) {
      const Tensor& t = file.at("params." + entry.name);
      EXPECT_EQ(t.shape(), entry.shape) << entry.name;
      std::copy(t.values().begin(), t.values().end(), model.params()[entry.name].data);
    }
    for (float x : file.at("inputs").values()) inputs.push_back(token_id(std::lround(x)));
    for (float x : file.at("targets").values()) targets.push_back(token_id(std::lround(x)));
  }
};

}  // namespace minillm::tiny_gpt
