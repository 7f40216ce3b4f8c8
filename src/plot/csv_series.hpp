#pragma once
// Reading a CSV of numbers (a loss log, say) into line-chart series: the header row names the columns, one
// column is x, and every other column becomes a series. Empty cells are allowed and skipped, so a log where
// validation loss appears only every few steps still plots both curves.
//
//   step,train_loss,val_loss
//   1,4.20,4.25
//   2,3.90,
#include <string>
#include <string_view>

#include "plot/charts.hpp"

namespace minillm::plot {

// `x_column` empty = the first column. An Error names the line and column of anything that is not a number.
std::vector<Series> series_from_csv(std::string_view csv_text, const std::string& x_column = "");

}  // namespace minillm::plot
