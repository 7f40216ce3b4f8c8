// Cosine similarity, nearest neighbours and analogies on vectors whose answers we know; the word2vec text
// format round trip; PCA on data with a known main axis; k-means on well-separated blobs.
#include <cmath>
#include <filesystem>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "embed/kmeans.hpp"
#include "embed/pca.hpp"
#include "embed/word_vectors.hpp"
#include "io/atomic_file.hpp"

namespace minillm::embed {
namespace {

TEST(CosineSimilarity, KnownValues) {
  const std::vector<float> x = {1, 0}, y = {0, 3}, diagonal = {2, 2}, minus_x = {-5, 0};
  EXPECT_NEAR(cosine_similarity(x, x), 1.0f, 1e-7) << "a vector with itself";
  EXPECT_NEAR(cosine_similarity(x, y), 0.0f, 1e-7) << "orthogonal vectors";
  EXPECT_NEAR(cosine_similarity(x, diagonal), std::sqrt(0.5f), 1e-7) << "45 degrees: cos = 1/sqrt(2)";
  EXPECT_NEAR(cosine_similarity(x, minus_x), -1.0f, 1e-7) << "opposite directions, length does not matter";
  const std::vector<float> zero = {0, 0}, three = {1, 2, 3};
  EXPECT_THROW(cosine_similarity(x, zero), Error) << "a zero vector has no direction";
  EXPECT_THROW(cosine_similarity(x, three), Error) << "lengths differ";
}

// king/queen/man/woman on two axes (royal, female), plus an unrelated word.
WordVectors toy_vectors() {
  return WordVectors(Vocabulary::from_words({"king", "queen", "man", "woman", "fish"}),
                     {1.0f, 0.0f, 1.0f, 1.0f, 0.1f, 0.0f, 0.1f, 1.0f, -1.0f, -0.2f}, 2);
}

TEST(WordVectorsTest, NearestAndAnalogy) {
  const WordVectors v = toy_vectors();
  const auto near_man = v.nearest("man", 2);
  ASSERT_EQ(near_man.size(), 2u);
  EXPECT_EQ(near_man[0].word, "king") << "man (0.1, 0) points the same way as king (1, 0)";
  EXPECT_NEAR(near_man[0].similarity, 1.0f, 1e-6);
  const auto answer = v.analogy("king", "man", "woman", 1);
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(answer[0].word, "queen") << "king - man + woman = queen";
  EXPECT_THROW(v.nearest("dragon", 3), Error) << "unknown word";
  const auto all = v.nearest("fish", 10);
  EXPECT_EQ(all.size(), 4u) << "k larger than the vocabulary gives every other word";
}

TEST(WordVectorsTest, TextFormatRoundTripsExactly) {
  const WordVectors v = toy_vectors();
  const auto path = std::filesystem::temp_directory_path() / "minillm_embed_test_vectors.txt";
  v.save_text(path);
  const std::string text = read_file(path);
  EXPECT_EQ(text.substr(0, text.find('\n')), "5 2") << "word2vec header: number of words, dimensions";
  EXPECT_EQ(text.substr(text.find('\n') + 1, 7), "king 1 ") << "then one line per word";
  const WordVectors back = WordVectors::load_text(path);
  ASSERT_EQ(back.size(), 5);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(back.vocabulary().word(i), v.vocabulary().word(i));
    for (int d = 0; d < 2; ++d) EXPECT_EQ(back.vector(i)[size_t(d)], v.vector(i)[size_t(d)]);
  }
  write_file_atomically(path, std::string_view("2 3\na 1 2 3\nb 1 2\n"));
  try {
    WordVectors::load_text(path);
    FAIL() << "line 3 has 2 numbers, not 3";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
  }
  write_file_atomically(path, std::string_view("hello\n"));
  EXPECT_THROW(WordVectors::load_text(path), Error) << "not a header";
  std::filesystem::remove(path);
}

// Each kind of damage to a vectors file gets its own message (not bad_alloc, not a wrong count).
TEST(WordVectorsTest, DamagedFilesSayWhatIsWrong) {
  const auto path = std::filesystem::temp_directory_path() / "minillm_embed_test_damaged.txt";
  const auto expect_error = [&](std::string_view text, const std::string& words) {
    write_file_atomically(path, text);
    try {
      WordVectors::load_text(path);
      ADD_FAILURE() << "loading \"" << text << "\" must throw";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  expect_error("100000000 100000\nthe 1 2\n", "more than a file of");
  expect_error("1 2\nthe 1 nan\n", "number 2 is \"nan\", not a finite float");
  expect_error("1 2\nthe 1 2x\n", "number 2 is \"2x\", not a finite float");
  expect_error("1 2\nthe 1 1e40\n", "number 2 is \"1e40\", not a finite float");
  expect_error("1 2\nthe 1 2\nsea 3 4\n", "the file has more lines after them");
  std::filesystem::remove(path);
}

TEST(Pca, FindsTheKnownMainAxis) {
  // Points spread 10x more along (3, 4)/5 than along (-4, 3)/5, shifted away from the origin.
  Rng rng(2);
  const int n = 2000;
  std::vector<float> data;
  for (int i = 0; i < n; ++i) {
    const float a = rng.normal(0, 10), b = rng.normal(0, 1);
    data.push_back(5 + a * 0.6f - b * 0.8f);
    data.push_back(-3 + a * 0.8f + b * 0.6f);
  }
  const PcaResult r = pca(data.data(), n, 2, 2, rng);
  EXPECT_NEAR(std::abs(r.components[0]), 0.6f, 0.01f) << "first component is ±(0.6, 0.8)";
  EXPECT_NEAR(std::abs(r.components[1]), 0.8f, 0.01f);
  EXPECT_NEAR(r.components[0] * r.components[2] + r.components[1] * r.components[3], 0.0f, 1e-5)
      << "components are orthogonal";
  EXPECT_NEAR(r.variance[0], 100.0, 8.0) << "variance along the main axis is about 10²";
  EXPECT_NEAR(r.variance[1], 1.0, 0.1);
  EXPECT_NEAR(r.variance[0] + r.variance[1], r.total_variance, 1e-3) << "in 2D, two components explain everything";
  double mean = 0;
  for (int i = 0; i < n; ++i) mean += r.projected[size_t(i) * 2];
  EXPECT_NEAR(mean / n, 0.0, 1e-3) << "projections are of centred data";
  EXPECT_THROW(pca(data.data(), n, 2, 3, rng), Error) << "3 components of 2D data";
}

TEST(KMeans, SeparatesWellSeparatedBlobs) {
  Rng rng(9);
  const float centres[3][2] = {{0, 0}, {20, 0}, {0, 20}};
  std::vector<float> data;
  std::vector<int> truth;
  for (int i = 0; i < 300; ++i) {
    const int blob = i % 3;
    data.push_back(centres[blob][0] + rng.normal());
    data.push_back(centres[blob][1] + rng.normal());
    truth.push_back(blob);
  }
  const KMeansResult r = kmeans(data.data(), 300, 2, 3, rng);
  // Cluster numbers are arbitrary; what matters is that each blob maps to one cluster and blobs differ.
  std::set<int> labels;
  for (int blob = 0; blob < 3; ++blob) {
    const int label = r.assignment[size_t(blob)];
    labels.insert(label);
    for (int i = blob; i < 300; i += 3) ASSERT_EQ(r.assignment[size_t(i)], label) << "point " << i << " of blob " << blob;
  }
  EXPECT_EQ(labels.size(), 3u) << "three blobs, three different clusters";
  EXPECT_LT(r.inertia / 300, 3.0) << "mean squared distance to the centroid is about 2 (two unit-variance axes)";
  EXPECT_THROW(kmeans(data.data(), 300, 2, 301, rng), Error) << "more clusters than points";
}

}  // namespace
}  // namespace minillm::embed

#include "embed/tsne.hpp"

namespace minillm::embed {
namespace {

TEST(Tsne, KeepsBlobNeighboursTogether) {
  // Four blobs in 10 dimensions, 15 points each; after t-SNE every point's nearest 2D neighbour must be
  // from its own blob.
  Rng rng(4);
  const int per_blob = 15, blobs = 4, d = 10, n = per_blob * blobs;
  std::vector<float> data;
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < d; ++k) data.push_back((k == i % blobs ? 10.0f : 0.0f) + rng.normal());
  TsneOptions o;
  o.perplexity = 8;
  const std::vector<float> y = tsne(data.data(), n, d, o);
  ASSERT_EQ(y.size(), size_t(2 * n));
  for (int i = 0; i < n; ++i) {
    int nearest = -1;
    float best = INFINITY;
    for (int j = 0; j < n; ++j) {
      if (j == i) continue;
      const float dx = y[size_t(2 * i)] - y[size_t(2 * j)], dy = y[size_t(2 * i + 1)] - y[size_t(2 * j + 1)];
      if (dx * dx + dy * dy < best) best = dx * dx + dy * dy, nearest = j;
    }
    EXPECT_EQ(nearest % blobs, i % blobs) << "point " << i << "'s nearest neighbour in 2D is from another blob";
  }
  EXPECT_THROW(tsne(data.data(), n, d, TsneOptions{100, 10, 100, 1}), Error) << "perplexity above the point count";
}

}  // namespace
}  // namespace minillm::embed
