#!/usr/bin/env bash
# Runs every benchmark script tests/bench/*.sh (except this one) in name order and collects their
# `ratio:` lines at the end. Called by `./run bench` as: run.sh BUILD_DIR [ARGS...]; ARGS (e.g. --quick)
# are passed on to every script.
#
# Each script gets the build directory as $1, runs its benchmark binaries from $1/bench/, and prints
# `ratio: <what> = <number>x` lines comparing minillm against a peer measured in the same run.
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_build_dir "$@"
shift

model="$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)"
printf '== minillm benchmarks, %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
printf '== machine: %s, %s cores (nproc), MINILLM_THREADS=%s\n' "${model:-unknown CPU}" "$(nproc)" \
  "${MINILLM_THREADS:-unset}"
if [ -x "$BUILD/bench/bench_matmul" ]; then
  printf '== %s\n' "$("$BUILD/bench/bench_matmul" --info)"
fi
printf '== load average: %s (other work on the machine makes numbers noisy)\n\n' \
  "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
failed=()
for script in "$HERE"/*.sh; do
  case "$(basename "$script")" in run.sh | common.sh) continue ;; esac  # this runner, and the scripts' shared part
  printf '== %s\n' "$(basename "$script" .sh)"
  if ! bash "$script" "$BUILD" "$@" 2>&1 | tee -a "$log"; then
    failed+=("$(basename "$script")")
  fi
  printf '\n'
done

printf '== summary\n'
grep -E '^(ratio|sgemm peak|baseline):' "$log" || printf '(no ratio lines were printed)\n'
if [ "${#failed[@]}" -gt 0 ]; then
  printf 'error: these benchmarks failed: %s\n' "${failed[*]}" >&2
  exit 1
fi
