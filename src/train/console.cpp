#include "train/console.hpp"

#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "ui/progress.hpp"

namespace minillm {

std::string format_duration(double seconds) {
  if (seconds < 0) seconds = 0;
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s / 60) % 60);
}

TrainHooks console_hooks(bool quiet) {
  TrainHooks hooks;
  if (quiet) return hooks;
  // The bar starts once the number of steps is known (with a time budget, after the first 3 steps) and
  // counts only the steps after its start, on its own clock: steps done before it existed would otherwise
  // look instantaneous (millions of steps/s), and a resumed run starts part-way.
  struct BarState {
    std::unique_ptr<ui::ProgressBar> bar;
    int64_t origin = 0;  // the step the bar started after
  };
  auto state = std::make_shared<BarState>();
  hooks.say = [state](const std::string& text) {
    if (state->bar) state->bar->clear_line();
    fmt::print("{}\n", text);
    std::fflush(stdout);
  };
  hooks.on_step = [state](int64_t step, int64_t total, float loss, double tok_s, double /*seconds_left*/) {
    if (total <= 0) return;
    if (!state->bar) {
      state->origin = step;
      state->bar = std::make_unique<ui::ProgressBar>("training", double(total - step), "steps");
      if (step < total) return;  // nothing measured on the bar's clock yet
    }
    state->bar->update(double(step - state->origin), {{"loss", loss}, {"tok/s", tok_s}});
    if (step == total) state->bar->finish();
  };
  hooks.on_eval = [state](int64_t step, double loss, double bpb) {
    if (state->bar) state->bar->clear_line();
    fmt::print("step {}: validation loss {:.4f} ({:.3f} bits per byte)\n", step, loss, bpb);
    std::fflush(stdout);
  };
  return hooks;
}

}  // namespace minillm
