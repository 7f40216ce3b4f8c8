// word2vec: word splitting, vocabulary, the SGNS gradients (finite differences), and a tiny training run
// on the project's own text whose loss must go down.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "embed/word2vec.hpp"
#include "io/atomic_file.hpp"

namespace minillm::embed {
namespace {

TEST(SplitWords, LowercasesAndCutsAtEverythingButLetters) {
  const std::vector<std::string> expected = {"the", "whale", "s", "jaw", "x"};
  EXPECT_EQ(split_words("The WHALE's jaw!! 42x"), expected)
      << "letters are lowercased; apostrophes, digits and punctuation separate words";
  EXPECT_TRUE(split_words(" 123 ... ").empty()) << "no letters, no words";
}

TEST(Vocabulary, DropsRareWordsAndOrdersByCount) {
  const auto words = split_words("b a b c b a");
  const Vocabulary v = Vocabulary::count(words, 2);
  ASSERT_EQ(v.size(), 2) << "c occurs once, below min_count 2";
  EXPECT_EQ(v.word(0), "b") << "most frequent first";
  EXPECT_EQ(v.count_of(1), 2);
  EXPECT_EQ(v.find("c"), -1);
  EXPECT_EQ(v.encode(words), (std::vector<int32_t>{0, 1, 0, 0, 1})) << "c is skipped";
  try {
    v.index_of("c");
    FAIL() << "c is not in the vocabulary";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("min_count = 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Vocabulary::count(words, 10), Error) << "no word occurs 10 times";
}

// L(centre, targets) against central differences, for every number of both.
TEST(SgnsGradient, MatchesFiniteDifferences) {
  const int dim = 6, K = 3;  // 1 positive + 3 negatives
  Rng rng(5);
  std::vector<float> centre(dim), targets((K + 1) * dim);
  rng.fill_normal(centre, 0, 0.7f);
  rng.fill_normal(targets, 0, 0.7f);
  const auto pointers = [&](std::vector<float>& m) {
    std::vector<float*> p;
    for (int t = 0; t <= K; ++t) p.push_back(m.data() + t * dim);
    return p;
  };
  const auto loss = [&] {
    std::vector<float> dc(dim), dt((K + 1) * dim);
    std::vector<float*> tp = pointers(targets), dp = pointers(dt);
    std::vector<const float*> ctp(tp.begin(), tp.end());
    return sgns_loss_backward(centre.data(), ctp, dim, dc.data(), dp);
  };
  std::vector<float> dcentre(dim, 0.0f), dtargets((K + 1) * dim, 0.0f);
  {
    std::vector<float*> tp = pointers(targets), dp = pointers(dtargets);
    std::vector<const float*> ctp(tp.begin(), tp.end());
    sgns_loss_backward(centre.data(), ctp, dim, dcentre.data(), dp);
  }
  const float h = 1e-2f;
  const auto check = [&](std::vector<float>& x, const std::vector<float>& analytic, const char* what) {
    for (size_t i = 0; i < x.size(); ++i) {
      const float saved = x[i];
      x[i] = saved + h;
      const double plus = loss();
      x[i] = saved - h;
      const double minus = loss();
      x[i] = saved;
      EXPECT_NEAR(analytic[i], (plus - minus) / (2 * h), 2e-3 + 1e-2 * std::abs(analytic[i])) << what << " " << i;
    }
  };
  check(centre, dcentre, "dL/d centre");
  check(targets, dtargets, "dL/d target");
}

TEST(SgnsGradient, KnownValueAtZero) {
  // All-zero vectors: every score is 0, σ(0) = 1/2, so L = (K+1) log 2 and the gradients are zero except
  // where the other vector is nonzero.
  const float centre[2] = {0, 0};
  const float t0[2] = {0, 0}, t1[2] = {0, 0};
  float dc[2] = {0, 0}, d0[2] = {0, 0}, d1[2] = {0, 0};
  const float* targets[] = {t0, t1};
  float* dtargets[] = {d0, d1};
  EXPECT_NEAR(sgns_loss_backward(centre, targets, 2, dc, dtargets), 2 * std::log(2.0), 1e-6)
      << "-log σ(0) - log σ(-0) = 2 log 2";
}

// One SGD step, computed here from the formulas of word2vec.hpp in double: every vector moves by -lr times
// its gradient taken before the step, and the loss returned is the one before the step.
TEST(SgnsUpdate, IsOneGradientStepOnEveryVector) {
  const int dim = 3;
  const float lr = 0.5f;
  std::vector<float> centre = {0.3f, -0.2f, 0.5f}, positive = {0.1f, 0.4f, -0.3f}, negative = {-0.6f, 0.2f, 0.7f};
  const auto sigma = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  const auto dot = [](const std::vector<float>& a, const std::vector<float>& b) {
    double sum = 0;
    for (size_t i = 0; i < a.size(); ++i) sum += double(a[i]) * b[i];
    return sum;
  };
  const double gp = sigma(dot(positive, centre)) - 1, gn = sigma(dot(negative, centre));
  const double loss = -std::log(sigma(dot(positive, centre))) - std::log(sigma(-dot(negative, centre)));
  std::vector<double> want_centre(dim), want_positive(dim), want_negative(dim);
  for (int i = 0; i < dim; ++i) {
    want_centre[i] = centre[i] - lr * (gp * positive[i] + gn * negative[i]);
    want_positive[i] = positive[i] - lr * gp * centre[i];
    want_negative[i] = negative[i] - lr * gn * centre[i];
  }
  float* targets[] = {positive.data(), negative.data()};
  EXPECT_NEAR(sgns_update(centre.data(), targets, dim, lr), loss, 1e-6);
  for (int i = 0; i < dim; ++i) {
    EXPECT_NEAR(centre[i], want_centre[i], 1e-6) << "centre " << i;
    EXPECT_NEAR(positive[i], want_positive[i], 1e-6) << "positive target " << i;
    EXPECT_NEAR(negative[i], want_negative[i], 1e-6) << "negative target " << i;
  }
}

std::vector<std::string> project_text() {
  std::string text;
  for (const char* name : {"how_models_read.txt", "lighthouse_story.txt", "numbers_and_lists.txt"})
    text += read_file(std::string(MINILLM_SOURCE_DIR) + "/data/text/" + name) + "\n";
  return split_words(text);
}

TEST(Word2VecTraining, LossGoesDownOnTheProjectText) {
  Word2VecOptions o;
  o.dim = 16;
  o.min_count = 2;
  o.epochs = 30;
  o.window = 3;
  o.subsample = 0;
  o.learning_rate = 0.05f;
  const Word2VecResult r = train_word2vec(project_text(), o);
  ASSERT_EQ(r.epoch_mean_loss.size(), 30u);
  EXPECT_NEAR(r.epoch_mean_loss.front(), 6 * std::log(2.0), 0.2)
      << "output vectors start at zero, so the first epoch's loss is near (1 + 5 negatives) * log 2";
  EXPECT_LT(r.epoch_mean_loss.back(), 0.8 * r.epoch_mean_loss.front()) << "training must lower the loss";
  EXPECT_EQ(r.vectors.size(), size_t(r.vocabulary.size()) * 16);
  for (float v : r.vectors) ASSERT_TRUE(std::isfinite(v));
}

// With several threads each thread trains a private copy of the output rows and merges its changes once
// per chunk (HotOutputRows): a merge that dropped a thread's changes, or applied them twice, would show
// here as a loss far from one thread's.
TEST(Word2VecTraining, TwoThreadsLearnAsWellAsOne) {
  Word2VecOptions o;
  o.dim = 16;
  o.min_count = 2;
  o.epochs = 30;
  o.window = 3;
  o.subsample = 0;
  o.learning_rate = 0.05f;
  const auto words = project_text();
  const double one_thread = train_word2vec(words, o).epoch_mean_loss.back();
  o.threads = 2;
  const Word2VecResult two = train_word2vec(words, o);
  EXPECT_NEAR(two.epoch_mean_loss.back(), one_thread, 0.05 * one_thread)
      << "two threads should end at about the loss of one (one thread: " << one_thread << ")";
  for (float v : two.output_vectors) ASSERT_TRUE(std::isfinite(v));
}

TEST(Word2VecTraining, OneThreadIsReproducible) {
  Word2VecOptions o;
  o.dim = 8;
  o.min_count = 2;
  o.epochs = 2;
  const auto words = project_text();
  EXPECT_EQ(train_word2vec(words, o).vectors, train_word2vec(words, o).vectors)
      << "same seed, one thread: the same vectors, bit for bit";
}

TEST(Word2VecTraining, BadOptionsAreErrors) {
  Word2VecOptions o;
  o.dim = 0;
  EXPECT_THROW(train_word2vec(project_text(), o), Error);
  o = {};
  o.min_count = 100000;
  EXPECT_THROW(train_word2vec(project_text(), o), Error) << "no word that frequent";
}

}  // namespace
}  // namespace minillm::embed
