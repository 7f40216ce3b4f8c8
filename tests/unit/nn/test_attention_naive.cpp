// The naive single-head attention (nn/attention_naive.hpp, the one chapter 03 teaches): its backward
// against central finite differences, and both passes against the blocked multi-head attention the model
// uses (nn/attention.hpp), head by head.
#include <cstddef>
#include <vector>

#include <gtest/gtest.h>

#include "check.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "nn/attention.hpp"
#include "nn/attention_naive.hpp"

namespace minillm {
namespace {

using minillm::testing::all_close;
using minillm::testing::GradCheck;

using minillm::testing::randn;

TEST(AttentionNaive, GradCheck) {
  Rng rng(21);
  const int T = 5, hs = 3;
  auto q = randn(rng, T * hs), k = randn(rng, T * hs), v = randn(rng, T * hs);
  std::vector<float> out(T * hs), preatt(T * T), att(T * T);
  GradCheck gc{[&] { attention_head_naive_forward(out.data(), preatt.data(), att.data(), q.data(), k.data(),
                                                  v.data(), T, hs); },
               out.data(), out.size(), randn(rng, out.size())};
  gc.forward();
  std::vector<float> dq(q.size()), dk(k.size()), dv(v.size()), datt(T * T), dpreatt(T * T);
  attention_head_naive_backward(dq.data(), dk.data(), dv.data(), datt.data(), dpreatt.data(), gc.weights.data(),
                                q.data(), k.data(), v.data(), att.data(), T, hs);
  EXPECT_TRUE(gc.check("naive attention dq", q.data(), dq.data(), q.size()));
  EXPECT_TRUE(gc.check("naive attention dk", k.data(), dk.data(), k.size()));
  EXPECT_TRUE(gc.check("naive attention dv", v.data(), dv.data(), v.size()));
}

// Copies head h's Q, K or V (part 0, 1 or 2) of batch b out of qkv[B,T,3C] into a contiguous [T,hs].
std::vector<float> head_part(const std::vector<float>& qkv, int b, int h, int part, int T, int C, int hs) {
  std::vector<float> m(static_cast<size_t>(T) * hs);
  for (int t = 0; t < T; ++t)
    for (int i = 0; i < hs; ++i)
      m[size_t(t) * hs + i] = qkv[(size_t(b) * T + t) * 3 * C + size_t(part) * C + size_t(h) * hs + i];
  return m;
}

// T = 37 crosses the blocked version's 32-row causal blocks, so both its block kinds are compared.
TEST(AttentionNaive, MatchesTheBlockedMultiHeadAttention) {
  Rng rng(22);
  const int B = 2, T = 37, C = 12, NH = 3, hs = C / NH;
  const size_t TT = size_t(T) * T;
  auto qkv = randn(rng, size_t(B) * T * 3 * C), dout = randn(rng, size_t(B) * T * C);
  std::vector<float> out(size_t(B) * T * C), preatt(B * NH * TT), att(B * NH * TT);
  std::vector<float> dqkv(qkv.size()), dpreatt(preatt.size()), datt(att.size());
  attention_forward(out.data(), preatt.data(), att.data(), qkv.data(), B, T, C, NH);
  attention_backward(dqkv.data(), dpreatt.data(), datt.data(), dout.data(), qkv.data(), att.data(), B, T, C, NH);

  for (int b = 0; b < B; ++b)
    for (int h = 0; h < NH; ++h) {
      SCOPED_TRACE(::testing::Message() << "batch " << b << ", head " << h);
      const auto q = head_part(qkv, b, h, 0, T, C, hs), k = head_part(qkv, b, h, 1, T, C, hs),
                 v = head_part(qkv, b, h, 2, T, C, hs);
      std::vector<float> head_out(size_t(T) * hs), head_pre(TT), head_att(TT);
      attention_head_naive_forward(head_out.data(), head_pre.data(), head_att.data(), q.data(), k.data(), v.data(),
                                   T, hs);
      const size_t bh = size_t(b) * NH + h;
      EXPECT_TRUE(all_close("att", head_att.data(), att.data() + bh * TT, TT, 1e-6, 1e-5));
      std::vector<float> blocked_out(size_t(T) * hs);
      for (int t = 0; t < T; ++t)
        for (int i = 0; i < hs; ++i) blocked_out[size_t(t) * hs + i] = out[(size_t(b) * T + t) * C + size_t(h) * hs + i];
      EXPECT_TRUE(all_close("out", head_out.data(), blocked_out.data(), blocked_out.size(), 1e-6, 1e-5));

      std::vector<float> head_dout(size_t(T) * hs);
      for (int t = 0; t < T; ++t)
        for (int i = 0; i < hs; ++i) head_dout[size_t(t) * hs + i] = dout[(size_t(b) * T + t) * C + size_t(h) * hs + i];
      std::vector<float> dq(q.size()), dk(k.size()), dv(v.size()), scratch1(TT), scratch2(TT);
      attention_head_naive_backward(dq.data(), dk.data(), dv.data(), scratch1.data(), scratch2.data(),
                                    head_dout.data(), q.data(), k.data(), v.data(), head_att.data(), T, hs);
      const auto blocked_dq = head_part(dqkv, b, h, 0, T, C, hs), blocked_dk = head_part(dqkv, b, h, 1, T, C, hs),
                 blocked_dv = head_part(dqkv, b, h, 2, T, C, hs);
      EXPECT_TRUE(all_close("dq", dq.data(), blocked_dq.data(), dq.size(), 1e-5, 1e-4));
      EXPECT_TRUE(all_close("dk", dk.data(), blocked_dk.data(), dk.size(), 1e-5, 1e-4));
      EXPECT_TRUE(all_close("dv", dv.data(), blocked_dv.data(), dv.size(), 1e-5, 1e-4));
    }
}

TEST(AttentionNaive, BackwardAccumulates) {
  Rng rng(23);
  const int T = 4, hs = 2;
  auto q = randn(rng, T * hs), k = randn(rng, T * hs), v = randn(rng, T * hs), dout = randn(rng, T * hs);
  std::vector<float> out(T * hs), preatt(T * T), att(T * T), s1(T * T), s2(T * T);
  attention_head_naive_forward(out.data(), preatt.data(), att.data(), q.data(), k.data(), v.data(), T, hs);
  std::vector<float> once(T * hs), twice(T * hs), unused(T * hs);
  attention_head_naive_backward(once.data(), unused.data(), unused.data(), s1.data(), s2.data(), dout.data(),
                                q.data(), k.data(), v.data(), att.data(), T, hs);
  for (int r = 0; r < 2; ++r)
    attention_head_naive_backward(twice.data(), unused.data(), unused.data(), s1.data(), s2.data(), dout.data(),
                                  q.data(), k.data(), v.data(), att.data(), T, hs);
  for (size_t i = 0; i < once.size(); ++i) EXPECT_FLOAT_EQ(twice[i], 2 * once[i]) << "dq element " << i;
}

TEST(AttentionNaive, BadShapeIsAClearError) {
  std::vector<float> buf(16);
  EXPECT_THROW(attention_head_naive_forward(buf.data(), buf.data(), buf.data(), buf.data(), buf.data(), buf.data(),
                                            0, 2),
               Error);
}

}  // namespace
}  // namespace minillm
