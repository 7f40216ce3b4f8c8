#!/usr/bin/env bash
# The training memory estimate against the measured peak: `minillm train` prints (and, with --json, reports as
# estimated_memory_bytes) what it will need before allocating; /usr/bin/time -v measures the process's peak
# resident memory, the final checkpoint save included. Two runs: chapter 06's model (a 4096-token BPE of Moby
# Dick, 3 steps) and GPT-2 124M's shape (the gpt2 tokenizer, 1 x 256 tokens, 1 step). Not a ctest: a
# sanitizer build's shadow memory would make the peak meaningless. Target: estimate / peak within 10% of 1.
# Then LoRA's saving, measured: the GPT-2 124M-shaped model exported and fine-tuned twice on the same batches,
# every weight trained and `--lora-rank 8` (frozen weights: no gradients, no AdamW moments), with the peak of each.
# Usage: memory.sh BUILD_DIR [--quick]   (--quick: chapter 06's model only)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_build_dir "$@"
shift
ROOT="$(cd "$HERE/../.." && pwd)"
minillm="$BUILD/minillm"
text="${MINILLM_DATA_DIR:-$ROOT/data}/cache/moby_dick.txt"
[ -x "$minillm" ] || { echo "error: $minillm is not built (./run build)" >&2; exit 1; }
[ -f "$text" ] || { echo "error: $text is missing: run ./run fetch" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is missing: apt-get install time" >&2; exit 1; }
quick=0
for arg in "$@"; do [ "$arg" = "--quick" ] && quick=1; done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# measure NAME ARGS...: one training run; prints the estimate, the peak and their ratio.
measure() {
  local name="$1"
  shift
  /usr/bin/time -v "$minillm" train --input "$text" --out "$work/$name" --json "$@" > "$work/$name.json" 2> "$work/$name.time"
  local estimate peak_kb
  estimate="$(sed -n 's/.*"estimated_memory_bytes":\([0-9.e+]*\).*/\1/p' "$work/$name.json")"
  peak_kb="$(sed -n 's/.*Maximum resident set size (kbytes): *\([0-9]*\).*/\1/p' "$work/$name.time")"
  python3 - "$name" "$estimate" "$peak_kb" <<'PY'
import sys
name, estimate, peak_kb = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
peak = peak_kb * 1024
print(f"{name}: estimate {estimate / 1e6:.0f} MB, measured peak {peak / 1e6:.0f} MB (/usr/bin/time -v)")
print(f"ratio: memory estimate / measured peak, {name} = {estimate / peak:.2f}x")
PY
  rm -rf "${work:?}/$name"
}

"$minillm" train-tokenizer --vocab-size 4096 --input "$text" --out "$work/moby4096.bpe" > /dev/null 2>&1
measure ch06_model --tokenizer "$work/moby4096.bpe" --steps 3
[ "$quick" = 1 ] && exit 0
measure gpt2_124M_1x256 --layers 12 --heads 12 --width 768 --context 256 --batch 1 --steps 1

# LoRA against training every weight, GPT-2 124M's shape: the base is the run above's model, exported.
gpt2_shape=(--layers 12 --heads 12 --width 768 --context 256)
"$minillm" train --input "$text" --out "$work/base" "${gpt2_shape[@]}" --batch 1 --steps 1 --sample-tokens 0 --json > /dev/null 2>&1
"$minillm" export --checkpoint "$work/base" --hf "$work/base-hf" > /dev/null
rm -rf "${work:?}/base"
measure full_finetune_124M_1x256 --init-from "$work/base-hf" --context 256 --batch 1 --steps 1 --sample-tokens 0
measure lora8_finetune_124M_1x256 --init-from "$work/base-hf" --context 256 --batch 1 --steps 1 --sample-tokens 0 --lora-rank 8
