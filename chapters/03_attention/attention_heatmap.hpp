#pragma once
// Attention heatmaps as a PNG: one panel per head, rows = queries, columns = keys, token labels on both
// axes. All panels share one colour range (0 = no attention, 1 = all of it), so equal colours mean equal
// weights across heads; the masked future (keys after the query) is light grey, so it reads as "not
// allowed", not as "allowed but ignored". Drawn by src/plot's heatmap_panels.
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "plot/charts.hpp"

struct HeatmapPanel {
  std::string title;
  const float* probs;  // [T, T], row = query, column = key
};

inline void write_attention_heatmaps(const std::filesystem::path& file, const std::vector<std::string>& tokens,
                                     const std::vector<HeatmapPanel>& panels) {
  const int T = static_cast<int>(tokens.size());
  minillm::require(T >= 1 && !panels.empty(), "a heatmap needs at least one token and one panel");
  std::vector<minillm::plot::HeatmapSpec> specs;
  for (size_t i = 0; i < panels.size(); ++i) {
    minillm::plot::HeatmapSpec spec;
    spec.title = panels[i].title;
    spec.x_label = "keys (what is looked at)";
    spec.y_label = "queries";
    spec.rows = T, spec.cols = T;
    spec.row_labels = tokens, spec.col_labels = tokens;
    for (int q = 0; q < T; ++q)
      for (int k = 0; k < T; ++k) {
        spec.values.push_back(panels[i].probs[q * T + k]);
        spec.masked.push_back(k > q);  // causal: a query never sees later keys
      }
    spec.masked_label = "grey: the masked future";
    spec.v_min = 0.0, spec.v_max = 1.0;
    spec.cell_size = 28;
    spec.color_bar = i + 1 == panels.size();  // one colour bar, on the last panel: the range is shared
    specs.push_back(spec);
  }
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  minillm::plot::heatmap_panels(file, specs, "Attention weights, one panel per head (brighter = more attention)");
}
