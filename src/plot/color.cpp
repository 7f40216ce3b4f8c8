#include "plot/color.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace minillm::plot {

namespace {

// Okabe-Ito, reordered so the first colours contrast most on white (its yellow, hard to see on white,
// comes last).
constexpr std::array<Rgb, kPaletteSize> kPalette{{
    {0, 114, 178},    // blue
    {230, 159, 0},    // orange
    {0, 158, 115},    // bluish green
    {213, 94, 0},     // vermillion
    {204, 121, 167},  // reddish purple
    {86, 180, 233},   // sky blue
    {0, 0, 0},        // black
    {240, 228, 66},   // yellow
}};

// Nine evenly spaced stops sampled from the viridis map (van der Walt & Smith); between stops we
// interpolate linearly, which keeps the brightness ramp monotone.
constexpr std::array<Rgb, 9> kViridis{{
    {68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
    {39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37},
}};

uint8_t mix(uint8_t a, uint8_t b, double t) { return static_cast<uint8_t>(std::lround(a + (b - a) * t)); }

}  // namespace

Rgb palette_color(std::size_t i) { return kPalette[i % kPaletteSize]; }

Rgb colormap_viridis(double t) {
  if (std::isnan(t)) return {128, 128, 128};
  t = std::clamp(t, 0.0, 1.0);
  const double pos = t * (kViridis.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(pos), kViridis.size() - 2);
  const double f = pos - static_cast<double>(i);
  const Rgb a = kViridis[i], b = kViridis[i + 1];
  return {mix(a.r, b.r, f), mix(a.g, b.g, f), mix(a.b, b.b, f)};
}

}  // namespace minillm::plot
