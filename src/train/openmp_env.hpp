#pragma once
// OpenMP and OpenBLAS share the cores: minillm's parallel loops (libgomp) and OpenBLAS's gemms (its own
// pthreads) take turns. By default libgomp's idle threads spin for a while after each parallel loop,
// stealing the cores from the gemm that follows; on a 2-core machine a training step measured 5x slower
// (321 vs 1739 tokens/s, docs/benchmarks.md). OMP_WAIT_POLICY=passive makes them sleep instead.
//
// libgomp reads the variable once, when it loads (before main), so setting it later has no effect: this
// function sets it and re-executes the program, unless the user has set it already.
namespace minillm {

// Call first thing in main(). Returns normally when the policy is in effect (or was chosen by the user);
// otherwise replaces the process (execv of /proc/self/exe with the same arguments).
void ensure_passive_openmp_wait(char** argv);

}  // namespace minillm
