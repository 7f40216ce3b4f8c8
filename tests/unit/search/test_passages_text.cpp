// Passages, the text embedder and BM25, on texts small enough to check by hand.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "search/bm25.hpp"
#include "search/passages.hpp"
#include "search/retrieval_eval.hpp"
#include "search/text_embedder.hpp"

namespace minillm::search {
namespace {

TEST(Paragraphs, ShortParagraphsJoinTheNextAndPlacesAreKept) {
  const std::string text = "CHAPTER 1. Loomings.\n\nCall me Ishmael. Some years ago\nnever mind.\n\n  \nA b c d e f g h.\n";
  const auto p = split_paragraphs(text, 5, 100);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].text, "CHAPTER 1. Loomings. Call me Ishmael. Some years ago never mind.");
  EXPECT_EQ(p[0].line, 1);
  EXPECT_EQ(p[0].offset, 0);
  EXPECT_EQ(p[1].text, "A b c d e f g h.");
  EXPECT_EQ(p[1].line, 7);
  EXPECT_EQ(p[1].chapter, "CHAPTER 1. Loomings.");
  EXPECT_EQ(p[1].place(), "line 7, CHAPTER 1. Loomings.");
  EXPECT_EQ(text.substr(size_t(p[1].offset), 3), "A b");
}

TEST(Paragraphs, LongParagraphsAreCutIntoPiecesOfMaxWords) {
  const auto p = split_paragraphs("a b c d e f g", 1, 3);
  ASSERT_EQ(p.size(), 3u) << "7 words in pieces of at most 3: three pieces";
  EXPECT_EQ(p[0].text, "a b");
  EXPECT_EQ(p[1].text, "c d");
  EXPECT_EQ(p[2].text, "e f g");
}

TEST(WordWindows, NeighboursShareTheOverlap) {
  const auto p = split_word_windows("one two three four five six seven", 4, 2);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].text, "one two three four");
  EXPECT_EQ(p[1].text, "three four five six");
  EXPECT_EQ(p[2].text, "five six seven");
  EXPECT_THROW(split_word_windows("a b", 3, 3), Error);
}

TextEmbedder tiny() {
  // three 2-d words: sea (1,0), ship (0,2), whale (3,4)
  return TextEmbedder({"sea", "ship", "whale"}, {1, 0, 0, 2, 3, 4}, 2, {1, 1, 1});
}

TEST(TextEmbedder, UnitLengthMeanOfTheKnownWords) {
  float out[2];
  EXPECT_EQ(tiny().embed("The SEA, the ship!", out), 2) << "sea and ship are known; the is not";
  // (1,0) + (0,2) = (1,2), length sqrt(5)
  EXPECT_NEAR(out[0], 1 / std::sqrt(5.0), 1e-6);
  EXPECT_NEAR(out[1], 2 / std::sqrt(5.0), 1e-6);
  EXPECT_EQ(tiny().embed("nothing known", out), 0);
  EXPECT_EQ(out[0], 0.0f);
}

TEST(TextEmbedder, SifWeightsRareWordsHigher) {
  const embed::WordVectors vectors(embed::Vocabulary::from_words({"sea", "ship"}), {1, 0, 0, 1}, 2);
  const TextEmbedder e = TextEmbedder::sif(vectors, "sea sea sea ship", 0.5);
  EXPECT_NEAR(e.weights()[0], 0.5 / (0.5 + 0.75), 1e-6);
  EXPECT_NEAR(e.weights()[1], 0.5 / (0.5 + 0.25), 1e-6);
  float out[2];
  e.embed("sea ship", out);
  EXPECT_GT(out[1], out[0]) << "the rarer word ship pulls the mean its way";
}

TEST(TextEmbedder, RemovingTheCommonDirectionSeparatesLookAlikes) {
  // "a" and "b" share a long common part (10, 0) and differ only in their small second number.
  TextEmbedder e({"a", "b"}, {10, 1, 10, -1}, 2, {1, 1});
  float va[2], vb[2];
  e.embed("a", va);
  e.embed("b", vb);
  EXPECT_GT(va[0] * vb[0] + va[1] * vb[1], 0.97f) << "before: cosine 99/101, the two look alike";
  e.remove_common_direction({"a", "b", "a b"});
  ASSERT_EQ(e.common_direction().size(), 2u);
  EXPECT_NEAR(std::abs(e.common_direction()[0]), 1.0, 1e-4) << "the shared direction is the first axis";
  e.embed("a", va);
  e.embed("b", vb);
  EXPECT_NEAR(va[0] * vb[0] + va[1] * vb[1], -1.0, 1e-4) << "after: only (0, 1) and (0, -1) are left, opposite";
}

TEST(Bm25, ScoresByTheFormula) {
  // Three passages; "whale" is in two of them (n = 2, N = 3), "white" in one.
  const Bm25 bm25({"the white whale", "a whale a whale", "the sea"}, 1.2, 0.75);
  const auto hits = bm25.search("white whale", 3);
  ASSERT_EQ(hits.size(), 3u);
  const double avg = (3 + 4 + 2) / 3.0;
  const double idf_whale = std::log(1 + (3 - 2 + 0.5) / (2 + 0.5)), idf_white = std::log(1 + (3 - 1 + 0.5) / (1 + 0.5));
  const auto term = [&](double tf, double len, double idf) { return idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len / avg)); };
  EXPECT_EQ(hits[0].id, 0);
  EXPECT_NEAR(hits[0].score, term(1, 3, idf_white) + term(1, 3, idf_whale), 1e-5);
  EXPECT_EQ(hits[1].id, 1);
  EXPECT_NEAR(hits[1].score, term(2, 4, idf_whale), 1e-5);
  EXPECT_EQ(hits[2].score, 0.0f);
}

// recall@1 and @5 of the two retrievers on three passages whose best hits are known by hand.
TEST(Retrievers, VectorAndKeywordSearchFeedRecall) {
  FlatIndex flat(2);
  const float rows[] = {1, 0, 0, 1, 0.6f, 0.8f};  // passage 2 lies between 0 and 1, nearer 1
  flat.add(rows, 3);
  // A query's vector: "north" is (0, 1), anything else (1, 0).
  const Retriever by_vector = vector_retriever(flat, [](const std::string& q, float* out) {
    out[0] = q == "north" ? 0.0f : 1.0f;
    out[1] = q == "north" ? 1.0f : 0.0f;
  });
  EXPECT_EQ(by_vector("north", 3), (std::vector<int64_t>{1, 2, 0}));
  const std::vector<RetrievalQuery> queries = {{"north", {2}}, {"east", {0}}};
  const RecallAt r = passage_recall(queries, by_vector);
  EXPECT_DOUBLE_EQ(r.at1, 0.5);  // "north" finds passage 2 second, "east" finds passage 0 first
  EXPECT_DOUBLE_EQ(r.at5, 1.0);
  const Bm25 bm25({"the white whale", "a whale a whale", "the sea"});
  EXPECT_EQ(bm25_retriever(bm25)("sea", 1), (std::vector<int64_t>{2}));
}

}  // namespace
}  // namespace minillm::search
