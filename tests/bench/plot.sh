#!/usr/bin/env bash
# Chart rendering (tests/bench/bench_plot.cpp): each chart's draw+encode time against PNG encoding alone.
# Usage: plot.sh BUILD_DIR
set -euo pipefail
BUILD="${1:?usage: plot.sh BUILD_DIR}"
binary="$BUILD/bench/bench_plot"
[ -x "$binary" ] || { echo "error: $binary is not built (cmake --build $BUILD --target benchmarks)" >&2; exit 1; }
"$binary"
