// Chapter 03 demo: causal self-attention on a real sentence, three heads you can read, a heatmap PNG of
// who attends to whom, and the T² cost measured.
//
//   ch03_demo                       the built-in sentence, picture in data/out/ch03_attention.png
//   ch03_demo --text "a b a c"      your own sentence (words split on spaces, at most 16 words)
//   ch03_demo --out PATH            write the picture somewhere else
//   ch03_demo --smoke               small timing sizes (used by the tests)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "attention_heatmap.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"
#include "io/data_dir.hpp"
#include "nn/attention.hpp"
#include "ui/usage.hpp"

namespace {

constexpr int kHeadSize = 16;  // hs: also the longest sentence, because head 0 uses one-hot positions
constexpr int kHeads = 3;
constexpr int kC = kHeads * kHeadSize;

struct Options {
  std::string text = "the captain saw the whale and the whale saw the captain";
  std::string out = (minillm::output_dir() / "ch03_attention.png").string();
  bool smoke = false;
};

Options parse_options(int argc, char** argv) {
  Options options;
  minillm::ui::DemoOptions()
      .value("--text", options.text, "\"the cat saw the cat\"")
      .value("--out", options.out, "PATH")
      .flag("--smoke", options.smoke)
      .parse(argc, argv);
  return options;
}

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  minillm::require(!words.empty(), "--text is empty: give a sentence, e.g. --text \"the cat saw the cat\"");
  minillm::require(static_cast<int>(words.size()) <= kHeadSize,
                   "the sentence has {} words; this demo shows at most {} (shorten --text)", words.size(),
                   kHeadSize);
  return words;
}

// Writes query, key and value vectors for head h at position t into the fused qkv[T, 3C] buffer.
void set_head(std::vector<float>& qkv, int t, int h, const std::vector<float>& q, const std::vector<float>& k,
              const std::vector<float>& v) {
  for (int i = 0; i < kHeadSize; ++i) {
    qkv[t * 3 * kC + h * kHeadSize + i] = q[i];
    qkv[t * 3 * kC + kC + h * kHeadSize + i] = k[i];
    qkv[t * 3 * kC + 2 * kC + h * kHeadSize + i] = v[i];
  }
}

// Three heads with hand-made queries and keys (a trained model learns such weights; here we set them):
//   0 "previous word": query t = e(t-1), key s = e(s) (one-hot positions), so q·k is large only for s = t-1
//   1 "same word":     query = key = a random direction per distinct word, so equal words match
//   2 "untrained":     small random queries and keys, what a head looks like before training
std::vector<float> build_qkv(const std::vector<std::string>& words) {
  const int T = static_cast<int>(words.size());
  const float sharp = 6.0f * std::sqrt(static_cast<float>(kHeadSize));  // score 6 after the 1/sqrt(hs) scale
  minillm::Rng rng(2024);
  std::map<std::string, std::vector<float>> direction;
  for (const auto& w : words) {
    if (direction.count(w)) continue;
    std::vector<float> d(kHeadSize);
    rng.fill_normal(d, 0.0f, 1.0f);
    float norm = 0;
    for (float x : d) norm += x * x;
    for (float& x : d) x /= std::sqrt(norm);
    direction[w] = d;
  }
  std::vector<float> qkv(static_cast<size_t>(T) * 3 * kC);
  for (int t = 0; t < T; ++t) {
    std::vector<float> q(kHeadSize, 0.0f), k(kHeadSize, 0.0f), v(kHeadSize, 0.0f);
    if (t > 0) q[t - 1] = sharp;
    k[t] = 1.0f;
    v[t] = 1.0f;  // value = "I am position t", so the output says which positions were read
    set_head(qkv, t, 0, q, k, v);
    std::vector<float> d = direction[words[t]];
    for (float& x : d) x *= std::sqrt(sharp);
    set_head(qkv, t, 1, d, d, v);
    std::vector<float> rq(kHeadSize), rk(kHeadSize);
    rng.fill_normal(rq, 0.0f, 0.3f);
    rng.fill_normal(rk, 0.0f, 0.3f);
    set_head(qkv, t, 2, rq, rk, v);
  }
  return qkv;
}

void print_head(const std::string& name, const float* att, const std::vector<std::string>& words) {
  const int T = static_cast<int>(words.size());
  fmt::print("\n  head \"{}\": for each word, the earlier word it attends to most\n", name);
  for (int t = 0; t < T; ++t) {
    const float* row = att + t * T;
    const int best = static_cast<int>(std::max_element(row, row + t + 1) - row);
    fmt::print("    {:>2} {:<10} -> {:>2} {:<10} weight {:.2f}   (of {} visible word{})\n", t, words[t], best,
               words[best], row[best], t + 1, t == 0 ? "" : "s");
  }
}

