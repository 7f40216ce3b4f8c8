#pragma once
// Axis ticks at "nice" numbers: steps of 1, 2 or 5 times a power of ten, so a reader can interpolate
// (0, 0.5, 1, 1.5 rather than 0, 0.37, 0.74). Log axes tick at powers of ten (and 2x, 5x when there are
// only a few decades).
#include <string>
#include <vector>

namespace minillm::plot {

struct Ticks {
  double lo = 0, hi = 1;          // the axis range, widened to whole steps around the data
  std::vector<double> values;     // tick positions, ascending, all within [lo, hi]
  double step = 1;                // spacing (linear ticks); 0 for log ticks
};

// The nice step nearest to `rough_step` > 0: 1, 2 or 5 times 10^k.
double nice_step(double rough_step);
// About `target_count` ticks covering [data_lo, data_hi]. A flat range (lo == hi) is widened around it.
Ticks nice_ticks(double data_lo, double data_hi, int target_count = 6);
// Ticks for a log10 axis over [data_lo, data_hi], both > 0 (Error otherwise); lo/hi are powers of ten.
Ticks log_ticks(double data_lo, double data_hi);
// A tick label without noise, with the decimals `step` needs so an axis's labels line up: 0.5, 2.0, 0.00010;
// big steps get a suffix (200k, 1.2M); log axes (step 0) use {:g} (0.01, 100, 1e+07).
std::string format_tick(double value, double step);

}  // namespace minillm::plot
