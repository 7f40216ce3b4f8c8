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

}  // namespace minillm
