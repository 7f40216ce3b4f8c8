#pragma once
// The loss curve as a PNG: training loss per step (a thin light line, plus its running mean) and validation
// loss (dots joined by a line), loss on y, step on x. The trainer rewrites it after every validation, so
// it can be watched while training runs. Drawn by src/plot's line_chart.
#include <filesystem>
#include <utility>
#include <vector>

#include "plot/charts.hpp"

namespace minillm {

// train: (step, loss) for every step; val: (step, loss) for every validation (may be empty). Written
// atomically.
void write_loss_chart(const std::filesystem::path& file, const std::vector<std::pair<double, double>>& train,
                      const std::vector<std::pair<double, double>>& val);

// The chart's spec, for tests and for callers that want to change it before drawing.
plot::LineChartSpec loss_chart_spec(const std::vector<std::pair<double, double>>& train,
                                    const std::vector<std::pair<double, double>>& val);

}  // namespace minillm
