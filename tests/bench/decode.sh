#!/usr/bin/env bash
# Batch-1 greedy decoding of a GPT-2 124M-shaped model: minillm (bench_decode: KV cache, no cache, prefill,
# the memory-bandwidth probe and the limit it implies) against PyTorch (decode_torch.py, Debian's
# python3-torch, the same shapes with a KV cache) at its best thread setting, in the same run. Prints
#   ratio: decoding minillm/torch N threads = Rx      (cached tokens/s; above 1: minillm is faster)
#   ratio: decoding minillm/bandwidth limit N threads = F   (the target is 0.6, the goal 0.7)
#   ratio: prefill 512 torch/minillm N threads = Rx   (above 1: minillm is faster)
# Usage: decode.sh BUILD_DIR [--quick]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_build_dir "$@"
shift
need_binary bench_decode
quick=()
tokens=64
for arg in "$@"; do [ "$arg" = "--quick" ] && quick=(--quick) && tokens=16; done
need_python_module torch python3-torch

# Interleaved: torch 1 thread, minillm (1 and 2 threads), torch 2 threads, so load changes hit both sides.
torch1="$(/usr/bin/python3 "$HERE/decode_torch.py" 1 "$tokens")"
ours="$("$binary" "${quick[@]}" | grep -v '^OpenBLAS:')"
torch2="$(/usr/bin/python3 "$HERE/decode_torch.py" 2 "$tokens")"
printf '%s\n%s\n%s\n' "$torch1" "$ours" "$torch2"
theirs="$(printf '%s\n%s\n' "$torch1" "$torch2")"
best_tok="$(printf '%s\n' "$theirs" | sed -n 's/.* cached_tok_s=\([0-9.]*\).*/\1/p' | sort -g | tail -n 1)"
best_prefill="$(printf '%s\n' "$theirs" | sed -n 's/.*prefill512_ms=\([0-9.]*\).*/\1/p' | sort -g | head -n 1)"
for threads in 1 2; do
  line="$(printf '%s\n' "$ours" | grep "^minillm threads=$threads ")"
  tok="$(printf '%s\n' "$line" | sed -n 's/.* cached_tok_s=\([0-9.]*\).*/\1/p')"
  frac="$(printf '%s\n' "$line" | sed -n 's/.*fraction_of_limit=\([0-9.]*\).*/\1/p')"
  pre="$(printf '%s\n' "$line" | sed -n 's/.*prefill512_ms=\([0-9.]*\).*/\1/p')"
  awk -v o="$tok" -v t="$best_tok" -v n="$threads" -v f="$frac" -v p="$pre" -v tp="$best_prefill" 'BEGIN {
    s = (n == 1 ? "" : "s")
    printf "ratio: decoding minillm/torch %d thread%s = %.2fx (minillm %.1f tokens/s, torch best %.1f)\n", n, s, o / t, o, t
    printf "ratio: decoding minillm/bandwidth limit %d thread%s = %.2f\n", n, s, f
    printf "ratio: prefill 512 torch/minillm %d thread%s = %.2fx (minillm %.0f ms, torch best %.0f ms)\n", n, s, tp / p, p, tp }'
done
