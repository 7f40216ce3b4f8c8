#pragma once
// Colours for charts: an 8-colour categorical palette that colour-blind readers can tell apart
// (Okabe & Ito, "Color Universal Design"), and a perceptual colour map for heatmaps (viridis-like: dark
// blue -> green -> yellow, brightness rising steadily, so equal steps in value look like equal steps).
#include <cstdint>
#include <cstddef>

namespace minillm::plot {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
  friend bool operator==(const Rgb&, const Rgb&) = default;
};

inline constexpr Rgb kWhite{255, 255, 255};
inline constexpr Rgb kBlack{0, 0, 0};
inline constexpr Rgb kAxisGrey{80, 80, 80};
inline constexpr Rgb kGridGrey{232, 232, 232};
// Heatmap cells that are masked (not allowed, as opposed to a small value): lighter than any colour-map
// colour, so they read as "nothing here".
inline constexpr Rgb kMaskedGrey{214, 214, 214};

// Colour i of the categorical palette (wraps around after 8).
Rgb palette_color(std::size_t i);
inline constexpr std::size_t kPaletteSize = 8;

// The colour map at t in [0, 1] (clamped; NaN gives mid grey), interpolated linearly between table stops.
Rgb colormap_viridis(double t);

}  // namespace minillm::plot
