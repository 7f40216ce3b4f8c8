#!/usr/bin/env bash
# Chapter 09's classic baseline: TF-IDF on word 1-2 grams + logistic regression (scikit-learn, Debian
# python3-sklearn; tests/bench/spam_tfidf.py) on the SpamAssassin split in data/cache/spam_assassin/.
# Prints the test accuracy, macro-F1, per-class precision and recall, the confusion matrix, and the time of
# each step (best of 3 runs for the total; --quick: one run). chapters/09_fine_tuning's demo calls the same
# script (--json) to print the GPT's scores beside these.
# Usage: spam_baseline.sh BUILD_DIR [--quick]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_build_dir "$@"  # the baseline needs no minillm binary; the argument keeps run.sh's calling convention
shift
runs=3
for arg in "$@"; do [ "$arg" = "--quick" ] && runs=1; done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
need_python_module sklearn python3-sklearn
data="$ROOT/data/cache/spam_assassin"
[ -f "$data/test.tsv" ] || { echo "error: $data/test.tsv is missing: run ./run fetch first" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for run in $(seq "$runs"); do
  /usr/bin/python3 "$ROOT/tests/bench/spam_tfidf.py" --data "$data" > "$work/run_$run.txt"
  printf '%s %s\n' "$(sed -n 's/^seconds: .*total \([0-9.]*\)$/\1/p' "$work/run_$run.txt")" "$run" >> "$work/totals"
done
read -r best best_run < <(sort -n "$work/totals" | head -n 1)
cat "$work/run_$best_run.txt"  # the scores are the same in every run (fixed split, deterministic solver)
printf 'total seconds, best of %s: %s (all runs: %s)\n' "$runs" "$best" "$(cut -d' ' -f1 "$work/totals" | tr '\n' ' ')"
printf 'baseline: spam test accuracy %s, macro-F1 %s (TF-IDF 1-2 grams + logistic regression, %ss)\n' \
  "$(sed -n 's/^test accuracy: //p' "$work/run_1.txt")" "$(sed -n 's/^test macro-F1: //p' "$work/run_1.txt")" "$best"
