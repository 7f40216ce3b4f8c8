#include "embed/word_map.hpp"

#include <cmath>
#include <cstdlib>

#include "core/error.hpp"
#include "plot/charts.hpp"

namespace minillm::embed {

void save_word_map_png(const std::filesystem::path& path, const std::vector<MapPoint>& points,
                       const std::string& title, int width, int height) {
  require(!points.empty(), "word map: no points to draw");
  require(width >= 200 && height >= 200, "word map: {}x{} pixels is too small (at least 200x200)", width, height);
  plot::ScatterSpec spec;
  spec.title = title;
  spec.x_label = "direction 1";
  spec.y_label = "direction 2";
  spec.width = width, spec.height = height;
  for (const MapPoint& p : points) {
    require(std::isfinite(p.x) && std::isfinite(p.y), "word map: the point for \"{}\" is not finite", p.label);
    // No group names, so no legend: cluster numbers mean nothing to a reader, the colours show the groups.
    spec.points.push_back({p.x, p.y, p.label, std::abs(p.group)});
  }
  plot::scatter_plot(path, spec);
}

}  // namespace minillm::embed
