#include "core/rng.hpp"

#include <bit>
#include <cmath>
#include <sstream>

#include "core/error.hpp"

namespace minillm {

namespace {
uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
}  // namespace

Rng::Rng(uint64_t seed) {
  for (auto& word : s_) word = splitmix64(seed);
}

uint64_t Rng::next_u64() {
  const uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = std::rotl(s_[3], 45);
  return result;
}

float Rng::uniform() { return static_cast<float>(next_u64() >> 40) * 0x1.0p-24f; }

float Rng::uniform(float low, float high) { return low + (high - low) * uniform(); }

double Rng::uniform_double() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

float Rng::normal(float mean, float stddev) {
  // Box-Muller makes two independent normals from two uniforms; keep the second for the next call.
  double z;
  if (has_spare_normal_) {
    z = spare_normal_;
    has_spare_normal_ = false;
  } else {
    double u1 = 1.0 - uniform_double();  // (0, 1]: log(0) would be -inf
    double u2 = uniform_double();
    double radius = std::sqrt(-2.0 * std::log(u1));
    double angle = 2.0 * M_PI * u2;
    z = radius * std::cos(angle);
    spare_normal_ = radius * std::sin(angle);
    has_spare_normal_ = true;
  }
  return static_cast<float>(mean + stddev * z);
}

uint64_t Rng::below(uint64_t n) {
  require(n >= 1, "Rng::below(n) needs n >= 1, got 0");
  // Lemire's multiply-shift with rejection: unbiased and usually one multiplication.
  unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    uint64_t threshold = -n % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next_u64()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

int64_t Rng::between(int64_t low, int64_t high) {
  require(low <= high, "Rng::between({}, {}): low must not exceed high", low, high);
  // Unsigned arithmetic: high - low overflows int64 for wide ranges such as [INT64_MIN, INT64_MAX].
  const uint64_t span = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
  const uint64_t offset = span == UINT64_MAX ? next_u64() : below(span + 1);
  return static_cast<int64_t>(static_cast<uint64_t>(low) + offset);
}

void Rng::fill_normal(std::span<float> out, float mean, float stddev) {
  for (float& x : out) x = normal(mean, stddev);
}

void Rng::fill_uniform(std::span<float> out, float low, float high) {
  for (float& x : out) x = uniform(low, high);
}

std::string Rng::state() const {
  std::ostringstream os;
  os << s_[0] << ' ' << s_[1] << ' ' << s_[2] << ' ' << s_[3] << ' ' << (has_spare_normal_ ? 1 : 0) << ' '
     << std::bit_cast<uint64_t>(spare_normal_);
  return os.str();
}

void Rng::set_state(const std::string& state) {
  std::istringstream is(state);
  std::array<uint64_t, 4> s{};
  int spare_flag = 0;
  uint64_t spare_bits = 0;
  is >> s[0] >> s[1] >> s[2] >> s[3] >> spare_flag >> spare_bits;
  require(!is.fail() && (spare_flag == 0 || spare_flag == 1) && (s[0] | s[1] | s[2] | s[3]) != 0,
          "malformed RNG state '{}': expected six integers as written by Rng::state()", state);
  s_ = s;
  has_spare_normal_ = spare_flag == 1;
  spare_normal_ = std::bit_cast<double>(spare_bits);
}

}  // namespace minillm
