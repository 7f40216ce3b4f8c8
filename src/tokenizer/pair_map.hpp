#pragma once
// (left id, right id) -> merged id: the table BPE encoding consults for every adjacent pair.
//
// Encoding looks pairs up millions of times, so this is a flat open-addressing hash table (linear probing,
// power-of-two capacity, at most half full) rather than std::unordered_map: one multiply-shift hash and
// usually one cache line per lookup, and no strings are hashed at all.
#include <cstdint>
#include <vector>

namespace minillm {

class PairMap {
 public:
  static constexpr int32_t kNone = -1;

  // Keeps the first (lowest) value inserted for a pair.
  void insert(int32_t left, int32_t right, int32_t merged) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    place(key(left, right), merged);
  }

  // The merged id, or kNone when the pair never merges.
  int32_t find(int32_t left, int32_t right) const {
    if (slots_.empty()) return kNone;
    const uint64_t k = key(left, right);
    for (size_t i = slot_of(k);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == k) return s.value;
      if (s.key == kEmpty) return kNone;
    }
  }

  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t key;
    int32_t value;
  };
  static constexpr uint64_t kEmpty = ~uint64_t{0};

  static uint64_t key(int32_t left, int32_t right) {
    return (uint64_t{static_cast<uint32_t>(left)} << 32) | static_cast<uint32_t>(right);
  }
  size_t slot_of(uint64_t k) const { return ((k * 0x9E3779B97F4A7C15ull) >> shift_) & mask_; }

  void place(uint64_t k, int32_t value) {
    for (size_t i = slot_of(k);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.key == k) return;
      if (s.key == kEmpty) {
        s = {k, value};
        ++size_;
        return;
      }
    }
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    const size_t capacity = old.empty() ? 1024 : old.size() * 2;
    slots_.assign(capacity, Slot{kEmpty, kNone});
    mask_ = capacity - 1;
    shift_ = 64 - static_cast<int>(__builtin_ctzll(capacity));
    size_ = 0;
    for (const Slot& s : old)
      if (s.key != kEmpty) place(s.key, s.value);
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  int shift_ = 64;
  size_t size_ = 0;
};

}  // namespace minillm
