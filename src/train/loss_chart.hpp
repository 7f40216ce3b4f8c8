#pragma once
// The loss curve as a PNG: training loss per step (a thin light line, plus its running mean) and validation
// loss (dots joined by a line), loss on y, step on x. The trainer rewrites it after every validation, so
// it can be watched while training runs. Drawn by src/plot's line_chart.
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "plot/charts.hpp"

namespace minillm {

// Text the model generated at a step (at a validation), shown on the curve at that step's loss.
struct StepSample {
  int64_t step = 0;
  std::string text;
};

// train: (step, loss) for every step; val: (step, loss) for every validation (may be empty); samples:
// generated text at some validations (may be empty; the first, the middle and the last are drawn).
// Written atomically.
void write_loss_chart(const std::filesystem::path& file, const std::vector<std::pair<double, double>>& train,
                      const std::vector<std::pair<double, double>>& val, const std::vector<StepSample>& samples = {});

// The chart's spec, for tests and for callers that want to change it before drawing.
plot::LineChartSpec loss_chart_spec(const std::vector<std::pair<double, double>>& train,
                                    const std::vector<std::pair<double, double>>& val,
                                    const std::vector<StepSample>& samples = {});

// A sample as a note's text: "step N: " then the first 56 characters of the text on one line, newlines and
// tabs as spaces, typographic quotes and dashes as ASCII, any other character the chart's font lacks as '?'.
std::string sample_note_text(const StepSample& sample);

}  // namespace minillm
