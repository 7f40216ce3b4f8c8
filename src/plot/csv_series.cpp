#include "plot/csv_series.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/ranges.h>

#include "core/error.hpp"

namespace minillm::plot {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (std::size_t comma; (comma = line.find(',', start)) != std::string_view::npos; start = comma + 1)
    fields.push_back(trim(line.substr(start, comma - start)));
  fields.push_back(trim(line.substr(start)));
  return fields;
}

}  // namespace

std::vector<Series> series_from_csv(std::string_view csv_text, const std::string& x_column) {
  std::vector<std::vector<std::string_view>> rows;
  std::vector<std::size_t> line_numbers;
  std::size_t line_no = 0;
  for (std::size_t pos = 0; pos < csv_text.size();) {
    std::size_t end = csv_text.find('\n', pos);
    if (end == std::string_view::npos) end = csv_text.size();
    const std::string_view line = trim(csv_text.substr(pos, end - pos));
    ++line_no;
    pos = end + 1;
    if (line.empty() || line.front() == '#') continue;  // blank lines and comments
    rows.push_back(split_fields(line));
    line_numbers.push_back(line_no);
  }
  require(!rows.empty(), "the CSV is empty; it needs a header row (e.g. step,loss) and rows of numbers");
  const auto& header = rows[0];
  require(header.size() >= 2, "the CSV header '{}' has one column; it needs an x column and at least one series",
          header[0]);
  require(rows.size() >= 2, "the CSV has a header but no rows of numbers below it");
  std::size_t x_index = 0;
  if (!x_column.empty()) {
    const auto it = std::find(header.begin(), header.end(), x_column);
    require(it != header.end(), "the CSV has no column named '{}'; its columns are: {}", x_column,
            fmt::join(header, ", "));
    x_index = static_cast<std::size_t>(it - header.begin());
  }
  std::vector<Series> series;
  std::vector<std::size_t> columns;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (c == x_index) continue;
    series.push_back({std::string(header[c]), {}, {}, {}});
    columns.push_back(c);
  }
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    require(row.size() == header.size(), "line {} of the CSV has {} fields but the header has {}; every row needs "
            "one field per column (leave a field empty for a missing value)", line_numbers[r], row.size(), header.size());
    auto number = [&](std::size_t c) {
      double v = 0;
      const std::string_view f = row[c];
      const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
      require(ec == std::errc() && end == f.data() + f.size() && std::isfinite(v),
              "line {}, column '{}' of the CSV is '{}', which is not a finite number", line_numbers[r], header[c], f);
      return v;
    };
    require(!row[x_index].empty(), "line {} of the CSV has no x value (column '{}')", line_numbers[r], header[x_index]);
    const double x = number(x_index);
    for (std::size_t s = 0; s < series.size(); ++s) {
      if (row[columns[s]].empty()) continue;
      series[s].x.push_back(x);
      series[s].y.push_back(number(columns[s]));
    }
  }
  // A column with no values at all would be an empty series: say which one instead.
  for (const Series& s : series)
    require(!s.x.empty(), "column '{}' of the CSV has no values; fill it in or remove it", s.name);
  return series;
}

}  // namespace minillm::plot
