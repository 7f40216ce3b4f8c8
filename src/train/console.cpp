#include "train/console.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

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
  const bool tty = isatty(fileno(stderr)) != 0;
  hooks.say = [tty](const std::string& text) {
    if (tty) fmt::print(stderr, "\r\033[K");
    fmt::print("{}\n", text);
    std::fflush(stdout);
  };
  // TODO(progress): switch to ui::ProgressBar once src/ui/progress.hpp lands (one line here).
  hooks.on_step = [tty, last_decile = -1LL](int64_t step, int64_t total, float loss, double tok_s,
                                            double left) mutable {
    const std::string of = total > 0 ? fmt::format("/{}", total) : "";
    const std::string line = fmt::format("step {}{} | loss {:.4f} | {:.0f} tok/s | ETA {}", step, of, loss, tok_s,
                                         total > 0 ? format_duration(left) : "?");
    if (tty) {
      fmt::print(stderr, "\r\033[K{}", line);
      return;
    }
    const long long decile = total > 0 ? step * 10 / total : -1;
    if (decile != last_decile || step == 1) fmt::print(stderr, "{}\n", line);
    last_decile = decile;
  };
  hooks.on_eval = [tty](int64_t step, double loss, double bpb) {
    if (tty) fmt::print(stderr, "\r\033[K");
    fmt::print("step {}: validation loss {:.4f} ({:.3f} bits per byte)\n", step, loss, bpb);
    std::fflush(stdout);
  };
  return hooks;
}

}  // namespace minillm
