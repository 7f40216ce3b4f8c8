// The index file: a round trip keeps everything, and damaged files are one clear Error each, found
// before any allocation the file's sizes ask for.
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "search/index_file.hpp"
#include "search/vectors.hpp"

namespace minillm::search {
namespace {

SearchIndex small_index(bool with_ivf) {
  SearchIndex index;
  Rng rng(1);
  std::vector<float> v(40 * 3);
  rng.fill_normal(v, 0, 1);
  normalise_rows(v.data(), 40, 3);
  index.flat = FlatIndex(3);
  index.flat.add(v.data(), 40);
  for (int i = 0; i < 40; ++i) {
    index.keys.push_back("passage " + std::to_string(i));
    index.places.push_back("line " + std::to_string(i + 1));
  }
  index.embedder.emplace(std::vector<std::string>{"sea", "ship"}, std::vector<float>{1, 0, 0, 0, 1, 0}, 3,
                         std::vector<float>{0.5f, 1});
  index.embedder->set_common_direction({0.6f, 0.8f, 0});
  if (with_ivf) {
    Rng r(2);
    index.ivf.emplace(IvfIndex::train(index.flat, 4, r));
  }
  return index;
}

// Rewrites the checksum after a deliberate change, so the test reaches the check behind it.
std::string with_checksum(std::string bytes) {
  const uint64_t h = fnv1a64(std::string_view(bytes).substr(0, bytes.size() - 8));
  std::memcpy(bytes.data() + bytes.size() - 8, &h, 8);
  return bytes;
}

std::string error_of(const std::string& bytes) {
  try {
    parse_index(bytes, "x.idx");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(IndexFile, RoundTripKeepsVectorsKeysPlacesEmbedderAndIvf) {
  const SearchIndex a = small_index(true);
  const auto dir = std::filesystem::temp_directory_path() / "minillm_search_test";
  save_index(dir / "a.idx", a);
  const SearchIndex b = load_index(dir / "a.idx");
  ASSERT_EQ(b.flat.size(), 40);
  EXPECT_EQ(std::memcmp(a.flat.data(), b.flat.data(), 40 * 3 * sizeof(float)), 0);
  EXPECT_EQ(b.keys, a.keys);
  EXPECT_EQ(b.places, a.places);
  EXPECT_TRUE(b.normalised);
  ASSERT_TRUE(b.embedder.has_value());
  EXPECT_EQ(b.embedder->words(), a.embedder->words());
  EXPECT_EQ(b.embedder->weights(), a.embedder->weights());
  EXPECT_EQ(b.embedder->common_direction(), a.embedder->common_direction());
  ASSERT_TRUE(b.ivf.has_value());
  EXPECT_EQ(b.ivf->assignment(), a.ivf->assignment());
  EXPECT_EQ(b.ivf->centroids(), a.ivf->centroids());
  std::filesystem::remove_all(dir);
}

TEST(IndexFile, LayoutStartsWithMagicVersionDimAndCount) {
  const std::string bytes = serialise_index(small_index(false));
  EXPECT_EQ(bytes.substr(0, 8), std::string("MLLMIDX\0", 8));
  uint32_t version, dim;
  uint64_t count;
  std::memcpy(&version, bytes.data() + 8, 4);
  std::memcpy(&dim, bytes.data() + 16, 4);
  std::memcpy(&count, bytes.data() + 24, 8);
  EXPECT_EQ(version, 2u);
  EXPECT_EQ(dim, 3u);
  EXPECT_EQ(count, 40u);
  float first;
  std::memcpy(&first, bytes.data() + 48, 4);
  EXPECT_EQ(first, small_index(false).flat.data()[0]) << "the vectors follow the 48-byte header";
}

TEST(IndexFile, DamagedFilesAreOneClearError) {
  const std::string good = serialise_index(small_index(true));
  EXPECT_NE(error_of("hello").find("not a minillm index"), std::string::npos);
  EXPECT_NE(error_of(good.substr(0, 30)).find("too short"), std::string::npos);
  std::string bad = good;
  bad[0] = 'X';
  EXPECT_NE(error_of(bad).find("not a minillm index"), std::string::npos);
  bad = good;
  bad[8] = 9;
  EXPECT_NE(error_of(bad).find("version 9"), std::string::npos);
  EXPECT_NE(error_of(good.substr(0, good.size() - 100)).find("checksum"), std::string::npos);
  bad = good;
  bad[200] ^= 1;
  EXPECT_NE(error_of(bad).find("checksum"), std::string::npos);
}

TEST(IndexFile, LyingSizesAreCaughtBeforeAllocating) {
  const std::string good = serialise_index(small_index(false));
  std::string bad = good;
  const uint64_t huge = uint64_t(1) << 60;  // 2^60 vectors: allocating them would throw bad_alloc
  std::memcpy(bad.data() + 24, &huge, 8);
  EXPECT_NE(error_of(with_checksum(bad)).find("need more bytes"), std::string::npos) << error_of(with_checksum(bad));
  bad = good;
  const uint32_t dim = 1u << 20;
  std::memcpy(bad.data() + 16, &dim, 4);
  EXPECT_NE(error_of(with_checksum(bad)).find("dimension"), std::string::npos);
  bad = good;  // the first key's length claims the whole file
  const uint32_t length = 1u << 30;
  std::memcpy(bad.data() + 48 + 40 * 3 * 4 + 8, &length, 4);
  EXPECT_NE(error_of(with_checksum(bad)).find("lengths add up"), std::string::npos) << error_of(with_checksum(bad));
}

TEST(IndexFile, NonFiniteNumbersAreRefused) {
  std::string bad = serialise_index(small_index(false));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(bad.data() + 48 + 5 * 4, &nan, 4);  // the sixth number of the vectors
  EXPECT_NE(error_of(with_checksum(bad)).find("number 5 of the vectors is nan"), std::string::npos)
      << error_of(with_checksum(bad));
}

// Found by the search_index fuzz target: a header claiming zero vectors reached memcpy(nullptr, ..., 0)
// (undefined behaviour, reported by UBSan in the sanitizer run) and gave an index with nothing to search.
TEST(IndexFile, AnIndexOfNoVectorsIsRefused) {
  std::string bad = serialise_index(small_index(false));
  const uint64_t zero = 0;
  std::memcpy(bad.data() + 24, &zero, 8);
  EXPECT_NE(error_of(with_checksum(bad)).find("it holds no vectors"), std::string::npos) << error_of(with_checksum(bad));
}

// A GPT-state index keeps no model, only where its checkpoint is and hashes of its model and tokenizer.
SearchIndex gpt_index() {
  SearchIndex index = small_index(false);
  index.embedder.reset();
  index.checkpoint = CheckpointRef{"/runs/moby", 0x1234567890abcdefull, 42};
  return index;
}

TEST(IndexFile, RoundTripKeepsTheCheckpoint) {
  const SearchIndex b = parse_index(serialise_index(gpt_index()), "x.idx");
  ASSERT_TRUE(b.checkpoint.has_value());
  EXPECT_EQ(*b.checkpoint, *gpt_index().checkpoint);
  EXPECT_FALSE(b.embedder.has_value());
  EXPECT_EQ(b.keys, gpt_index().keys);
}

void set_u32(std::string& bytes, size_t offset, uint32_t value) { std::memcpy(bytes.data() + offset, &value, 4); }

TEST(IndexFile, Version1FilesAreStillReadButCannotNameACheckpoint) {
  std::string old = serialise_index(small_index(true));  // version 1 had this same layout for word vectors
  set_u32(old, 8, 1);
  const SearchIndex a = parse_index(with_checksum(old), "x.idx");
  EXPECT_EQ(a.keys, small_index(true).keys);
  EXPECT_EQ(a.embedder->words(), small_index(true).embedder->words());
  std::string bad = serialise_index(gpt_index());
  set_u32(bad, 8, 1);
  EXPECT_NE(error_of(with_checksum(bad)).find("unknown flags 0xb for version 1"), std::string::npos)
      << error_of(with_checksum(bad));
}

TEST(IndexFile, WordVectorsAndACheckpointTogetherAreRefused) {
  std::string bad = serialise_index(small_index(false));
  uint32_t flags;
  std::memcpy(&flags, bad.data() + 12, 4);
  set_u32(bad, 12, flags | 8);
  EXPECT_NE(error_of(with_checksum(bad)).find("both word vectors and a checkpoint"), std::string::npos)
      << error_of(with_checksum(bad));
}

TEST(IndexFile, ALyingCheckpointPathIsCaughtBeforeAllocating) {
  const std::string good = serialise_index(gpt_index());
  // The checkpoint section follows the vectors, the keys and the places: find the path's u32 length.
  const size_t path_at = good.find("/runs/moby");
  ASSERT_NE(path_at, std::string::npos);
  std::string bad = good;
  set_u32(bad, path_at - 4, 1u << 30);
  EXPECT_NE(error_of(with_checksum(bad)).find("lengths add up"), std::string::npos) << error_of(with_checksum(bad));
  bad = good;
  const uint64_t zero = 0;
  std::memcpy(bad.data() + path_at - 12, &zero, 8);  // total 0, length 10: an empty path with bytes left over
  EXPECT_NE(error_of(with_checksum(bad)).find("checkpoint path"), std::string::npos) << error_of(with_checksum(bad));
}

TEST(IndexFile, MissingFileSaysHowToMakeOne) {
  try {
    load_index("/nonexistent/x.idx");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("minillm index build"), std::string::npos);
  }
}

}  // namespace
}  // namespace minillm::search
