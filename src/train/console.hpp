#pragma once
// What a training run shows on the terminal: a progress bar (ui::ProgressBar: steps, loss, tokens/s, time
// left), validation results, and sentences.
#include "train/trainer.hpp"

namespace minillm {

// quiet: only errors (for --json). Status goes to stderr, so stdout stays clean for --json.
TrainHooks console_hooks(bool quiet);

std::string format_duration(double seconds);  // "4m05s", "12s"

}  // namespace minillm
