// The one-position linear layer of decoding: equal to the sum in double within float rounding, for sizes
// that are not multiples of its 4-row blocks or 8-wide lanes, and bit-identical for 1 and 2 threads.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/rng.hpp"
#include "core/threads.hpp"
#include "nn/matvec.hpp"

namespace minillm {
namespace {

TEST(Matvec, EqualsTheDotProductsForOddSizes) {
  Rng rng(3);
  for (auto [C, OC] : {std::pair{1, 1}, {7, 5}, {8, 4}, {37, 11}, {64, 130}}) {
    std::vector<float> w(static_cast<size_t>(C * OC)), x(static_cast<size_t>(C)), b(static_cast<size_t>(OC)),
        out(static_cast<size_t>(OC));
    rng.fill_normal(w, 0, 1), rng.fill_normal(x, 0, 1), rng.fill_normal(b, 0, 1);
    matvec_forward(out.data(), x.data(), w.data(), b.data(), C, OC);
    for (int o = 0; o < OC; ++o) {
      double want = b[static_cast<size_t>(o)];
      for (int i = 0; i < C; ++i) want += double(w[static_cast<size_t>(o * C + i)]) * x[static_cast<size_t>(i)];
      ASSERT_NEAR(out[static_cast<size_t>(o)], want, 1e-4 * (1 + std::sqrt(double(C)))) << "C=" << C << " row " << o;
    }
    matvec_forward(out.data(), x.data(), w.data(), nullptr, C, OC);
    double row0 = 0;
    for (int i = 0; i < C; ++i) row0 += double(w[static_cast<size_t>(i)]) * x[static_cast<size_t>(i)];
    EXPECT_NEAR(out[0], row0, 1e-4 * (1 + C)) << "without a bias";
  }
}

TEST(Matvec, SameBitsOnOneAndTwoThreads) {
  Rng rng(4);
  const int C = 301, OC = 1027;
  std::vector<float> w(static_cast<size_t>(C * OC)), x(static_cast<size_t>(C)), one(static_cast<size_t>(OC)),
      two(static_cast<size_t>(OC));
  rng.fill_normal(w, 0, 1), rng.fill_normal(x, 0, 1);
  const int saved = num_threads();
  set_num_threads(1);
  matvec_forward(one.data(), x.data(), w.data(), nullptr, C, OC);
  set_num_threads(2);
  matvec_forward(two.data(), x.data(), w.data(), nullptr, C, OC);
  set_num_threads(saved);
  EXPECT_TRUE(one == two);
}

}  // namespace
}  // namespace minillm
