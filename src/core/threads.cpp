#include "core/threads.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>

#include <unistd.h>

#include <cblas.h>
#include <omp.h>

#include "core/error.hpp"

namespace minillm {

namespace {
int g_threads = 0;  // 0: not chosen yet

// The processes mpirun started on this machine (1 otherwise): they share its cores, so each defaults to its
// part of them instead of all N ranks running a thread on every core.
int ranks_on_this_machine() {
  const char* env = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  const long n = env != nullptr ? std::strtol(env, nullptr, 10) : 1;
  return n >= 1 ? static_cast<int>(n) : 1;
}
}  // namespace

int num_threads() {
  if (g_threads == 0) init_threads_from_env();
  return g_threads;
}

void set_num_threads(int n) {
  require(n >= 1, "thread count must be at least 1, got {}", n);
  g_threads = n;
  openblas_set_num_threads(n);
  omp_set_num_threads(n);
}

void init_threads_from_env() {
  const char* env = std::getenv("MINILLM_THREADS");
  if (env != nullptr && *env != '\0') {
    char* end = nullptr;
    long n = std::strtol(env, &end, 10);
    require(end != nullptr && *end == '\0' && n >= 1 && n <= 4096,
            "MINILLM_THREADS='{}' is not a thread count; set it to a whole number such as 2, or unset it", env);
    set_num_threads(static_cast<int>(n));
    return;
  }
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  set_num_threads(std::max(1, cores / ranks_on_this_machine()));
}

BlasOnCallingThread::BlasOnCallingThread() : restore_(num_threads()) { openblas_set_num_threads(1); }
BlasOnCallingThread::~BlasOnCallingThread() { openblas_set_num_threads(restore_); }

void ensure_passive_openmp_wait(char** argv) {
  bool changed = false;
  // The user's choice wins (and after the re-execution both are set, so this runs once).
  if (std::getenv("OMP_WAIT_POLICY") == nullptr) changed |= setenv("OMP_WAIT_POLICY", "passive", 1) == 0;
  if (std::getenv("OPENBLAS_THREAD_TIMEOUT") == nullptr)
    changed |= setenv("OPENBLAS_THREAD_TIMEOUT", "16", 1) == 0;
  if (!changed) return;
  execv("/proc/self/exe", argv);
  // execv only returns on failure (no /proc): carry on with the default policies, just slower.
}

}  // namespace minillm
