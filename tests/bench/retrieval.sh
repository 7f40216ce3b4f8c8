#!/usr/bin/env bash
# Retrieval quality on Moby Dick (tests/bench/bench_retrieval.cpp): recall@1/5 of the answering passage for
# word-vector passages (plain and SIF means) and BM25, on the committed questions and on sentences with half
# their words dropped; then IVF's recall@10 and speed on real passage vectors. No peer program: BM25 is the
# baseline, computed in the same run. Usage: retrieval.sh BUILD_DIR [--quick]
set -euo pipefail
BUILD="${1:?usage: retrieval.sh BUILD_DIR [--quick]}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
binary="$BUILD/bench/bench_retrieval"
[ -x "$binary" ] || { echo "error: $binary is not built (cmake --build $BUILD --target benchmarks)" >&2; exit 1; }
moby="$ROOT/data/cache/moby_dick.txt"
[ -f "$moby" ] || { echo "error: run ./run fetch first (Moby Dick)" >&2; exit 1; }
OMP_WAIT_POLICY=passive "$binary" "$moby" "$ROOT/data/text/moby_dick_questions.tsv" "$(nproc)"
