#include "train/openmp_env.hpp"

#include <unistd.h>

#include <cstdlib>

namespace minillm {

void ensure_passive_openmp_wait(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;  // the user's choice (or we already re-executed)
  setenv("OMP_WAIT_POLICY", "passive", 1);
  execv("/proc/self/exe", argv);
  // execv only returns on failure (no /proc): carry on with the default policy, just slower.
}

}  // namespace minillm
