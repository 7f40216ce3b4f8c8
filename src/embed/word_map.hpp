#pragma once
// A 2D map of words as a PNG: one dot per word with its label beside it, coloured by cluster. Used to show
// word vectors after PCA (or any projection to 2D).
#include <filesystem>
#include <string>
#include <vector>

namespace minillm::embed {

struct MapPoint {
  float x, y;
  std::string label;
  int group = 0;  // colour: points of one cluster share one of 10 colours
};

// Scales the points to fill the picture, draws them and saves the PNG atomically.
void save_word_map_png(const std::filesystem::path& path, const std::vector<MapPoint>& points,
                       const std::string& title, int width = 1200, int height = 900);

}  // namespace minillm::embed
