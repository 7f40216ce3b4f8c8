#!/usr/bin/env bash
# One transformer block forward+backward (B16 T128 C256 NH4): minillm (bench_block) vs PyTorch
# (block_torch.py, Debian's /usr/bin/python3 with python3-torch) on the same shapes and thread counts, in
# the same run. Prints `ratio: block fwd+bwd torch/minillm N threads = Rx` (above 1: minillm is faster).
# Usage: block.sh BUILD_DIR [--quick]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_build_dir "$@"
shift
need_binary bench_block
quick=()
iters=15
for arg in "$@"; do [ "$arg" = "--quick" ] && quick=(--quick) && iters=5; done

ours="$("$binary" "${quick[@]}" | grep -v '^OpenBLAS:')"
printf '%s\n' "$ours"
need_python_module torch python3-torch
for threads in 1 2; do
  theirs="$(/usr/bin/python3 "$HERE/block_torch.py" "$threads" "$iters")"
  printf '%s\n' "$theirs"
  our_ms="$(printf '%s\n' "$ours" | sed -n "s/^minillm threads=$threads ms=\([0-9.]*\).*/\1/p")"
  their_ms="$(printf '%s\n' "$theirs" | sed -n 's/^torch threads=[0-9]* ms=\([0-9.]*\).*/\1/p')"
  fraction="$(printf '%s\n' "$ours" | sed -n "s/^minillm threads=$threads .*fraction_of_peak=\([0-9.]*\).*/\1/p")"
  awk -v o="$our_ms" -v t="$their_ms" -v n="$threads" -v f="$fraction" 'BEGIN {
    printf "ratio: block fwd+bwd torch/minillm %d thread%s = %.2fx (minillm %.1f ms, torch %.1f ms; minillm at %.0f%% of sgemm peak)\n",
           n, (n == 1 ? "" : "s"), t / o, o, t, 100 * f }'
done
