#!/usr/bin/env bash
# Tokenizer: minillm vs its peers on the same files, in the same run (tests/bench/bench_tokenizer.cpp).
#   - encoding Moby Dick with gpt2: minillm vs tiktoken (npm tiktoken@1.0.22, the Rust core compiled to
#     WebAssembly, one thread), best of 3 each; the ids must be identical;
#   - training a BPE vocabulary of 4096 on Moby Dick: minillm vs SentencePiece's spm_train --model_type=bpe
#     (Debian package sentencepiece, --num_threads=1 like minillm);
#   - training on ~10 MB (Moby Dick 8 times, each copy letter-rotated) to show how training time grows.
# Usage: tokenizer.sh BUILD_DIR [--quick]   (--quick: skips the 10 MB run)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_build_dir "$@"
shift
quick=0
for arg in "$@"; do [ "$arg" = "--quick" ] && quick=1; done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
need_binary bench_tokenizer
moby="$ROOT/data/cache/moby_dick.txt"
[ -f "$moby" ] && [ -f "$ROOT/data/cache/tiktoken/gpt2.json" ] || { echo "error: run ./run fetch first (Moby Dick and tiktoken's rank files)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# --- encoding: minillm vs tiktoken (npm) ---
"$binary" encode "$moby" gpt2 "$work/ids_minillm.txt" | tee "$work/minillm_encode.txt" | grep -v '^mbps'
mine_mbps="$(awk '/^mbps/ { print $2 }' "$work/minillm_encode.txt")"
npm_dir="$BUILD/bench/npm-tiktoken"  # cached between runs; never committed
if [ ! -d "$npm_dir/node_modules/tiktoken" ]; then
  mkdir -p "$npm_dir"
  (cd "$npm_dir" && npm install --silent --no-audit --no-fund tiktoken@1.0.22 >/dev/null)
fi
cat > "$work/tiktoken_encode.cjs" <<'JS'
const fs = require("fs");
const { get_encoding } = require(process.argv[2] + "/node_modules/tiktoken");
const text = fs.readFileSync(process.argv[3], "utf8");
const bytes = Buffer.byteLength(text, "utf8");
const enc = get_encoding("gpt2");
let ids, best = Infinity;
for (let run = 0; run < 3; ++run) {
  const start = process.hrtime.bigint();
  ids = enc.encode_ordinary(text);
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
}
fs.writeFileSync(process.argv[4], Array.from(ids).join("\n") + "\n");
console.log(`tiktoken (npm) encode gpt2: ${(bytes / best / 1e6).toFixed(2)} MB/s (${ids.length} ids, best of 3: ${best.toFixed(3)} s)`);
console.log(`mbps ${bytes / best / 1e6}`);
JS
node "$work/tiktoken_encode.cjs" "$npm_dir" "$moby" "$work/ids_tiktoken.txt" | tee "$work/tiktoken_encode.txt" | grep -v '^mbps'
theirs_mbps="$(awk '/^mbps/ { print $2 }' "$work/tiktoken_encode.txt")"
if cmp -s "$work/ids_minillm.txt" "$work/ids_tiktoken.txt"; then
  echo "ids: identical to tiktoken's ($(wc -l < "$work/ids_minillm.txt") ids)"
else
  echo "error: minillm's gpt2 ids differ from tiktoken's on Moby Dick" >&2
  exit 1
fi
echo "ratio: encode Moby Dick gpt2, minillm / tiktoken-npm MB/s = $(ratio "$mine_mbps" "$theirs_mbps")x (target >= 3x)"

# --- training: minillm vs SentencePiece BPE ---
command -v spm_train >/dev/null || { echo "error: spm_train is missing (sudo apt-get install sentencepiece)" >&2; exit 1; }
"$binary" train "$moby" 4096 | tee "$work/minillm_train.txt" | grep -v '^seconds'
mine_s="$(awk '/^seconds/ { print $2 }' "$work/minillm_train.txt")"
# Whole programs, wall time, like for like: each reads the file, trains and writes its model.
wall() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f", e - s }'; }
cli_s="$(wall "$BUILD/minillm" train-tokenizer --vocab-size 4096 --input "$moby" --out "$work/moby.bpe" --special "<|endoftext|>")"
echo "minillm train-tokenizer (whole program: read, train, save, report): ${cli_s} s"
spm_s="$(wall spm_train --input="$moby" --model_prefix="$work/spm" --vocab_size=4096 --model_type=bpe --num_threads=1)"
[ -f "$work/spm.model" ] || { echo "error: spm_train did not write a model" >&2; exit 1; }
echo "spm_train --model_type=bpe --num_threads=1 (whole program): vocab 4096 on Moby Dick in ${spm_s} s"
echo "ratio: train vocab 4096 on Moby Dick, minillm / spm_train wall time = $(ratio "$cli_s" "$spm_s")x (target <= 0.4x)"

# --- growth: ~10 MB ---
# Eight copies of Moby Dick, copy k with its letters rotated by k (a Caesar cipher): the same statistics,
# but 8x the distinct words, so this measures growth honestly (plain copies would add no new words).
if [ "$quick" -eq 0 ]; then
  lower=abcdefghijklmnopqrstuvwxyz
  upper=ABCDEFGHIJKLMNOPQRSTUVWXYZ
  for k in 0 1 2 3 4 5 6 7; do
    tr "$lower$upper" "${lower:k}${lower:0:k}${upper:k}${upper:0:k}" < "$moby"
  done > "$work/moby_x8.txt"
  "$binary" train "$work/moby_x8.txt" 4096 | tee "$work/minillm_train10.txt" | grep -v '^seconds'
  big_s="$(awk '/^seconds/ { print $2 }' "$work/minillm_train10.txt")"
  echo "ratio: train vocab 4096, 8x the corpus (9.6 MB, 8x the distinct words) / 1x time = $(ratio "$big_s" "$mine_s")x (linear would be 8x)"
  cli10_s="$(wall "$BUILD/minillm" train-tokenizer --vocab-size 4096 --input "$work/moby_x8.txt" --out "$work/moby_x8.bpe")"
  spm10_s="$(wall spm_train --input="$work/moby_x8.txt" --model_prefix="$work/spm10" --vocab_size=4096 --model_type=bpe --num_threads=1)"
  echo "9.6 MB, whole programs: minillm train-tokenizer ${cli10_s} s, spm_train ${spm10_s} s"
  echo "ratio: train vocab 4096 on 9.6 MB, minillm / spm_train wall time = $(ratio "$cli10_s" "$spm10_s")x"
fi
