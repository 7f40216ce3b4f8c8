#pragma once
// The project's own seeded random number generator.
//
// Why not std::mt19937 + std::normal_distribution? The standard fixes the engine's output but NOT the
// distributions: libstdc++ and libc++ turn the same bits into different normals. Training runs, tests and
// fixtures must reproduce on every platform, so every distribution here is spelled out.
//
// Engine: xoshiro256** (Blackman & Vigna), seeded through splitmix64. Small state, fast, and its state is
// four integers, so checkpoints can save and restore it exactly.
#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace minillm {

class Rng {
 public:
  explicit Rng(uint64_t seed = 1337);

  uint64_t next_u64();
  uint32_t next_u32() { return static_cast<uint32_t>(next_u64() >> 32); }
  float uniform();                        // [0, 1), 24 random bits
  float uniform(float low, float high);   // [low, high)
  double uniform_double();                // [0, 1), 53 random bits
  float normal(float mean = 0.0f, float stddev = 1.0f);  // Box-Muller
  uint64_t below(uint64_t n);             // integer in [0, n), unbiased (Lemire); n >= 1
  int64_t between(int64_t low, int64_t high);  // integer in [low, high]

  void fill_normal(std::span<float> out, float mean, float stddev);
  void fill_uniform(std::span<float> out, float low, float high);

  // Exact save/restore (e.g. in a training checkpoint): "s0 s1 s2 s3 spare_flag spare_bits".
  std::string state() const;
  void set_state(const std::string& state);  // throws Error on a malformed string

 private:
  std::array<uint64_t, 4> s_{};
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace minillm
