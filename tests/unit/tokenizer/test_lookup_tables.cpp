// The two hash tables encoding relies on, against std::map on random keys.
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "core/rng.hpp"
#include "tokenizer/bytes_map.hpp"
#include "tokenizer/pair_map.hpp"

namespace minillm {
namespace {

TEST(LookupTables, BytesMapAgreesWithStdMap) {
  Rng rng(9);
  std::vector<std::string> keys;  // kept alive: BytesMap stores views
  for (int i = 0; i < 5000; ++i) {
    std::string k(rng.below(6), '\0');
    for (char& c : k) c = static_cast<char>(rng.below(4));  // small alphabet: many repeats, embedded NULs
    keys.push_back(k);
  }
  BytesMap table;  // starts small, so this also exercises growing
  std::map<std::string, int32_t> reference;
  for (int i = 0; i < static_cast<int>(keys.size()); ++i) {
    table.insert(keys[i], i);
    reference.emplace(keys[i], i);  // both keep the first value for a key
  }
  EXPECT_EQ(table.size(), reference.size());
  for (const auto& [key, value] : reference) EXPECT_EQ(table.find(key), value);
  EXPECT_EQ(table.find("not a key at all"), BytesMap::kNone);
}

TEST(LookupTables, PairMapAgreesWithStdMap) {
  Rng rng(10);
  PairMap table;
  std::map<std::pair<int32_t, int32_t>, int32_t> reference;
  for (int32_t i = 0; i < 20000; ++i) {
    const auto left = static_cast<int32_t>(rng.below(300)), right = static_cast<int32_t>(rng.below(300));
    table.insert(left, right, i);
    reference.emplace(std::pair{left, right}, i);
  }
  EXPECT_EQ(table.size(), reference.size());
  for (const auto& [pair, value] : reference) EXPECT_EQ(table.find(pair.first, pair.second), value);
  EXPECT_EQ(table.find(300, 300), PairMap::kNone) << "ids never inserted";
}

}  // namespace
}  // namespace minillm
