#pragma once
// How many CPU threads minillm uses, for OpenBLAS and for its own OpenMP loops alike.
//
// One setting for both on purpose: if OpenBLAS starts N threads inside each of N OpenMP threads, the
// cores are oversubscribed and everything slows down. minillm calls BLAS from outside its parallel loops,
// so both can use all cores, one after the other.
//
// Source of the number, first match wins: set_num_threads() (the CLI's --threads), the MINILLM_THREADS
// environment variable, then the number of cores.
namespace minillm {

int num_threads();
void set_num_threads(int n);   // n >= 1; applies to OpenBLAS and OpenMP
void init_threads_from_env();  // reads MINILLM_THREADS (a bad value is an Error naming it)

// For BLAS calls made inside minillm's own parallel loops (one small gemm per attention head, say): while
// it lives, OpenBLAS runs every call on the calling thread, so two OpenMP threads run two gemms side by
// side instead of each waking OpenBLAS's pool for a gemm too small to split. Create it outside the
// parallel region; the destructor restores num_threads().
class BlasOnCallingThread {
 public:
  BlasOnCallingThread();
  ~BlasOnCallingThread();
  BlasOnCallingThread(const BlasOnCallingThread&) = delete;
  BlasOnCallingThread& operator=(const BlasOnCallingThread&) = delete;
};

// OpenMP and OpenBLAS share the cores: minillm's parallel loops (libgomp) and OpenBLAS's gemms (its own
// pthreads) take turns. By default libgomp's idle threads spin for a while after each parallel loop,
// stealing the cores from the gemm that follows; on a 2-core machine a training step measured 5x slower
// (321 vs 1739 tokens/s, docs/benchmarks.md). OMP_WAIT_POLICY=passive makes them sleep instead.
//
// libgomp reads the variable once, when it loads (before main), so setting it later has no effect: this
// function sets it and re-executes the program, unless the user has set it already.
//
// Call first thing in main() of every program that trains or runs the layers. Returns normally when the
// policy is in effect (or was chosen by the user); otherwise replaces the process (execv of
// /proc/self/exe with the same arguments).
void ensure_passive_openmp_wait(char** argv);

}  // namespace minillm
