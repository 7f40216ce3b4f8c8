#pragma once
// byte string -> int32: a flat open-addressing hash table (linear probing, power-of-two capacity, at most
// half full) for the two lookups encoding does once per piece: "is this piece a whole token?" and "have I
// merged this piece before in this call?". Unlike std::unordered_map it allocates no node per entry, so a
// lookup is one hash and usually one cache line.
//
// It stores string_views: the caller keeps the bytes alive (the vocabulary, or the text being encoded).
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace minillm {

class BytesMap {
 public:
  static constexpr int32_t kNone = -1;

  explicit BytesMap(size_t expected = 0) {
    size_t capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    slots_.assign(capacity, Slot{});
  }

  // Keeps the first value inserted for a key.
  void insert(std::string_view key, int32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    place(key, hash(key), value);
  }

  int32_t find(std::string_view key) const {
    const uint64_t h = hash(key);
    for (size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (s.value == kNone) return kNone;
      if (s.hash == h && s.key == key) return s.value;
    }
  }

  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    std::string_view key;
    int32_t value = kNone;  // kNone marks an empty slot
  };

  static uint64_t hash(std::string_view key) { return std::hash<std::string_view>{}(key); }

  void place(std::string_view key, uint64_t h, int32_t value) {
    for (size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.value == kNone) {
        s = {h, key, value};
        ++size_;
        return;
      }
      if (s.hash == h && s.key == key) return;
    }
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot{});
    size_ = 0;
    for (const Slot& s : old)
      if (s.value != kNone) place(s.key, s.hash, s.value);
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace minillm
