#pragma once
// How many CPU threads minillm uses, for OpenBLAS and for its own OpenMP loops alike.
//
// One setting for both on purpose: if OpenBLAS starts N threads inside each of N OpenMP threads, the
// cores are oversubscribed and everything slows down. minillm calls BLAS from outside its parallel loops,
// so both can use all cores, one after the other.
//
// Source of the number, first match wins: set_num_threads() (the CLI's --threads), the MINILLM_THREADS
// environment variable, then the number of cores (under mpirun, shared by the ranks on the machine).
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
  BlasOnCallingThread();  // may throw (a bad MINILLM_THREADS, read here if nothing read it before)
  ~BlasOnCallingThread();  // never throws: restores the count the constructor read
  BlasOnCallingThread(const BlasOnCallingThread&) = delete;
  BlasOnCallingThread& operator=(const BlasOnCallingThread&) = delete;

 private:
  int restore_;
};

// OpenMP and OpenBLAS share the cores: minillm's parallel loops (libgomp) and OpenBLAS's gemms (its own
// pthreads) take turns. By default libgomp's idle threads spin for a while after each parallel loop,
// stealing the cores from the gemm that follows; on a 2-core machine a training step measured 5x slower
// (321 vs 1739 tokens/s, docs/benchmarks.md). OMP_WAIT_POLICY=passive makes them sleep instead.
//
// OpenBLAS's idle worker threads do the same: after a gemm they spin (calling sched_yield) for
// 2^OPENBLAS_THREAD_TIMEOUT cycles, 2^28 (~0.1 s) by default, so they spin through all of our parallel
// loops. With the default, one training process in three ran 15% slower than the others (316 vs 275 ms
// per step, the same binary; docs/benchmarks.md); with 2^16 cycles (~30 µs: long enough to cover
// back-to-back gemms, short next to a parallel loop) no run was slow.
//
// Both libraries read their variable once, when they load (before main), so setting it later has no
// effect: this function sets each one the user has not set, and re-executes the program if it set any.
//
// Call first thing in main() of every program that trains or runs the layers. Returns normally when
// both are in effect (or chosen by the user); otherwise replaces the process (execv of /proc/self/exe
// with the same arguments).
void ensure_passive_openmp_wait(char** argv);

}  // namespace minillm
