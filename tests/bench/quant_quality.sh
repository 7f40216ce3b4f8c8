#!/usr/bin/env bash
# Chapter 10's quality targets, measured as llama.cpp measures a quantization: chapter 06's model (a 4,096-token
# BPE tokenizer and the default GPT: 4 layers, 4 heads, width 256, context 128) trained briefly on the first 90%
# of Moby Dick, quantized to Q8_0, and compared with its float self on the last 10% (held out) by
# `minillm eval --compare`: bits per byte of both, the mean KL divergence of the next-token distributions, and
# the share of positions whose top token agrees. Prints
#   ratio: q8_0 bits per byte change = P%    (target: <= 0.5)
#   ratio: q8_0 mean KL = K                  (target: <= 0.01)
#   ratio: q8_0 top-1 agreement = A
# Usage: quant_quality.sh BUILD_DIR [--quick]   (--quick: 1 minute of training instead of 4)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_build_dir "$@"
shift
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
minutes=4
for arg in "$@"; do [ "$arg" = "--quick" ] && minutes=1; done
text="$ROOT/data/cache/moby_dick.txt"
[ -f "$text" ] || { echo "error: $text is missing: run ./run fetch" >&2; exit 1; }
work="$BUILD/bench/quant-quality"
rm -rf "$work"
mkdir -p "$work"
bytes="$(wc -c < "$text")"
head -c $(( bytes * 9 / 10 )) "$text" > "$work/train.txt"
tail -c +$(( bytes * 9 / 10 + 1 )) "$text" > "$work/heldout.txt"
m="$BUILD/minillm"
"$m" train-tokenizer --vocab-size 4096 --input "$work/train.txt" --out "$work/tok.bpe" > /dev/null 2>&1
echo "training chapter 06's model for $minutes minutes on the first 90% of Moby Dick"
"$m" train --input "$work/train.txt" --tokenizer "$work/tok.bpe" --out "$work/run" --minutes "$minutes" \
  --sample-tokens 0 --json | tail -n 1
"$m" quantize --checkpoint "$work/run" --out "$work/q8"
line="$("$m" eval --checkpoint "$work/q8" --compare "$work/run" --input "$work/heldout.txt" --json)"
echo "$line"
/usr/bin/python3 - "$line" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print(f"ratio: q8_0 bits per byte change = {r['bits_per_byte_change_percent']:.3f}% "
      f"({r['bits_per_byte']:.4f} vs float32 {r['reference_bits_per_byte']:.4f})")
print(f"ratio: q8_0 mean KL = {r['mean_kl']:.6f}")
print(f"ratio: q8_0 top-1 agreement = {r['top1_agreement']:.4f}")
PY
