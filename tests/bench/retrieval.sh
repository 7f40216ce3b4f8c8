#!/usr/bin/env bash
# Retrieval quality on Moby Dick (tests/bench/bench_retrieval.cpp): recall@1/5 of the answering passage for
# word-vector passages (plain and SIF means), GPT-state passages and BM25, on the committed questions and on
# sentences with half their words dropped; then IVF's recall@10 and speed on real passage vectors. No peer
# program: BM25 is the baseline, computed in the same run. Usage: retrieval.sh BUILD_DIR [--quick]
#
# The GPT-state column needs a GPT trained on the book. RETRIEVAL_CHECKPOINT=DIR uses that one; otherwise
# data/cache/retrieval_gpt/run, which this script trains the first time (about 6 minutes) with chapter 06's
# model (4 layers, 4 heads, width 256, context 128) and a 4096-token tokenizer:
#   minillm train-tokenizer --vocab-size 4096 --input data/cache/moby_dick.txt --out data/cache/retrieval_gpt/tok.bpe
#   minillm train --input data/cache/moby_dick.txt --tokenizer data/cache/retrieval_gpt/tok.bpe \
#     --out data/cache/retrieval_gpt/run --minutes 5 --seed 1337 --sample-tokens 0
# (a timed run: how far it gets depends on the machine and its load). --quick: no GPT column unless
# RETRIEVAL_CHECKPOINT is given or the model is already there.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_build_dir "$@"
shift
quick=0
for arg in "$@"; do [ "$arg" = "--quick" ] && quick=1; done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
need_binary bench_retrieval
moby="$ROOT/data/cache/moby_dick.txt"
[ -f "$moby" ] || { echo "error: run ./run fetch first (Moby Dick)" >&2; exit 1; }

checkpoint="${RETRIEVAL_CHECKPOINT:-}"
if [ -z "$checkpoint" ]; then
  gpt="$ROOT/data/cache/retrieval_gpt"
  checkpoint="$gpt/run"
  if [ ! -f "$checkpoint/latest" ] && [ "$quick" = 0 ]; then
    echo "training the GPT for the GPT-state column (once; it is kept in $gpt)"
    "$BUILD/minillm" train-tokenizer --vocab-size 4096 --input "$moby" --out "$gpt/tok.bpe"
    "$BUILD/minillm" train --input "$moby" --tokenizer "$gpt/tok.bpe" --out "$checkpoint" --minutes 5 --seed 1337 \
      --sample-tokens 0
  fi
  [ -f "$checkpoint/latest" ] || checkpoint=""
fi
OMP_WAIT_POLICY=passive "$binary" "$moby" "$ROOT/data/text/moby_dick_questions.tsv" "$(nproc)" ${checkpoint:+"$checkpoint"}
