#!/usr/bin/env bash
# word2vec on Moby Dick: minillm (tests/bench/bench_word2vec.cpp) vs gensim 4 (Debian python3-gensim,
# tests/bench/word2vec_gensim.py), same settings (skip-gram, dim 100, window 5, negative 5, 5 epochs,
# min_count 5, sample 1e-3), 1 and 2 threads, in the same run. Prints words/s per thread, the ratio, and
# the top-10 neighbours of probe words from both, side by side, to compare quality.
# Usage: embed.sh BUILD_DIR [--quick]   (--quick: 1 thread only)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_build_dir "$@"
shift
quick=0
for arg in "$@"; do [ "$arg" = "--quick" ] && quick=1; done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
need_binary bench_word2vec
moby="$ROOT/data/cache/moby_dick.txt"
[ -f "$moby" ] || { echo "error: run ./run fetch first (Moby Dick)" >&2; exit 1; }
probes=(captain sea whale boat)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
value() { awk -v key="$1" '$1 == key { print $2 }' "$2"; }

# Best of 3 for each, the two programs taking turns, so a burst of other work on the machine does not land
# on one side only.
best() { sort -n | tail -n 1; }
thread_counts=(1 2)
[ "$quick" = 1 ] && thread_counts=(1)
for threads in "${thread_counts[@]}"; do
  : > "$work/mine_$threads.all"
  : > "$work/theirs_$threads.all"
  for run in 1 2 3; do
    OMP_WAIT_POLICY=passive "$binary" "$moby" "$threads" "${probes[@]}" > "$work/minillm_$threads.txt"
    /usr/bin/python3 "$ROOT/tests/bench/word2vec_gensim.py" "$moby" "$threads" "${probes[@]}" > "$work/gensim_$threads.txt"
    value words_per_second "$work/minillm_$threads.txt" >> "$work/mine_$threads.all"
    value words_per_second "$work/gensim_$threads.txt" >> "$work/theirs_$threads.all"
  done
  mine="$(best < "$work/mine_$threads.all")"
  theirs="$(best < "$work/theirs_$threads.all")"
  printf 'word2vec, %s thread(s), best of 3: minillm %s words/s, gensim %s words/s (all runs: minillm %s; gensim %s)\n' \
    "$threads" "$mine" "$theirs" "$(tr '\n' ' ' < "$work/mine_$threads.all")" "$(tr '\n' ' ' < "$work/theirs_$threads.all")"
  printf 'ratio: word2vec words/s, %s thread(s), minillm / gensim = %sx (per thread: minillm %s, gensim %s)\n' \
    "$threads" "$(awk -v a="$mine" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')" \
    "$(awk -v a="$mine" -v t="$threads" 'BEGIN { printf "%.0f", a / t }')" \
    "$(awk -v b="$theirs" -v t="$threads" 'BEGIN { printf "%.0f", b / t }')"
done

# With 2 threads minillm trains per-thread copies of the output vectors (merged every 10,000 words), so its
# 2-thread neighbours are shown too: they must stay as good as the 1-thread ones.
printf '\ntop-10 neighbours (last run of each), minillm | gensim:\n'
for probe in "${probes[@]}"; do
  printf '  %-8s minillm, 1 thread:  %s\n' "$probe" "$(sed -n "s/^neighbours $probe: //p" "$work/minillm_1.txt")"
  [ "$quick" = 1 ] ||
    printf '  %-8s minillm, 2 threads: %s\n' "" "$(sed -n "s/^neighbours $probe: //p" "$work/minillm_2.txt")"
  printf '  %-8s gensim, 1 thread:   %s\n' "" "$(sed -n "s/^neighbours $probe: //p" "$work/gensim_1.txt")"
done
