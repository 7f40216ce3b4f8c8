// Rng: reproducible across instances, exact save/restore, and distributions that look like what they claim.
// Statistical bounds are 5 standard errors wide; with fixed seeds the tests are deterministic, and a correct
// generator lands well inside them, while a broken one (wrong scaling, bias, stuck state) lands far outside.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace {

using minillm::Error;
using minillm::Rng;

// An independent reference xoshiro256** seeded through splitmix64, written from the published algorithm
// (Blackman & Vigna, https://prng.di.unimi.it/) so the golden values below do not come from the code under
// test.
class ReferenceXoshiro {
 public:
  explicit ReferenceXoshiro(uint64_t seed) {
    for (uint64_t& word : state_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    const uint64_t result = rotate_left(state_[1] * 5, 7) * 9;
    const uint64_t shifted = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = rotate_left(state_[3], 45);
    return result;
  }

 private:
  static uint64_t rotate_left(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> state_{};
};

// The first six outputs for seed 1337, computed once with a Python transcription of the same algorithm.
constexpr std::array<uint64_t, 6> kGoldenSeed1337 = {
    0xad0aa0a04f822edcULL, 0xd0815851ce885defULL, 0xc70b17471e263e43ULL,
    0xee4d7f13899de194ULL, 0x2de1af701a887873ULL, 0xa78d767894da656dULL,
};

TEST(RngGolden, ReferenceImplementationMatchesThePublishedValues) {
  ReferenceXoshiro reference(1337);
  for (size_t i = 0; i < kGoldenSeed1337.size(); ++i)
    EXPECT_EQ(reference.next(), kGoldenSeed1337[i]) << "reference output #" << i << " for seed 1337";
}

TEST(RngGolden, FirstValuesForSeed1337AreXoshiro256StarStar) {
  Rng rng(1337);
  for (size_t i = 0; i < kGoldenSeed1337.size(); ++i)
    EXPECT_EQ(rng.next_u64(), kGoldenSeed1337[i])
        << "output #" << i << " of Rng(1337) changed: every saved run and fixture depends on this sequence";
}

TEST(RngGolden, LongSequenceMatchesTheReference) {
  Rng rng(20240607);
  ReferenceXoshiro reference(20240607);
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(rng.next_u64(), reference.next()) << "output #" << i;
}

TEST(RngGolden, UniformUsesTheTop24Bits) {
  // uniform() = (x >> 40) * 2^-24: exact in float, so compare bit for bit.
  Rng rng(1337);
  for (uint64_t x : kGoldenSeed1337) {
    const float expected = static_cast<float>(x >> 40) / 16777216.0f;
    EXPECT_EQ(rng.uniform(), expected) << "uniform() from the raw word " << x;
  }
}

TEST(RngDeterminism, SameSeedSameSequenceAcrossInstances) {
  Rng a(42), b(42);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(a.next_u64(), b.next_u64()) << "draw #" << i;
    ASSERT_EQ(a.normal(), b.normal()) << "normal #" << i;
    ASSERT_EQ(a.below(1000), b.below(1000)) << "below #" << i;
  }
}

TEST(RngDeterminism, DifferentSeedsGiveDifferentSequences) {
  Rng a(1), b(2);
  int equal = 0;
  for (int i = 0; i < 100; ++i) equal += a.next_u64() == b.next_u64();
  EXPECT_EQ(equal, 0) << "two seeds should not share 64-bit outputs";
}

TEST(RngState, RestoreContinuesTheExactSequenceIncludingTheSpareNormal) {
  Rng rng(7);
  for (int i = 0; i < 3; ++i) rng.normal();  // odd count: a spare normal is pending
  const std::string saved = rng.state();

  std::vector<double> original;
  for (int i = 0; i < 50; ++i) {
    original.push_back(rng.normal());
    original.push_back(rng.uniform());
    original.push_back(static_cast<double>(rng.below(97)));
  }

  Rng restored(999);  // a different seed: everything must come from the state string
  restored.set_state(saved);
  EXPECT_EQ(restored.state(), saved) << "state() after set_state() must round-trip";
  for (size_t i = 0; i < original.size(); i += 3) {
    EXPECT_EQ(restored.normal(), original[i]) << "normal draw " << i / 3 << " after restore";
    EXPECT_EQ(restored.uniform(), original[i + 1]) << "uniform draw " << i / 3 << " after restore";
    EXPECT_EQ(static_cast<double>(restored.below(97)), original[i + 2]) << "below draw " << i / 3;
  }
}

TEST(RngState, MalformedStatesAreRejectedWithAClearError) {
  Rng rng;
  for (const std::string bad : {"", "1 2 3", "a b c d e f", "1 2 3 4 2 0", "0 0 0 0 0 0"}) {
    try {
      rng.set_state(bad);
      ADD_FAILURE() << "set_state('" << bad << "') should throw";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("malformed RNG state"), std::string::npos) << e.what();
    }
  }
}

