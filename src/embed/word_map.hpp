#pragma once
// A 2D map of words as a PNG: one dot per word with its label beside it, coloured by cluster. Used to show
// word vectors after PCA (or any projection to 2D). Drawn by src/plot's scatter_plot.
#include <filesystem>
#include <string>
#include <vector>

namespace minillm::embed {

struct MapPoint {
  float x, y;
  std::string label;
  int group = 0;  // colour: points of one cluster share one of plot's 8 palette colours (wrapping around)
};

// Scales the points to fill the picture, draws them and saves the PNG atomically. The axes are the two
// projected directions ("direction 1", "direction 2"); their numbers only matter relative to each other.
void save_word_map_png(const std::filesystem::path& path, const std::vector<MapPoint>& points,
                       const std::string& title, int width = 1200, int height = 900);

}  // namespace minillm::embed
