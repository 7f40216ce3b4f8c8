#include "train/loss_chart.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace minillm {

namespace {

constexpr plot::Rgb kLightBlue{166, 206, 227}, kBlue{31, 120, 180}, kOrange{230, 120, 0};

plot::Series series_of(std::string name, const std::vector<std::pair<double, double>>& points) {
  plot::Series s;
  s.name = std::move(name);
  for (const auto& [step, loss] : points) s.x.push_back(step), s.y.push_back(loss);
  return s;
}

// The mean of the last `window` losses at each step: the trend under the step-to-step noise. The window
// grows with the run (1/50 of it), so a long run's curve is as smooth as a short one's.
std::vector<std::pair<double, double>> running_mean(const std::vector<std::pair<double, double>>& train) {
  const std::size_t window = std::max<std::size_t>(1, train.size() / 50);
  std::vector<std::pair<double, double>> out;
  double sum = 0;
  for (std::size_t i = 0; i < train.size(); ++i) {
    sum += train[i].second;
    if (i >= window) sum -= train[i - window].second;
    out.push_back({train[i].first, sum / static_cast<double>(std::min(i + 1, window))});
  }
  return out;
}

// The loss a sample's note points at: the validation loss of its step, else the training loss there.
double loss_at(int64_t step, const std::vector<std::pair<double, double>>& train,
               const std::vector<std::pair<double, double>>& val) {
  for (const auto& [s, loss] : val)
    if (s == double(step)) return loss;
  double nearest = train.front().second;
  for (const auto& [s, loss] : train)
    if (s <= double(step)) nearest = loss;
  return nearest;
}

// The first, the middle and the last sample: how the text changes as the loss falls.
std::vector<StepSample> three_of(const std::vector<StepSample>& samples) {
  if (samples.size() <= 3) return samples;
  return {samples.front(), samples[samples.size() / 2], samples.back()};
}

}  // namespace

namespace {

// One character of UTF-8 text as the chart's font can draw it: typographic quotes and dashes as their ASCII
// look-alikes, any other non-ASCII character as one '?'. Returns the bytes the character took.
size_t ascii_of(std::string_view text, size_t at, std::string& out) {
  const auto c = static_cast<unsigned char>(text[at]);
  if (c < 0x80) {
    out += c >= 32 && c < 127 ? char(c) : ' ';  // newlines and tabs as spaces
    return 1;
  }
  const size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  const std::string_view ch = text.substr(at, length);
  if (ch == "\u2018" || ch == "\u2019") out += '\'';
  else if (ch == "\u201C" || ch == "\u201D") out += '"';
  else if (ch == "\u2013" || ch == "\u2014") out += '-';
  else out += '?';
  return std::max<size_t>(1, ch.size());
}

}  // namespace

std::string sample_note_text(const StepSample& sample) {
  constexpr size_t kChars = 56;  // with "N  step NNN: " one line of a 900-pixel chart
  std::string flat;
  for (size_t at = 0; at < sample.text.size() && flat.size() < kChars;) at += ascii_of(sample.text, at, flat);
  return "step " + std::to_string(sample.step) + ": " + flat;
}

plot::LineChartSpec loss_chart_spec(const std::vector<std::pair<double, double>>& train,
                                    const std::vector<std::pair<double, double>>& val,
                                    const std::vector<StepSample>& samples) {
  require(!train.empty(), "the loss chart needs at least one training step");
  plot::LineChartSpec spec;
  spec.title = "Loss while training";
  spec.x_label = "step";
  spec.y_label = "loss (nats per token)";
  spec.width = 900, spec.height = 520;
  // Drawn in this order: the noisy per-step loss underneath, its trend on top, validation last.
  plot::Series every_step = series_of("training, each step", train);
  every_step.color = kLightBlue, every_step.line_width = 1;
  plot::Series mean = series_of("training (mean)", running_mean(train));
  mean.color = kBlue, mean.line_width = 3;
  spec.series = {every_step, mean};
  if (!val.empty()) {
    plot::Series v = series_of("validation", val);
    v.color = kOrange, v.line_width = 2, v.markers = true;
    spec.series.push_back(v);
  }
  for (const StepSample& s : three_of(samples))
    spec.notes.push_back({double(s.step), loss_at(s.step, train, val), sample_note_text(s)});
  if (!spec.notes.empty()) spec.title = "Loss while training, and what the model wrote";
  return spec;
}

void write_loss_chart(const std::filesystem::path& file, const std::vector<std::pair<double, double>>& train,
                      const std::vector<std::pair<double, double>>& val, const std::vector<StepSample>& samples) {
  plot::line_chart(file, loss_chart_spec(train, val, samples));
}

}  // namespace minillm