// Attention's cost grows with T²: the score matrix has T*T entries per head. Time a forward pass at
// doubling lengths and print how much longer each one takes.
void measure_quadratic_cost(bool smoke) {
  const int C = 256, NH = 4;
  std::vector<int> lengths = smoke ? std::vector<int>{32, 64} : std::vector<int>{128, 256, 512, 1024};
  fmt::print("\nThe cost of attention grows like T² (C={}, {} heads, one sequence):\n", C, NH);
  minillm::Rng rng(7);
  double previous = 0;
  for (int T : lengths) {
    std::vector<float> qkv(static_cast<size_t>(T) * 3 * C), out(static_cast<size_t>(T) * C);
    std::vector<float> preatt(static_cast<size_t>(NH) * T * T), att(preatt.size());
    rng.fill_normal(qkv, 0.0f, 1.0f);
    // One untimed run first: it pays for first-touch page faults and starting the BLAS threads.
    minillm::attention_forward(out.data(), preatt.data(), att.data(), qkv.data(), 1, T, C, NH);
    double best = 1e30;
    for (int rep = 0; rep < 5; ++rep) {
      const auto start = std::chrono::steady_clock::now();
      minillm::attention_forward(out.data(), preatt.data(), att.data(), qkv.data(), 1, T, C, NH);
      best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    fmt::print("  T = {:>4}: {:>8.3f} ms, score matrices {:>9} floats ({:.1f} MB)", T, best * 1e3, NH * T * T,
               NH * T * T * 4.0 / 1e6);
    if (previous > 0) fmt::print("   {:.1f}x the previous length's time", best / previous);
    fmt::print("\n");
    previous = best;
  }
  fmt::print("  Both products (Q·Kᵀ and att·V) cost T·T·hs per head, so doubling T should take about 4x as long;\n"
             "  small sizes fall short of 4x because fixed overheads dominate (and a busy machine adds noise).\n");
}

int run(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  const std::vector<std::string> words = split_words(options.text);
  const int T = static_cast<int>(words.size());
  fmt::print("Causal self-attention on: \"{}\"\n", options.text);
  fmt::print("We split on spaces (whole words make the picture readable; chapter 01's BPE would give the same\n"
             "idea with sub-word tokens). {} words, {} heads of size {}.\n", T, kHeads, kHeadSize);
  fmt::print("Each word's query is compared with the keys of itself and every EARLIER word (the causal mask\n"
             "hides later ones); softmax turns the scores into weights that sum to 1.\n");
  fmt::print("The weights are not trained: we set queries and keys by hand to show two patterns trained\n"
             "models really learn (look at the previous word; look back at the same word), next to a random head.\n");

  // lesson: run_attention
  const std::vector<float> qkv = build_qkv(words);  // [T, 3C]: queries, keys, values side by side
  std::vector<float> out(static_cast<size_t>(T) * kC);  // [T, C]: the heads' outputs side by side
  std::vector<float> preatt(static_cast<size_t>(kHeads) * T * T), att(preatt.size());  // [NH, T, T] each
  minillm::attention_forward(out.data(), preatt.data(), att.data(), qkv.data(), /*B=*/1, T, kC, kHeads);
  // end lesson: run_attention

  const char* names[kHeads] = {"previous word", "same word", "untrained (random)"};
  for (int h = 0; h < kHeads; ++h) print_head(names[h], att.data() + h * T * T, words);
  fmt::print("\n  The first word can only attend to itself, so every head gives it weight 1.00 on itself.\n"
             "  In \"same word\", a repeated word splits its attention between itself and its earlier copies.\n"
             "  The untrained head spreads its weight almost evenly: training is what makes heads specific.\n");

  std::vector<HeatmapPanel> panels;
  for (int h = 0; h < kHeads; ++h) panels.push_back({std::string("head: ") + names[h], att.data() + h * T * T});
  write_attention_heatmaps(options.out, words, panels);
  fmt::print("\nWrote the attention heatmaps to {}\n  (rows = queries, columns = keys, brighter = more attention,\n"
             "  grey = the masked future).\n",
             options.out);

  measure_quadratic_cost(options.smoke);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  minillm::ensure_passive_openmp_wait(argv);  // idle OpenMP threads must not spin on OpenBLAS's cores
  return minillm::ui::run_demo(argc, argv, R"(usage: ch03_demo [--text "..."] [--out PATH] [--smoke]
  (no option)   causal self-attention on a built-in sentence; heatmaps in data/out/ch03_attention.png
  --text "..."  your own sentence (words split on spaces, at most 16 words)
  --out PATH    write the picture somewhere else
  --smoke       small timing sizes (used by the tests)
)", [&] {
    return run(argc, argv);
  });
}
