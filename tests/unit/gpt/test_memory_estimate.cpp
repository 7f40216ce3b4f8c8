// The memory a GPT needs, estimated from its config before allocating, and the refusals built on it.
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "gpt/gpt.hpp"
#include "gpt/memory_estimate.hpp"
#include "../test_support.hpp"

namespace minillm {
namespace {

using test_support::error_of;
using test_support::MemoryLimit;

// The estimate must count what the model really allocates: the parameter arena's size and, after a
// forward pass, Gpt::activation_floats (both measured on the model, not computed from the formula).
TEST(MemoryEstimate, MatchesWhatAModelAllocates) {
  const GptConfig config{.vocab_size = 50, .context_length = 12, .n_layer = 2, .n_head = 2, .n_embd = 8};
  Gpt model(config);
  const int B = 3, T = 7;
  std::vector<TokenId> inputs(B * T, token_id(1));
  model.forward(inputs, B, T);
  const GptMemoryEstimate e = estimate_gpt_memory(config, B, T);
  EXPECT_EQ(e.parameters, double(model.params().size()) * sizeof(float));
  EXPECT_EQ(e.gradients, double(model.grads().size()) * sizeof(float));
  EXPECT_EQ(e.activations, double(model.activation_floats()) * sizeof(float));
  EXPECT_EQ(e.optimizer, 2 * e.parameters) << "AdamW keeps m and v per parameter (its decay is one number a tensor)";
  EXPECT_EQ(e.corpus + e.process, 0) << "the model's part only";
}

// minillm train --width 65536 --layers 64 used to end in std::bad_alloc.
TEST(MemoryEstimate, AHugeModelIsRefusedWithTheNumbers) {
  const GptConfig huge{.vocab_size = 50257, .context_length = 128, .n_layer = 64, .n_head = 4, .n_embd = 65536};
  const std::string message = error_of([&] { require_training_fits_in_memory(huge, 16, 128); });
  EXPECT_NE(message.find("this model needs 13 TB for its parameters alone, 53 TB with gradients and AdamW's state"),
            std::string::npos) << message;
  EXPECT_NE(message.find("this machine has "), std::string::npos) << message;
  EXPECT_NE(message.find("choose a smaller --width"), std::string::npos) << message;
  EXPECT_NE(error_of([&] { Gpt model(huge); }).find("needs 13 TB for its parameters"), std::string::npos)
      << "constructing the model refuses too, before allocating";
}

TEST(MemoryEstimate, SizesThatOverflowIntegersGiveNumbersNotWrapArounds) {
  const GptConfig absurd{.vocab_size = 2'000'000'000, .context_length = 2'000'000'000, .n_layer = 2'000'000'000,
                         .n_head = 1, .n_embd = 2'000'000'000};
  const GptMemoryEstimate e = estimate_gpt_memory(absurd, 2'000'000'000, 2'000'000'000);
  EXPECT_GT(e.parameters, 1e28);
  EXPECT_GT(e.activations, 1e35);
  EXPECT_NE(error_of([&] { Gpt model(absurd); }).find("needs "), std::string::npos);
}

TEST(MemoryEstimate, TheMachinesSizeDecides) {
  const GptConfig config{.vocab_size = 4096, .context_length = 128, .n_layer = 4, .n_head = 4, .n_embd = 256};
  EXPECT_NO_THROW(require_training_fits_in_memory(config, 16, 128)) << "about 0.3 GB fits on any build machine";
  MemoryLimit limit("16M");
  EXPECT_NE(error_of([&] { require_training_fits_in_memory(config, 16, 128); }).find("available (of 17 MB)"),
            std::string::npos);
  EXPECT_NE(error_of([&] { Gpt model(config); }).find("needs 17 MB for its parameters"), std::string::npos);
}

TEST(MemoryEstimate, ABatchTooLargeForTheMachineIsRefusedByForward) {
  const GptConfig config{.vocab_size = 1000, .context_length = 64, .n_layer = 1, .n_head = 1, .n_embd = 8};
  Gpt model(config);
  MemoryLimit limit("8M");
  const int B = 1000, T = 64;
  std::vector<TokenId> inputs(size_t(B) * T, token_id(1));
  const std::string message = error_of([&] { model.forward(inputs, B, T); });
  EXPECT_NE(message.find("running the model on 1000 x 64 tokens needs"), std::string::npos) << message;
}

}  // namespace
}  // namespace minillm
