// Accuracy, per-class precision and recall, F1 and macro-F1 on a case worked by hand.
#include <gtest/gtest.h>

#include "classify/metrics.hpp"

namespace minillm {
namespace {

TEST(ClassificationReport, MatchesACaseWorkedByHand) {
  // 10 examples, 3 classes. Confusion (rows true, columns predicted):
  //   a: 3 1 0      precision a = 3/4, recall a = 3/4
  //   b: 1 2 0      precision b = 2/4, recall b = 2/3
  //   c: 0 1 2      precision c = 2/2, recall c = 2/3
  const std::vector<int> truth{0, 0, 0, 0, 1, 1, 1, 2, 2, 2}, predicted{0, 0, 0, 1, 0, 1, 1, 1, 2, 2};
  const ClassificationReport r = score_predictions(truth, predicted, {"a", "b", "c"});
  EXPECT_DOUBLE_EQ(r.accuracy, 0.7);
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int64_t>>{{3, 1, 0}, {1, 2, 0}, {0, 1, 2}}));
  EXPECT_DOUBLE_EQ(r.per_class[0].precision, 0.75);
  EXPECT_DOUBLE_EQ(r.per_class[1].precision, 0.5);
  EXPECT_DOUBLE_EQ(r.per_class[2].precision, 1.0);
  EXPECT_DOUBLE_EQ(r.per_class[1].recall, 2.0 / 3.0);
  const double f1_a = 0.75, f1_b = 2 * 0.5 * (2.0 / 3) / (0.5 + 2.0 / 3), f1_c = 2 * (2.0 / 3) / (1 + 2.0 / 3);
  EXPECT_NEAR(r.per_class[1].f1, f1_b, 1e-12);
  EXPECT_NEAR(r.macro_f1, (f1_a + f1_b + f1_c) / 3, 1e-12);
  EXPECT_EQ(r.per_class[2].support, 3);
  const nlohmann::json j = report_json(r);
  for (const char* key : {"accuracy", "macro_f1", "per_class", "confusion"}) EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_DOUBLE_EQ(j["per_class"]["c"]["precision"].get<double>(), 1.0);
}

TEST(ClassificationReport, AClassNeverPredictedHasPrecisionZero) {
  const ClassificationReport r = score_predictions({0, 1, 1}, {1, 1, 1}, {"ham", "spam"});
  EXPECT_EQ(r.per_class[0].precision, 0.0);
  EXPECT_EQ(r.per_class[0].f1, 0.0);
  EXPECT_DOUBLE_EQ(r.per_class[1].precision, 2.0 / 3.0);
}

}  // namespace
}  // namespace minillm
