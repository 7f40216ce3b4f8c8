#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "plot/csv_series.hpp"

namespace minillm::plot {
namespace {

TEST(CsvSeries, EveryColumnButXIsASeriesAndEmptyCellsAreSkipped) {
  const auto series = series_from_csv("step,train,val\n1,4.2,4.3\n2,3.9,\n3,3.5,3.6\n");
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].name, "train");
  EXPECT_EQ(series[0].x, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(series[0].y, (std::vector<double>{4.2, 3.9, 3.5}));
  EXPECT_EQ(series[1].name, "val");
  EXPECT_EQ(series[1].x, (std::vector<double>{1, 3})) << "row 2 has no validation value";
}

TEST(CsvSeries, ChoosingTheXColumnByName) {
  const auto series = series_from_csv("loss, tokens\r\n2.5, 100\r\n2.0, 200\r\n", "tokens");
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].name, "loss");
  EXPECT_EQ(series[0].x, (std::vector<double>{100, 200})) << "spaces and Windows line ends are tolerated";
}

TEST(CsvSeries, BadInputSaysWhereAndWhat) {
  auto error_of = [](std::string_view csv, const std::string& x = "") -> std::string {
    try {
      series_from_csv(csv, x);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error_of("").find("empty"), std::string::npos);
  EXPECT_NE(error_of("step\n1\n").find("one column"), std::string::npos);
  EXPECT_NE(error_of("step,loss\n").find("no rows"), std::string::npos);
  EXPECT_NE(error_of("step,loss\n1,abc\n").find("line 2, column 'loss' of the CSV is 'abc'"), std::string::npos);
  EXPECT_NE(error_of("step,loss\n1,2,3\n").find("line 2 of the CSV has 3 fields but the header has 2"),
            std::string::npos);
  EXPECT_NE(error_of("step,loss\n1,2\n", "epoch").find("no column named 'epoch'; its columns are: step, loss"),
            std::string::npos);
  EXPECT_NE(error_of("step,loss\n1,nan\n").find("not a finite number"), std::string::npos);
}

}  // namespace
}  // namespace minillm::plot