TEST(RngUniform, StaysInRangeWithTheRightMean) {
  Rng rng(123);
  constexpr int n = 100000;
  double sum = 0.0;
  float lo = 1.0f, hi = 0.0f;
  for (int i = 0; i < n; ++i) {
    float x = rng.uniform();
    ASSERT_GE(x, 0.0f);
    ASSERT_LT(x, 1.0f);
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    sum += x;
  }
  // Standard error of the mean of U(0,1): sqrt(1/12 / n) = 0.00091; allow 5 of them.
  EXPECT_NEAR(sum / n, 0.5, 5 * std::sqrt(1.0 / 12.0 / n));
  EXPECT_LT(lo, 0.001f) << "100k uniforms should come close to 0";
  EXPECT_GT(hi, 0.999f) << "100k uniforms should come close to 1";
}

TEST(RngUniform, ScaledRangeIsHalfOpen) {
  Rng rng(5);
  for (int i = 0; i < 10000; ++i) {
    float x = rng.uniform(-3.0f, 2.0f);
    ASSERT_GE(x, -3.0f);
    ASSERT_LT(x, 2.0f);
  }
}

TEST(RngNormal, MeanAndStdWithinStatisticalBounds) {
  Rng rng(2024);
  constexpr int n = 100000;
  const double mean = 3.0, stddev = 2.0;
  double sum = 0.0, sum_sq = 0.0;
  for (int i = 0; i < n; ++i) {
    double x = rng.normal(static_cast<float>(mean), static_cast<float>(stddev));
    sum += x;
    sum_sq += x * x;
  }
  const double sample_mean = sum / n;
  const double sample_std = std::sqrt(sum_sq / n - sample_mean * sample_mean);
  // Standard errors for n samples of N(mean, stddev²): stddev/sqrt(n) for the mean, stddev/sqrt(2n) for the
  // standard deviation. 5 standard errors each.
  EXPECT_NEAR(sample_mean, mean, 5 * stddev / std::sqrt(n));
  EXPECT_NEAR(sample_std, stddev, 5 * stddev / std::sqrt(2.0 * n));
}

TEST(RngNormal, TailsLookGaussian) {
  // P(|z| > 2) = 0.0455 for a standard normal; its standard error over 100k draws is 0.00066.
  Rng rng(99);
  constexpr int n = 100000;
  int beyond_two = 0;
  for (int i = 0; i < n; ++i) beyond_two += std::fabs(rng.normal()) > 2.0f;
  EXPECT_NEAR(double(beyond_two) / n, 0.0455, 5 * 0.00066);
}

TEST(RngBelow, AlwaysInRange) {
  Rng rng(11);
  for (uint64_t n : {1ULL, 2ULL, 7ULL, 1000ULL, (1ULL << 63) + 1}) {
    for (int i = 0; i < 2000; ++i) ASSERT_LT(rng.below(n), n) << "below(" << n << ")";
  }
}

TEST(RngBelow, EveryFaceOfADieComesUpEquallyOften) {
  Rng rng(31337);
  constexpr int faces = 6, n = 60000;
  std::array<int, faces> counts{};
  for (int i = 0; i < n; ++i) ++counts[rng.below(faces)];
  // Chi-square statistic with 5 degrees of freedom: mean 5; above 30 has probability ~1.5e-5.
  const double expected = double(n) / faces;
  double chi_square = 0.0;
  for (int c : counts) chi_square += (c - expected) * (c - expected) / expected;
  EXPECT_LT(chi_square, 30.0) << "counts far from uniform: a biased below()";
}

TEST(RngBelow, ZeroIsAnError) {
  Rng rng;
  EXPECT_THROW(rng.below(0), Error) << "below(0) has no valid answer";
}

TEST(RngBetween, InclusiveBoundsAndBadRange) {
  Rng rng(3);
  bool saw_low = false, saw_high = false;
  for (int i = 0; i < 1000; ++i) {
    int64_t x = rng.between(-2, 2);
    ASSERT_GE(x, -2);
    ASSERT_LE(x, 2);
    saw_low |= x == -2;
    saw_high |= x == 2;
  }
  EXPECT_TRUE(saw_low && saw_high) << "between(-2, 2) includes both ends";
  EXPECT_THROW(rng.between(5, 4), Error);
  EXPECT_EQ(rng.between(7, 7), 7) << "a range of one value";
}

TEST(RngBetween, RangesWiderThanInt64Max) {
  // high - low does not fit in int64 here; the result must still be in range and use both halves.
  constexpr int64_t lowest = std::numeric_limits<int64_t>::min(), highest = std::numeric_limits<int64_t>::max();
  Rng rng(4);
  int negative = 0;
  for (int i = 0; i < 1000; ++i) negative += rng.between(lowest, highest) < 0;
  EXPECT_NEAR(negative, 500, 100) << "about half of the full int64 range is negative";
  for (int i = 0; i < 1000; ++i) {
    int64_t x = rng.between(-10, highest);
    ASSERT_GE(x, -10) << "between(-10, INT64_MAX)";
  }
}

TEST(RngFill, FillsEveryElement) {
  Rng rng(8);
  std::vector<float> values(1000, -100.0f);
  rng.fill_uniform(values, 1.0f, 2.0f);
  for (float v : values) ASSERT_TRUE(v >= 1.0f && v < 2.0f) << v;
  rng.fill_normal(values, 0.0f, 1.0f);
  EXPECT_EQ(std::count(values.begin(), values.end(), -100.0f), 0);
}

}  // namespace
