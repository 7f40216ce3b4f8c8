#include "core/cpu_peak.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <cblas.h>

namespace minillm {
namespace {

// The value of the first "key : value" line whose key is `key` (the first processor's), or "".
std::string_view field(std::string_view text, std::string_view key) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view name = line.substr(0, colon);
      while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
      if (name == key) {
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        return value;
      }
    }
    start = end + 1;
  }
  return {};
}

bool has_flag(std::string_view flags, std::string_view flag) {
  size_t start = 0;
  while (start < flags.size()) {
    size_t end = flags.find(' ', start);
    if (end == std::string_view::npos) end = flags.size();
    if (flags.substr(start, end - start) == flag) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

int CpuPeak::flops_per_cycle() const {
  // Zen 4 has two 256-bit FMA pipes: an AVX-512 instruction occupies one for two cycles, so its peak is
  // the AVX2 one.
  const int floats = half_width_avx512 ? vector_floats / 2 : vector_floats;
  return fma ? fma_units * floats * 2 : floats * 2;  // FMA: 2 FLOPs per lane; else 1 multiply + 1 add
}

CpuPeak cpu_peak_from_cpuinfo(std::string_view cpuinfo) {
  CpuPeak peak;
  const std::string_view flags = field(cpuinfo, "flags");
  if (has_flag(flags, "avx512f")) {
    peak.vector_isa = "AVX-512";
    peak.vector_floats = 16;
  } else if (has_flag(flags, "avx")) {
    peak.vector_isa = has_flag(flags, "avx2") ? "AVX2" : "AVX";
    peak.vector_floats = 8;
  } else if (has_flag(flags, "sse")) {
    peak.vector_isa = "SSE";
    peak.vector_floats = 4;
  }
  peak.fma = has_flag(flags, "fma");
  const std::string mhz(field(cpuinfo, "cpu MHz"));
  if (!mhz.empty()) peak.ghz = std::strtod(mhz.c_str(), nullptr) / 1000.0;
  const std::string vendor(field(cpuinfo, "vendor_id")), family(field(cpuinfo, "cpu family"));
  peak.half_width_avx512 = peak.vector_floats == 16 && vendor == "AuthenticAMD" && family == "25";
  return peak;
}

CpuPeak this_cpu_peak() {
  std::ifstream in("/proc/cpuinfo");
  std::ostringstream text;
  text << in.rdbuf();
  return cpu_peak_from_cpuinfo(text.str());
}

std::string blas_kernel_description() {
  const char* core = openblas_get_corename();
  const char* config = openblas_get_config();
  return std::string(core != nullptr ? core : "unknown") + " (" + (config != nullptr ? config : "no config") + ")";
}

}  // namespace minillm
