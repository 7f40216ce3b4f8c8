#pragma once
// The demo's one picture: bytes per token (y) against vocabulary size (x, on a log axis so each doubling of
// the vocabulary is the same step), as a PNG drawn by src/plot's line_chart.
#include <filesystem>
#include <vector>

#include "core/error.hpp"
#include "plot/charts.hpp"

struct ChartPoint {
  double vocab_size;
  double bytes_per_token;
};

inline void write_bytes_per_token_chart(const std::filesystem::path& file, const std::vector<ChartPoint>& points) {
  minillm::require(points.size() >= 2, "the chart needs at least two vocabulary sizes");
  minillm::plot::LineChartSpec spec;
  spec.title = "Bytes per token as the BPE vocabulary grows";
  spec.x_label = "vocabulary size (tokens, log scale)";
  spec.y_label = "bytes per token";
  spec.width = 800, spec.height = 480;
  minillm::plot::Series series{"bytes per token", {}, {}, {}, 3.0, /*markers=*/true};
  for (const ChartPoint& p : points) {
    series.x.push_back(p.vocab_size);
    series.y.push_back(p.bytes_per_token);
  }
  spec.series = {series};
  spec.log_x = true;
  spec.x_ticks = series.x;  // a tick at each measured size (256, 362, 512, ...): the numbers in the table
  // One series needs no legend box; an empty name leaves the whole width to the plot.
  spec.series[0].name.clear();
  minillm::plot::line_chart(file, spec);
}
