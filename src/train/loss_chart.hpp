#pragma once
// The loss curve as a PNG: training loss per step (a thin line, plus its running mean) and validation
// loss (dots joined by a line), loss on y, step on x. The trainer rewrites it after every validation, so
// it can be watched while training runs. (A small self-contained chart; src/plot's line_chart can replace
// it once that module exists.)
#include <filesystem>
#include <utility>
#include <vector>

namespace minillm {

// train: (step, loss) for every step; val: (step, loss) for every validation. Written atomically.
void write_loss_chart(const std::filesystem::path& file, const std::vector<std::pair<double, double>>& train,
                      const std::vector<std::pair<double, double>>& val);

}  // namespace minillm
