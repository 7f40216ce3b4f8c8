#include <vector>

#include <gtest/gtest.h>

#include "tasks.hpp"

namespace {

TEST(ParameterCount, Gpt2Small) {
  EXPECT_EQ(ch05::parameter_count(50257, 1024, 12, 768), 124439808)
      << "GPT-2 small (V 50257, context 1024, 12 layers, width 768) has 124,439,808 parameters";
}

TEST(ParameterCount, TinyByHand) {
  // V=10, maxT=4, L=1, C=2: wte 20 + wpe 8 + block 12*4 + 13*2 = 74 + ln_f 4 = 106.
  EXPECT_EQ(ch05::parameter_count(10, 4, 1, 2), 106);
}

TEST(TrainingFlopsPerToken, SixNPlusAttention) {
  // The chapter 06 default: N = 4,240,896; 6N = 25,445,376; 12*4*256*128 = 1,572,864.
  EXPECT_DOUBLE_EQ(ch05::training_flops_per_token(4096, 128, 4, 256, 128), 25445376.0 + 1572864.0);
}

TEST(TiedLogits, DotWithEachEmbedding) {
  const std::vector<float> x = {1, 2, 0, 1};             // N=2 rows of C=2
  const std::vector<float> wte = {1, 0, 0, 1, 1, 1};     // V=3 embeddings
  const std::vector<float> logits = ch05::tied_logits(x, wte, 2, 2, 3);
  const std::vector<float> expected = {1, 2, 3, 0, 1, 1};
  EXPECT_EQ(logits, expected) << "row 0: [1,2]·[1,0]=1, [1,2]·[0,1]=2, [1,2]·[1,1]=3; row 1: 0, 1, 1";
}

}  // namespace
