#include "core/memory.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "core/error.hpp"

namespace minillm {

namespace {

// "MemAvailable:   23658124 kB" -> bytes; 0 when the line is missing.
double meminfo_bytes(const std::string& meminfo, std::string_view key) {
  std::istringstream in(meminfo);
  std::string name;
  double kilobytes = 0;
  std::string unit;
  while (in >> name >> kilobytes) {
    std::getline(in, unit);
    if (name.size() == key.size() + 1 && name.compare(0, key.size(), key) == 0 && name.back() == ':')
      return kilobytes * 1024.0;
  }
  return 0;
}

MachineMemory from_system() {
  MachineMemory m;
  std::ifstream file("/proc/meminfo");
  if (file) {
    std::stringstream text;
    text << file.rdbuf();
    m.available_bytes = meminfo_bytes(text.str(), "MemAvailable");
    m.total_bytes = meminfo_bytes(text.str(), "MemTotal");
  }
  const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  if (m.total_bytes <= 0) m.total_bytes = page * static_cast<double>(::sysconf(_SC_PHYS_PAGES));
  if (m.available_bytes <= 0) m.available_bytes = page * static_cast<double>(::sysconf(_SC_AVPHYS_PAGES));
  if (m.available_bytes <= 0) m.available_bytes = m.total_bytes;
  return m;
}

// "256M" -> 268435456. Error on anything else, so a typo does not silently mean "no limit".
double parse_limit(const char* text) {
  char* end = nullptr;
  const double value = std::strtod(text, &end);
  double scale = 1;
  const std::string suffix = end;
  if (suffix == "k" || suffix == "K") scale = 1024.0;
  else if (suffix == "m" || suffix == "M") scale = 1024.0 * 1024;
  else if (suffix == "g" || suffix == "G") scale = 1024.0 * 1024 * 1024;
  else require(suffix.empty(), "MINILLM_MEMORY_LIMIT=\"{}\" is not a size: give bytes or a number with K, M or G",
               text);
  require(end != text && std::isfinite(value) && value > 0,
          "MINILLM_MEMORY_LIMIT=\"{}\" is not a size: give bytes or a number with K, M or G", text);
  return value * scale;
}

}  // namespace

MachineMemory machine_memory() {
  MachineMemory m = from_system();
  if (const char* limit = std::getenv("MINILLM_MEMORY_LIMIT"); limit != nullptr && *limit != '\0') {
    const double cap = parse_limit(limit);
    m.total_bytes = std::min(m.total_bytes, cap);
    m.available_bytes = std::min(m.available_bytes, cap);
  }
  return m;
}

std::string format_bytes(double bytes) {
  static constexpr const char* kUnits[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
  size_t unit = 0;
  while (bytes >= 999.5 && unit + 1 < std::size(kUnits)) {
    bytes /= 1000.0;
    ++unit;
  }
  if (unit == 0) return fmt::format("{:.0f} bytes", bytes);
  return bytes < 9.95 ? fmt::format("{:.1f} {}", bytes, kUnits[unit]) : fmt::format("{:.0f} {}", bytes, kUnits[unit]);
}

void require_memory(double bytes, std::string_view what, std::string_view advice) {
  const MachineMemory m = machine_memory();
  if (bytes <= m.available_bytes) return;
  fail("{} needs {}; this machine has {} available (of {}){}{}", what, format_bytes(bytes),
       format_bytes(m.available_bytes), format_bytes(m.total_bytes), advice.empty() ? "" : ": ", advice);
}

}  // namespace minillm
