#include "ui/progress.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "ui/terminal.hpp"

namespace minillm::ui {

namespace {
constexpr double kRedrawSeconds = 0.1;   // a terminal line redraws at most 10 times a second
constexpr double kLogEverySeconds = 30;  // a log line at least this often even between deciles
}  // namespace

ProgressEstimate estimate_progress(double done, double total, double elapsed_seconds) {
  ProgressEstimate e;
  if (total > 0) e.fraction = std::clamp(done / total, 0.0, 1.0);
  if (elapsed_seconds > 0 && done > 0) {
    e.rate = done / elapsed_seconds;
    // Assumes the rate so far holds for the rest: simple, and honest about being an estimate.
    e.seconds_left = total > 0 ? std::max(0.0, total - done) / e.rate : -1;
  }
  return e;
}

std::string format_count(double value) {
  const double a = std::fabs(value);
  // Whole numbers below 10000 are exact ("250/1000 steps"); larger ones get a suffix.
  if (a < 1e4 && value == std::floor(value)) return fmt::format("{:.0f}", value);
  const char* suffix = "";
  double scaled = value;
  if (a >= 1e9) scaled = value / 1e9, suffix = "G";
  else if (a >= 1e6) scaled = value / 1e6, suffix = "M";
  else if (a >= 1e3) scaled = value / 1e3, suffix = "k";
  const double s = std::fabs(scaled);
  // Three significant digits, rounding first so 999.96 does not print as "1000.0".
  if (s >= 99.95) return fmt::format("{:.0f}{}", scaled, suffix);
  if (s >= 9.995) return fmt::format("{:.1f}{}", scaled, suffix);
  return fmt::format("{:.2f}{}", scaled, suffix);
}

std::string format_rate(double units_per_second, std::string_view unit) {
  if (units_per_second <= 0) return fmt::format("? {}/s", unit);
  if (units_per_second < 1) {
    // "2.5 s/step" reads better than "0.40 steps/s"; drop a plural "s" from the unit.
    std::string_view one = unit;
    if (one.size() > 1 && one.back() == 's') one.remove_suffix(1);
    return fmt::format("{} s/{}", format_count(1.0 / units_per_second), one);
  }
  return fmt::format("{} {}/s", format_count(units_per_second), unit);
}

std::string format_clock(double seconds) {
  if (seconds < 0 || !std::isfinite(seconds)) return "?";
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s < 3600) return fmt::format("{}:{:02}", s / 60, s % 60);
  return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
}

std::string format_progress_line(std::string_view label, double done, double total, std::string_view unit,
                                 double elapsed_seconds, const Metrics& metrics, int bar_width) {
  const ProgressEstimate e = estimate_progress(done, total, elapsed_seconds);
  std::string line;
  if (total > 0) {
    const int filled = static_cast<int>(e.fraction * bar_width);
    line = fmt::format("{} {:3.0f}% [{}{}] {}/{} {}  {}  {} elapsed  {} left", label, 100 * e.fraction,
                       std::string(filled, '#'), std::string(bar_width - filled, '.'), format_count(done),
                       format_count(total), unit, format_rate(e.rate, unit), format_clock(elapsed_seconds),
                       format_clock(e.seconds_left));
  } else {
    // Unknown total: no percentage, bar or time left, just how far and how fast.
    line = fmt::format("{} {} {}  {}  {} elapsed", label, format_count(done), unit, format_rate(e.rate, unit),
                       format_clock(elapsed_seconds));
  }
  for (const auto& [name, value] : metrics) {
    // Fixed decimals keep a changing loss from jumping about ("3.2100" then "3.1987"); counts and rates of
    // a thousand or more read best as "5.33k"; tiny values use %g.
    const double a = std::fabs(value);
    if (a >= 1e3 && std::isfinite(a)) line += fmt::format("  {} {}", name, format_count(value));
    else if (a == 0 || a >= 1e-3) line += fmt::format("  {} {:.4f}", name, value);
    else line += fmt::format("  {} {:.4g}", name, value);
  }
  return line;
}

ProgressBar::ProgressBar(std::string label, double total, std::string unit, std::FILE* stream)
    : label_(std::move(label)), total_(total), unit_(std::move(unit)), stream_(stream),
      terminal_(is_terminal(stream)), start_(std::chrono::steady_clock::now()), last_draw_(start_) {
  require(std::isfinite(total) && total >= 0, "progress bar '{}': the total must be a number >= 0, not {}", label_,
          total);
  require(stream != nullptr, "progress bar '{}': no output stream", label_);
}

ProgressBar::~ProgressBar() {
  // Unwinding past a bar (an exception in the loop) still ends its line; a destructor must not throw.
  try {
    if (!finished_) finish();
  } catch (...) {
  }
}

double ProgressBar::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressBar::update(double done, Metrics metrics) {
  done_ = done;
  if (!metrics.empty()) metrics_ = std::move(metrics);
  if (finished_) return;
  const auto now = std::chrono::steady_clock::now();
  const double since_draw = std::chrono::duration<double>(now - last_draw_).count();
  if (terminal_) {
    if (since_draw >= kRedrawSeconds) draw(false);
    return;
  }
  // Plain log: one line per new tenth of the way, or after a long quiet spell.
  const int decile = total_ > 0 ? static_cast<int>(std::clamp(done_ / total_, 0.0, 1.0) * 10) : -1;
  // The 100% line is left to finish(), which adds the total time.
  if (done_ >= total_ && total_ > 0) return;
  if (decile > last_logged_decile_ || since_draw >= kLogEverySeconds) {
    last_logged_decile_ = std::max(decile, last_logged_decile_);
    draw(false);
  }
}

void ProgressBar::advance(double n) { update(done_ + n); }

void ProgressBar::clear_line() {
  if (terminal_ && line_is_live_) {
    fmt::print(stream_, "{}", ansi::clear_line);
    std::fflush(stream_);
    line_is_live_ = false;
  }
}

void ProgressBar::finish() {
  if (finished_) return;
  draw(true);
  finished_ = true;
}

void ProgressBar::draw(bool final_line) {
  last_draw_ = std::chrono::steady_clock::now();
  const double elapsed = elapsed_seconds();
  std::string line = format_progress_line(label_, done_, total_, unit_, elapsed, metrics_);
  if (final_line) line += fmt::format("  done in {}", format_clock(elapsed));
  if (terminal_) {
    fmt::print(stream_, "{}{}{}", ansi::clear_line, line, final_line ? "\n" : "");
    line_is_live_ = !final_line;
  } else {
    fmt::print(stream_, "{}\n", line);
  }
  std::fflush(stream_);
}

}  // namespace minillm::ui
