#!/usr/bin/env bash
# Matmul: naive vs cache-blocked vs OpenBLAS sgemm (tests/bench/bench_matmul.cpp). Prints the ratios and
# "sgemm peak", this machine's best measured float32 GFLOP/s. Usage: matmul.sh BUILD_DIR [--quick]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_build_dir "$@"
shift
need_binary bench_matmul
args=()
for arg in "$@"; do [ "$arg" = "--quick" ] && args+=(--quick); done
"$binary" "${args[@]}" | grep -v '^OpenBLAS:'
