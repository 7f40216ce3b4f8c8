#!/usr/bin/env bash
# Data-parallel training (chapter 11): `minillm train` on chapter 06's model (4 layers, 4 heads, width 256,
# context 128, the global batch of 16, a 4096-token BPE of Moby Dick) as
#   2 ranks x 1 thread (mpirun), with the all-reduce overlapped with the backward and without, and --zero 1;
#   1 rank x 2 threads; 1 rank x 1 thread;
# against PyTorch DDP over gloo, 2 processes x 1 thread, on the same model and token ids (train_ddp.py).
# Tokens/s is global and from the whole run (--json: every step, the final validation of one batch and the
# checkpoint included; BENCH_MPI_STEPS steps, default 30), DDP's from its mean step. All-reduce time per step
# is what rank 0 waits for the gradients' sums after its backward: with overlap the part the backward did not hide.
# Usage: train_mpi.sh BUILD_DIR [--quick]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="${1:?usage: train_mpi.sh BUILD_DIR [--quick]}"
shift
minillm="$(cd "$BUILD" && pwd)/minillm"
[ -x "$minillm" ] || { echo "error: $minillm is not built" >&2; exit 1; }
command -v mpirun >/dev/null || { echo "skipped: no mpirun (install openmpi-bin and libopenmpi-dev, then rebuild)"; exit 0; }
steps="${BENCH_MPI_STEPS:-30}"
for arg in "$@"; do [ "$arg" = "--quick" ] && steps=6; done
corpus="$ROOT/data/cache/moby_dick.txt"
[ -f "$corpus" ] || { echo "error: $corpus is missing: run ./run fetch" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$minillm" train-tokenizer --vocab-size 4096 --input "$corpus" --out "$work/tok.bpe" >/dev/null 2>&1
printf '{"cache_dir": "%s", "eval_every": 100000, "checkpoint_every": 100000, "eval_batches": 1, "warmup": 30}\n' \
  "$work/cache" > "$work/overlap.json"
sed 's/}$/, "overlap": 0}/' "$work/overlap.json" > "$work/no_overlap.json"
args=(train --input "$corpus" --tokenizer "$work/tok.bpe" --layers 4 --heads 4 --width 256 --context 128 --batch 16
      --sample-tokens 0 --json)
MINILLM_THREADS=1 "$minillm" "${args[@]}" --config "$work/overlap.json" --out "$work/warm" --steps 1 >/dev/null  # tokenizes once

run() {  # run NAME RANKS THREADS CONFIG [FLAGS...]: prints the --json line, keeps it in $work/NAME.json
  local name=$1 ranks=$2 threads=$3 config=$4
  shift 4
  if [ "$ranks" = 1 ]; then
    MINILLM_THREADS=$threads "$minillm" "${args[@]}" --config "$work/$config.json" --out "$work/$name" --steps "$steps" "$@"
  else
    bash "$ROOT/tests/cmake/mpirun.sh" "$ranks" "$minillm" "${args[@]}" --config "$work/$config.json" \
      --out "$work/$name" --steps "$steps" "$@"
  fi 2>"$work/$name.err" | grep '^{' > "$work/$name.json" || { cat "$work/$name.err" >&2; exit 1; }
  printf '%-26s %s\n' "$name:" "$(cat "$work/$name.json")"
}
field() { sed -n "s/.*\"$2\":\([0-9.e+-]*\).*/\1/p" "$work/$1.json"; }

run 1rank_1thread 1 1 overlap
run 1rank_2threads 1 2 overlap
run 2ranks_1thread 2 1 overlap
run 2ranks_1thread_no_overlap 2 1 no_overlap
run 2ranks_1thread_zero1 2 1 overlap --zero 1
ids="$(ls "$work"/cache/*.ids | head -1)"
/usr/bin/python3 "$HERE/train_ddp.py" "$ids" --steps "$steps" 2>/dev/null | tee "$work/ddp.txt"

one=$(field 1rank_1thread tokens_per_second) two_threads=$(field 1rank_2threads tokens_per_second)
two=$(field 2ranks_1thread tokens_per_second) plain=$(field 2ranks_1thread_no_overlap tokens_per_second)
zero=$(field 2ranks_1thread_zero1 tokens_per_second)
ddp=$(sed -n 's/^ddp tokens\/s: *\([0-9.]*\).*/\1/p' "$work/ddp.txt")
wait_overlap=$(field 2ranks_1thread all_reduce_seconds_per_step)
wait_plain=$(field 2ranks_1thread_no_overlap all_reduce_seconds_per_step)
mb() { sed -n 's/.*"rank_peak_memory_bytes":\[\([0-9,]*\)\].*/\1/p' "$work/$1.json" |
       awk -F, '{ for (i = 1; i <= NF; ++i) printf "%s%.0f", (i > 1 ? ", " : ""), $i / 1e6 }'; }
echo "per-rank peak memory MB, --zero 0: $(mb 2ranks_1thread); --zero 1: $(mb 2ranks_1thread_zero1)"
awk -v a="$wait_plain" -v b="$wait_overlap" -v s="$two" -v p="$plain" 'BEGIN {
  printf "all-reduce per step: %.1f ms after the backward (no overlap), %.1f ms left to wait with overlap: ", a * 1e3, b * 1e3
  printf "%.1f ms hidden (%.0f%%); step %.0f ms with overlap, %.0f ms without\n", (a - b) * 1e3, (a > 0 ? 100 * (a - b) / a : 0), 2048e3 / s, 2048e3 / p }'
awk -v a="$two" -v b="$one" 'BEGIN { printf "ratio: data-parallel tokens/s, 2 ranks x 1 thread / 1 rank x 1 thread = %.2fx (target >= 1.8x)\n", a / b }'
awk -v a="$two" -v b="$ddp" 'BEGIN { printf "ratio: data-parallel tokens/s, minillm 2 ranks / PyTorch DDP 2 processes (1 thread each) = %.2fx (target >= 1.3x)\n", a / b }'
awk -v a="$two" -v b="$two_threads" 'BEGIN { printf "ratio: 2 ranks x 1 thread / 1 rank x 2 threads = %.2fx\n", a / b }'
awk -v a="$two" -v b="$plain" 'BEGIN { printf "ratio: all-reduce overlapped with the backward / after it = %.2fx (tokens/s)\n", a / b }'
awk -v a="$zero" -v b="$two" 'BEGIN { printf "ratio: --zero 1 / --zero 0 tokens/s, 2 ranks = %.2fx\n", a / b }'
