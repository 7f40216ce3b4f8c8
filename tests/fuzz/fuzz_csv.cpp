// The CSV reader behind `minillm plot` on arbitrary bytes; series that parse are laid out as a line chart
// (ticks and ranges from whatever numbers the fuzzer found), the step that fails on odd ranges.
#include "fuzz_support.hpp"
#include "plot/charts.hpp"
#include "plot/csv_series.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = minillm::fuzz::as_text(data, size);
  minillm::fuzz::expect_load_or_error([&] {
    minillm::plot::LineChartSpec spec;
    spec.series = minillm::plot::series_from_csv(text);
    spec.log_y = size % 2 == 1;
    minillm::plot::line_chart_layout(spec);
  });
  return 0;
}
