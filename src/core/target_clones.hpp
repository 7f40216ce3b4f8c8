#pragma once
// Function multi-versioning for the few hot loops that gain from AVX2: the compiler builds the function
// twice and the loader picks the version the CPU supports (GCC's and Clang's target_clones, x86-64 with
// ifunc support). On any other compiler or CPU the macros are empty and the one generic version is built,
// so the build never depends on x86 or on GCC.
//
// Rounding: a clone must give the same bits as the generic version. C++ lets the compiler contract
// a * b + c into one fused multiply-add (one rounding instead of two) wherever the target has FMA: GCC does
// it across statements even in ISO C++ mode, Clang within an expression. Hence two macros:
//   MINILLM_AVX2_CLONE       "avx2" only: no FMA instruction is enabled, so nothing can be contracted.
//   MINILLM_X86_64_V3_CLONE  x86-64-v3 (AVX2 + FMA + BMI): only for files that turn contraction off
//                            (#pragma GCC optimize("fp-contract=off")), hence GCC only.
#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define MINILLM_AVX2_CLONE __attribute__((target_clones("avx2", "default")))
#if defined(__GNUC__) && !defined(__clang__)
#define MINILLM_X86_64_V3_CLONE __attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
#endif
#endif

#ifndef MINILLM_AVX2_CLONE
#define MINILLM_AVX2_CLONE
#endif
#ifndef MINILLM_X86_64_V3_CLONE
#define MINILLM_X86_64_V3_CLONE
#endif
