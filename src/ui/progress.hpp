#pragma once
// A progress bar for long loops (training steps, bytes read, merges learned):
//
//   ui::ProgressBar bar("training", total_steps, "steps");
//   for (...) { ...; bar.update(step + 1, {{"loss", loss}}); }
//   bar.finish();
//
// On a terminal it redraws one line (at most ~10 times a second):
//   training  42% [########..........]  420/1000 steps  12.3 steps/s  0:34 elapsed  0:47 left  loss 3.2100
// When stderr is not a terminal (CI logs, pipes) it prints a plain line every ~10% or every 30 s,
// whichever comes first, so a log shows progress without a flood. finish() prints the final line with the
// total time. The arithmetic (rate, ETA) and formatting are plain functions so they can be tested.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace minillm::ui {

// One named number shown after the bar, e.g. {"loss", 3.21}.
using Metric = std::pair<std::string, double>;
using Metrics = std::vector<Metric>;

// Rate and time left, from how much is done after how long.
struct ProgressEstimate {
  double fraction = 0;          // done / total, clamped to [0, 1] (0 when total is 0)
  double rate = 0;              // units per second (0 until time has passed)
  double seconds_left = -1;     // -1 when unknown (nothing done yet, or no time passed)
};
ProgressEstimate estimate_progress(double done, double total, double elapsed_seconds);

// Whole numbers below 10000 exactly (950, 1500); else 3 significant digits: 2.50, 12.3k, 4.20M, 7.50G.
std::string format_count(double value);
// "12.3k tok/s"; rates below 1 are shown as "s/<unit>" instead ("2.5 s/step").
std::string format_rate(double units_per_second, std::string_view unit);
// 7 -> "0:07", 125 -> "2:05", 3725 -> "1:02:05"; negative (unknown) -> "?".
std::string format_clock(double seconds);
// The whole line (no colour, no carriage return). `bar_width` characters of bar between brackets.
std::string format_progress_line(std::string_view label, double done, double total, std::string_view unit,
                                 double elapsed_seconds, const Metrics& metrics, int bar_width = 24);

class ProgressBar {
 public:
  // `total` units of `unit` ("steps", "bytes", "merges"); 0 if unknown (no percentage or ETA then). Output
  // goes to `stream` (stderr by default). A negative or NaN total is an Error.
  ProgressBar(std::string label, double total, std::string unit = "steps", std::FILE* stream = stderr);
  ~ProgressBar();  // calls finish() if it was not called
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Sets how much is done (absolute) and the metrics to show; redraws if it is time to.
  void update(double done, Metrics metrics = {});
  // Adds `n` to what is done (keeps the last metrics).
  void advance(double n = 1);
  // Prints the final line with the total time (once). Safe to call more than once.
  void finish();

  // For callers that print other text meanwhile: clears the live line on a terminal (redrawn next update).
  void clear_line();

  double done() const { return done_; }
  double elapsed_seconds() const;

 private:
  void draw(bool final_line);

  std::string label_;
  double total_;
  std::string unit_;
  std::FILE* stream_;
  bool terminal_;
  double done_ = 0;
  Metrics metrics_;
  bool finished_ = false;
  bool line_is_live_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  int last_logged_decile_ = -1;
};

}  // namespace minillm::ui
