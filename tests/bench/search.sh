#!/usr/bin/env bash
# Vector search: minillm's flat index (tests/bench/bench_search.cpp) vs FAISS IndexFlatIP (Debian
# python3-faiss, tests/bench/search_faiss.py) on the same 100,000 x 128 unit vectors and 1,000 queries,
# k = 10, in the same run, taking turns: batched (all queries in one call) and single (one call per query)
# queries/s at 1 and 2 threads, best of 3; identical top-10 ids; the single-query scan against the
# machine's read bandwidth; then the IVF index's recall@10 against speed on clustered data (PNG).
# Usage: search.sh BUILD_DIR [--quick]   (--quick: one repetition, fewer single queries)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_build_dir "$@"
shift
quick=0
for arg in "$@"; do [ "$arg" = "--quick" ] && quick=1; done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
need_binary bench_search
need_python_module faiss python3-faiss
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
reps=3
[ "$quick" = 1 ] && reps=1
value() { awk -v key="$1" '$1 == key { print $2 }' "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

"$binary" data "$work" 100000 128 1000
printf 'load average before: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
for threads in 1 2; do
  OMP_WAIT_POLICY=passive "$binary" flat "$work" 128 "$threads" "$reps" > "$work/minillm_$threads.txt"
  OMP_WAIT_POLICY=passive OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" \
    /usr/bin/python3 "$ROOT/tests/bench/search_faiss.py" "$work" 128 "$threads" "$reps" > "$work/faiss_$threads.txt"
  for kind in batched single; do
    printf 'flat search, %s, %s thread(s): minillm %s queries/s, FAISS IndexFlatIP %s queries/s\n' "$kind" "$threads" \
      "$(value ${kind}_qps "$work/minillm_$threads.txt")" "$(value ${kind}_qps "$work/faiss_$threads.txt")"
  done
  printf 'flat search, batched, %s thread(s), threads as OpenBLAS'"'"'s own pool instead of one slice per OpenMP thread: %s queries/s\n' \
    "$threads" "$(value batched_qps_blas_pool "$work/minillm_$threads.txt")"
  /usr/bin/python3 "$ROOT/tests/bench/search_faiss.py" compare "$work"
done
printf 'load average after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
best() { for t in 1 2; do value "$1" "$work/$2_$t.txt"; done | sort -g | tail -n 1; }
for kind in batched single; do
  mine="$(best ${kind}_qps minillm)"
  theirs="$(best ${kind}_qps faiss)"
  printf 'ratio: flat search %s queries/s, each at its best thread count, minillm / FAISS = %sx (%s vs %s)\n' \
    "$kind" "$(ratio "$mine" "$theirs")" "$mine" "$theirs"
  for t in 1 2; do
    printf 'ratio: flat search %s queries/s, %s thread(s), minillm / FAISS = %sx\n' "$kind" "$t" \
      "$(ratio "$(value ${kind}_qps "$work/minillm_$t.txt")" "$(value ${kind}_qps "$work/faiss_$t.txt")")"
  done
done

# A flat scan reads the whole matrix once per query: its best possible time is matrix bytes / bandwidth.
for t in 1 2; do
  bw="$("$binary" bandwidth "$t" | awk '$1 == "read_gb_per_s" { print $2 }')"
  per_query="$(value single_seconds_per_query "$work/minillm_$t.txt")"
  bytes="$(value matrix_bytes "$work/minillm_$t.txt")"
  printf 'single query, %s thread(s): %.2f ms per query; reading the %.1f MB matrix at the measured %s GB/s takes %.2f ms: %.0f%% of the bandwidth limit\n' \
    "$t" "$(awk -v s="$per_query" 'BEGIN { print s * 1000 }')" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$bw" \
    "$(awk -v b="$bytes" -v g="$bw" 'BEGIN { print b / g / 1e6 }')" \
    "$(awk -v b="$bytes" -v g="$bw" -v s="$per_query" 'BEGIN { print 100 * (b / g / 1e9) / s }')"
done

mkdir -p "$ROOT/data/out"
"$binary" ivf "$ROOT/data/out/bench_ivf_recall_speed.png" 100000 1000 256
