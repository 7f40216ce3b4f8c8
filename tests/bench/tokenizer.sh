#!/usr/bin/env bash
# Tokenizer: minillm vs its peers on the same files, in the same run (tests/bench/bench_tokenizer.cpp).
#   - encoding Moby Dick with gpt2: minillm vs tiktoken (npm tiktoken@1.0.22, the Rust core compiled to
#     WebAssembly, one thread), best of 3 each; the ids must be identical;
#   - training a BPE vocabulary of 4096 on Moby Dick: minillm vs SentencePiece's spm_train --model_type=bpe
#     (Debian package sentencepiece, --num_threads=1 like minillm);
#   - training on ~10 MB (Moby Dick 8 times) to show how training time grows with the corpus.
# Usage: tokenizer.sh BUILD_DIR [--quick]   (--quick: skips the 10 MB run)
set -euo pipefail
BUILD="${1:?usage: tokenizer.sh BUILD_DIR [--quick]}"
shift
quick=0
for arg in "$@"; do [ "$arg" = "--quick" ] && quick=1; done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
binary="$BUILD/bench/bench_tokenizer"
[ -x "$binary" ] || { echo "error: $binary is not built (cmake --build $BUILD --target benchmarks)" >&2; exit 1; }
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
start=$(date +%s.%N)
spm_train --input="$moby" --model_prefix="$work/spm" --vocab_size=4096 --model_type=bpe --num_threads=1 \
  --minloglevel=2 >/dev/null 2>&1
spm_s="$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.4f", e - s }')"
echo "spm_train --model_type=bpe: vocab 4096 on Moby Dick in ${spm_s} s"
echo "ratio: train vocab 4096 on Moby Dick, minillm / spm_train wall time = $(ratio "$mine_s" "$spm_s")x (target <= 0.4x)"

# --- growth: ~10 MB ---
if [ "$quick" -eq 0 ]; then
  for _ in 1 2 3 4 5 6 7 8; do cat "$moby"; done > "$work/moby_x8.txt"
  "$binary" train "$work/moby_x8.txt" 4096 | tee "$work/minillm_train10.txt" | grep -v '^seconds'
  big_s="$(awk '/^seconds/ { print $2 }' "$work/minillm_train10.txt")"
  echo "ratio: train time on 8x the corpus / on 1x = $(ratio "$big_s" "$mine_s")x (linear would be 8x; the repeated text adds no new words, so this isolates the per-byte part)"
fi
