#!/usr/bin/env bash
# Matmul: naive vs cache-blocked vs OpenBLAS sgemm (tests/bench/bench_matmul.cpp). Prints the ratios and
# "sgemm peak", this machine's best measured float32 GFLOP/s. Usage: matmul.sh BUILD_DIR [--quick]
set -euo pipefail
BUILD="${1:?usage: matmul.sh BUILD_DIR [--quick]}"
shift
binary="$BUILD/bench/bench_matmul"
[ -x "$binary" ] || { echo "error: $binary is not built (cmake --build $BUILD --target benchmarks)" >&2; exit 1; }
args=()
for arg in "$@"; do [ "$arg" = "--quick" ] && args+=(--quick); done
"$binary" "${args[@]}" | grep -v '^OpenBLAS:'
