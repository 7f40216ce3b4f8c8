#!/usr/bin/env bash
# Chapter 10's speed targets, in one run: batch-1 greedy decoding of the GPT-2 124M shapes (random weights)
# by minillm in float32 and Q8_0 (bench_decode_q8) and by PyTorch in float32 and dynamic int8 (the best of its
# quantized engines; decode_torch_int8.py), on 1 and 2 threads, interleaved so load changes hit both sides.
# Prints
#   ratio: q8_0/float32 minillm N threads = Rx        (target: >= 2.5 on 1 thread)
#   ratio: q8_0 minillm/torch int8 N threads = Rx     (target: >= 3)
#   ratio: q8_0/int8 limit N threads = F              (target: >= 0.6)
# Usage: decode_q8.sh BUILD_DIR [--quick]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_build_dir "$@"
shift
need_binary bench_decode_q8
quick=()
tokens=64
for arg in "$@"; do [ "$arg" = "--quick" ] && quick=(--quick) && tokens=16; done
need_python_module torch python3-torch
# The kernel choice first: int8 x int8 (kept) against int8 x float32, per GPT-2 shape, 1 thread.
[ -x "$BUILD/bench/bench_q8_matvec" ] && "$BUILD/bench/bench_q8_matvec" | grep -v '^OpenBLAS:'
torch1="$(/usr/bin/python3 "$HERE/decode_torch_int8.py" 1 "$tokens")"
ours="$("$binary" "${quick[@]}" | grep -v '^OpenBLAS:')"
torch2="$(/usr/bin/python3 "$HERE/decode_torch_int8.py" 2 "$tokens")"
printf '%s\n%s\n%s\n' "$torch1" "$ours" "$torch2"
for threads in 1 2; do
  line="$(printf '%s\n' "$ours" | grep "^minillm threads=$threads ")"
  theirs="$(printf '%s\n%s\n' "$torch1" "$torch2" | grep "^torch threads=$threads ")"
  int8="$(printf '%s\n' "$theirs" | grep 'variant=int8' | sed -n 's/.* cached_tok_s=\([0-9.]*\).*/\1/p' | sort -g | tail -n 1)"
  f32="$(printf '%s\n' "$theirs" | grep 'variant=float32' | sed -n 's/.* cached_tok_s=\([0-9.]*\).*/\1/p')"
  ours_q8="$(printf '%s\n' "$line" | sed -n 's/.* q8_0_tok_s=\([0-9.]*\).*/\1/p')"
  ours_f32="$(printf '%s\n' "$line" | sed -n 's/.* float32_tok_s=\([0-9.]*\).*/\1/p')"
  frac="$(printf '%s\n' "$line" | sed -n 's/.*fraction_of_limit=\([0-9.]*\).*/\1/p')"
  awk -v q="$ours_q8" -v f="$ours_f32" -v i="$int8" -v tf="$f32" -v n="$threads" -v fr="$frac" 'BEGIN {
    s = (n == 1 ? "" : "s")
    printf "ratio: q8_0/float32 minillm %d thread%s = %.2fx (q8_0 %.1f tokens/s, float32 %.1f)\n", n, s, q / f, q, f
    printf "ratio: q8_0 minillm/torch int8 %d thread%s = %.2fx (torch int8 best %.1f tokens/s, torch float32 %.1f)\n", n, s, q / i, i, tf
    printf "ratio: q8_0/int8 limit %d thread%s = %.2f\n", n, s, fr }'
done
