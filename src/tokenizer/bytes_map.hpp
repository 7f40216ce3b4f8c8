#pragma once
// byte string -> int32, for the two lookups encoding does once per piece: "is this piece a whole token?"
// and "have I merged this piece before in this call?".
//
// A thin face over absl::flat_hash_map (a SwissTable: no node per entry, so a lookup is one hash and
// usually one cache line), with kNone for "absent". It replaced a hand-written open-addressing table that
// was no faster (docs/benchmarks.md).
//
// It stores string_views: the caller keeps the bytes alive (the vocabulary, or the text being encoded).
#include <cstdint>
#include <string_view>

#include <absl/container/flat_hash_map.h>

namespace minillm {

class BytesMap {
 public:
  static constexpr int32_t kNone = -1;

  explicit BytesMap(size_t expected = 0) { map_.reserve(expected); }

  // Keeps the first value inserted for a key.
  void insert(std::string_view key, int32_t value) { map_.try_emplace(key, value); }

  int32_t find(std::string_view key) const {
    const auto it = map_.find(key);
    return it == map_.end() ? kNone : it->second;
  }

  size_t size() const { return map_.size(); }

 private:
  absl::flat_hash_map<std::string_view, int32_t> map_;
};

}  // namespace minillm
