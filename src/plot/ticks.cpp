#include "plot/ticks.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"

namespace minillm::plot {

double nice_step(double rough_step) {
  require(rough_step > 0 && std::isfinite(rough_step), "a tick step must be a positive number, not {}", rough_step);
  const double power = std::pow(10.0, std::floor(std::log10(rough_step)));
  const double f = rough_step / power;  // in [1, 10)
  // Round to the nearest of 1, 2, 5, 10 (geometric midpoints would be 1.41, 3.16, 7.07; these are close).
  const double nice = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
  return nice * power;
}

Ticks nice_ticks(double data_lo, double data_hi, int target_count) {
  require(std::isfinite(data_lo) && std::isfinite(data_hi), "axis range [{}, {}] is not finite", data_lo, data_hi);
  require(data_lo <= data_hi, "axis range [{}, {}] is reversed; give the smaller value first", data_lo, data_hi);
  require(target_count >= 2, "ask for at least 2 ticks, not {}", target_count);
  if (data_lo == data_hi) {
    // One value (a flat series): widen by 10% of it (or by 1 around zero) so the line sits mid-axis.
    const double pad = data_lo != 0 ? std::fabs(data_lo) * 0.1 : 1.0;
    data_lo -= pad, data_hi += pad;
  }
  Ticks t;
  t.step = nice_step((data_hi - data_lo) / (target_count - 1));
  t.lo = std::floor(data_lo / t.step) * t.step;
  t.hi = std::ceil(data_hi / t.step) * t.step;
  const auto n = static_cast<int>(std::lround((t.hi - t.lo) / t.step));
  for (int i = 0; i <= n; ++i) {
    double v = t.lo + i * t.step;  // from lo each time, so errors do not accumulate
    if (std::fabs(v) < t.step * 1e-9) v = 0;  // -0.0 or 1e-17 printed as 0
    t.values.push_back(v);
  }
  return t;
}

Ticks log_ticks(double data_lo, double data_hi) {
  require(std::isfinite(data_lo) && std::isfinite(data_hi) && data_lo > 0 && data_hi > 0,
          "a log axis needs positive values, but the data spans [{}, {}]; drop values <= 0 or use a linear axis",
          data_lo, data_hi);
  require(data_lo <= data_hi, "axis range [{}, {}] is reversed; give the smaller value first", data_lo, data_hi);
  int a = static_cast<int>(std::floor(std::log10(data_lo) + 1e-12));
  int b = static_cast<int>(std::ceil(std::log10(data_hi) - 1e-12));
  if (b <= a) b = a + 1;
  Ticks t;
  t.lo = std::pow(10.0, a);
  t.hi = std::pow(10.0, b);
  t.step = 0;
  for (int k = a; k <= b; ++k) {
    const double decade = std::pow(10.0, k);
    t.values.push_back(decade);
    // With few decades, 2x and 5x ticks keep the axis readable.
    if (b - a <= 2 && k < b) {
      t.values.push_back(2 * decade);
      t.values.push_back(5 * decade);
    }
  }
  return t;
}

std::string format_tick(double value, double step) {
  if (value == 0) return "0";
  if (step <= 0) return fmt::format("{:g}", value);  // log axes: 0.01, 1, 100, 1e+07
  const double a = std::fabs(value);
  if (step >= 1e3) {
    // Big steps (training steps, tokens): 200k, 1M, 1.2M rather than 200000, 1e+06.
    const double unit = a >= 1e9 ? 1e9 : a >= 1e6 ? 1e6 : 1e3;
    const char* suffix = a >= 1e9 ? "G" : a >= 1e6 ? "M" : "k";
    const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step / unit) + 1e-9)));
    std::string digits = fmt::format("{:.{}f}", value / unit, decimals);
    if (digits.find('.') != std::string::npos) {
      while (digits.back() == '0') digits.pop_back();
      if (digits.back() == '.') digits.pop_back();
    }
    return digits + suffix;
  }
  // Every tick with the decimals the step needs, so labels line up: 0.00005, 0.00010, 0.00015.
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  if (decimals > 6) return fmt::format("{:.2e}", value);
  return fmt::format("{:.{}f}", value, decimals);
}

}  // namespace minillm::plot
