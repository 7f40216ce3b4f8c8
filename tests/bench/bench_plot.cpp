// How long a chart takes, against its unavoidable part: encoding a PNG of the same size with
// stb_image_write (the peer, same run). The trainer rewrites its loss-curve PNG after every validation, so
// drawing should cost a small multiple of the encode, not seconds. Prints `ratio:` lines for run.sh.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "plot/charts.hpp"
#include "train/loss_chart.hpp"

namespace {

using namespace minillm::plot;

// Best of `repeats` wall-clock runs, in milliseconds (best, not mean: other work on the machine only adds).
double best_ms(int repeats, const std::function<void()>& work) {
  double best = 1e300;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    work();
    best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

LineChartSpec loss_curve(int points) {
  LineChartSpec spec;
  spec.title = "Loss";
  spec.x_label = "step";
  spec.y_label = "loss";
  Series train{"train", {}, {}, {}}, val{"validation", {}, {}, {}};
  for (int i = 0; i < points; ++i) {
    train.x.push_back(i);
    train.y.push_back(4.0 * std::exp(-i / (points / 4.0)) + 1.5 + 0.05 * std::sin(i));
    if (i % 50 == 0) val.x.push_back(i), val.y.push_back(4.0 * std::exp(-i / (points / 4.0)) + 1.7);
  }
  spec.series = {train, val};
  return spec;
}

void report(const char* what, const std::function<Canvas()>& render) {
  Canvas canvas = render();
  std::size_t bytes = 0;
  const double draw_and_encode = best_ms(5, [&] { bytes = render().encode_png().size(); });
  const double encode_only = best_ms(5, [&] { bytes = canvas.encode_png().size(); });
  std::printf("%-34s render+encode %7.1f ms   PNG encode alone %6.1f ms   (%zu bytes)\n", what, draw_and_encode,
              encode_only, bytes);
  std::printf("ratio: %s render+encode / encode alone = %.2fx\n", what, draw_and_encode / encode_only);
}

}  // namespace

int main() {
  std::printf("Charts (900x600 but the attention panels): drawing plus PNG encoding, against PNG encoding of the\n"
              "same image alone (best of 5).\n");
  report("line chart, 1k points", [] { return render_line_chart(loss_curve(1000)); });
  report("line chart, 100k points", [] { return render_line_chart(loss_curve(100000)); });
  report("trainer's loss.png, 100k steps", [] {
    // What write_loss_chart draws: every step thin, its running mean, validation every 250 steps.
    std::vector<std::pair<double, double>> train, val;
    for (int i = 1; i <= 100000; ++i) {
      train.push_back({double(i), 4.0 * std::exp(-i / 25000.0) + 1.5 + 0.2 * std::sin(i * 1.7)});
      if (i % 250 == 0) val.push_back({double(i), 4.0 * std::exp(-i / 25000.0) + 1.7});
    }
    return render_line_chart(minillm::loss_chart_spec(train, val));
  });
  report("heatmap 64x64", [] {
    HeatmapSpec spec;
    spec.rows = spec.cols = 64;
    for (int i = 0; i < 64 * 64; ++i) spec.values.push_back(std::sin(i * 0.01));
    return render_heatmap(spec);
  });
  report("attention, 3 panels of 16x16", [] {
    // As chapter 03 draws them: causal mask, token labels on both axes, one colour bar.
    std::vector<HeatmapSpec> panels(3);
    for (std::size_t h = 0; h < panels.size(); ++h) {
      HeatmapSpec& p = panels[h];
      p.rows = p.cols = 16;
      for (int q = 0; q < 16; ++q) {
        p.row_labels.push_back(fmt::format("tok{}", q));
        for (int k = 0; k < 16; ++k) p.values.push_back(k <= q ? 1.0 / (q + 1) : 0.0), p.masked.push_back(k > q);
      }
      p.col_labels = p.row_labels;
      p.masked_label = "grey: the masked future";
      p.v_min = 0.0, p.v_max = 1.0, p.cell_size = 28, p.color_bar = h + 1 == panels.size();
    }
    return render_heatmap_panels(panels, "Attention weights");
  });
  report("scatter, 500 labelled points", [] {
    ScatterSpec spec;
    for (int i = 0; i < 500; ++i)
      spec.points.push_back({std::cos(i * 2.4) * i, std::sin(i * 2.4) * i, fmt::format("w{}", i), i % 4});
    spec.group_names = {"a", "b", "c", "d"};
    return render_scatter(spec);
  });
}
