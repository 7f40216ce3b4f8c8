#pragma once
// How much memory this machine has, and refusing work that cannot fit in it before allocating anything.
// A size read from a flag or a file (a model's width, a vocabulary, a vector count) can ask for terabytes;
// allocating first ends in std::bad_alloc or the kernel's OOM killer, checking first ends in one line:
// "this model needs 13 TB for its parameters alone ...; this machine has 24 GB".
#include <cstdint>
#include <string>
#include <string_view>

namespace minillm {

struct MachineMemory {
  double available_bytes = 0;  // what can be allocated now without swapping (MemAvailable)
  double total_bytes = 0;      // the machine's RAM (MemTotal)
};

// From /proc/meminfo (MemAvailable, MemTotal), else sysconf (free and total physical pages). The
// environment variable MINILLM_MEMORY_LIMIT (bytes, or with a suffix: 512M, 2G) caps both: it makes the
// machine look smaller, which is how tests and fuzzers exercise the refusals without terabytes.
MachineMemory machine_memory();

// "13 TB", "24 GB", "512 MB", "12 kB", "100 bytes" (decimal units, two significant digits at most).
std::string format_bytes(double bytes);

// Error when `bytes` exceeds the memory available: "<what> needs <bytes>; this machine has <available>
// available (of <total>)", followed by `advice` when given.
void require_memory(double bytes, std::string_view what, std::string_view advice = {});

}  // namespace minillm
