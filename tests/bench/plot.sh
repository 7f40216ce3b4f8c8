#!/usr/bin/env bash
# Chart rendering (tests/bench/bench_plot.cpp): each chart's draw+encode time against PNG encoding alone.
# Usage: plot.sh BUILD_DIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_build_dir "$@"
need_binary bench_plot
"$binary"
