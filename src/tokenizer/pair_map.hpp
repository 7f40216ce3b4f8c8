#pragma once
// (left id, right id) -> merged id: the table BPE encoding consults for every adjacent pair.
//
// A thin face over absl::flat_hash_map (a SwissTable: open addressing, one probe of a 16-slot group per
// lookup) keyed by the two ids packed into one 64-bit integer, so no strings are hashed at all. It was
// measured against the hand-written open-addressing table it replaced: as fast for encoding
// (docs/benchmarks.md), so the packaged one stays.
#include <cstdint>

#include <absl/container/flat_hash_map.h>

namespace minillm {

class PairMap {
 public:
  static constexpr int32_t kNone = -1;

  // Keeps the first (lowest) value inserted for a pair.
  void insert(int32_t left, int32_t right, int32_t merged) { map_.try_emplace(key(left, right), merged); }

  // The merged id, or kNone when the pair never merges.
  int32_t find(int32_t left, int32_t right) const {
    const auto it = map_.find(key(left, right));
    return it == map_.end() ? kNone : it->second;
  }

  size_t size() const { return map_.size(); }

 private:
  static uint64_t key(int32_t left, int32_t right) {
    return (uint64_t{static_cast<uint32_t>(left)} << 32) | static_cast<uint32_t>(right);
  }
  absl::flat_hash_map<uint64_t, int32_t> map_;
};

}  // namespace minillm
