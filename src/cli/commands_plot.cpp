// `minillm plot`: a CSV of numbers (a loss log) to a PNG line chart.
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/command_registry.hpp"
#include "io/atomic_file.hpp"
#include "plot/charts.hpp"
#include "plot/csv_series.hpp"

namespace minillm::cli {

namespace {

struct PlotArgs {
  std::string csv, out, title, x_column, y_label;
  bool log_y = false;
};

void run_plot(const PlotArgs& args) {
  const std::string csv = read_file(args.csv);
  plot::LineChartSpec spec;
  spec.series = plot::series_from_csv(csv, args.x_column);
  spec.title = args.title.empty() ? args.csv : args.title;
  // The x axis is labelled with the x column's name: --x, or the header's first field.
  spec.x_label = args.x_column.empty() ? csv.substr(0, csv.find_first_of(",\r\n")) : args.x_column;
  spec.y_label = args.y_label;
  spec.log_y = args.log_y;
  plot::line_chart(args.out, spec);
  std::size_t points = 0;
  for (const auto& s : spec.series) points += s.x.size();
  fmt::print("Plotted {} series ({} points) from {} to {}{}.\n", spec.series.size(), points, args.csv, args.out,
             spec.log_y ? " (log y axis)" : "");
}

}  // namespace

static CommandRegistrar reg(90, [](CLI::App& app) {
  auto args = std::make_shared<PlotArgs>();
  auto* cmd = app.add_subcommand("plot", "Draw a CSV (header row; x column, then one column per series) as a PNG line chart");
  cmd->add_option("csv", args->csv, "CSV file, e.g. a loss log: step,train_loss,val_loss")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", args->out, "PNG file to write")->required();
  cmd->add_option("--title", args->title, "chart title (default: the CSV's file name)");
  cmd->add_option("--x", args->x_column, "name of the x column (default: the first column)");
  cmd->add_option("--ylabel", args->y_label, "label of the y axis");
  cmd->add_flag("--logy", args->log_y, "logarithmic y axis (all values must be > 0)");
  cmd->callback([args] { run_plot(*args); });
});

}  // namespace minillm::cli
