#!/usr/bin/env bash
# GPT training: minillm (bench_train) vs PyTorch (train_torch.py, Debian's python3-torch) on the same
# model, data and optimizer. Prints tokens/s, the fraction of the sgemm peak, peak memory and, unless
# --quick, the validation bits per byte each reaches in the same time budget (BENCH_TRAIN_MINUTES, default 5),
# and a per-operation profile of minillm's step (bench_train --profile).
# Usage: train.sh BUILD_DIR [--quick]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_build_dir "$@"
shift
need_binary bench_train
quick=0
for arg in "$@"; do [ "$arg" = "--quick" ] && quick=1; done
minutes="${BENCH_TRAIN_MINUTES:-5}"
[ "$quick" = 1 ] && minutes=0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$binary" --export "$work" --minutes "$minutes" --profile $([ "$quick" = 1 ] && echo --quick) | grep -v '^OpenBLAS:' > "$work/ours.txt"
cat "$work/ours.txt"
/usr/bin/python3 "$HERE/train_torch.py" "$work" --minutes "$minutes" $([ "$quick" = 1 ] && echo --steps 8) > "$work/theirs.txt"
cat "$work/theirs.txt"
ours="$(cat "$work/ours.txt")"
theirs="$(cat "$work/theirs.txt")"

value() { sed -n "s|^$1: *\([0-9.]*\).*|\1|p" | head -n 1; }
our_tok="$(value 'minillm tokens/s' <<<"$ours")"
their_tok="$(value 'torch tokens/s' <<<"$theirs")"
our_mem="$(value 'minillm peak memory MB' <<<"$ours")"
their_mem="$(value 'torch peak memory MB' <<<"$theirs")"
fraction="$(value 'peak fraction' <<<"$ours")"
awk -v a="$our_tok" -v b="$their_tok" 'BEGIN { printf "ratio: GPT training tokens/s, minillm / PyTorch = %.2fx (target >= 1.4x)\n", a / b }'
awk -v f="$fraction" 'BEGIN { printf "ratio: GPT training FLOP/s / sgemm peak = %.2fx (target >= 0.70x)\n", f }'
awk -v a="$our_mem" -v b="$their_mem" 'BEGIN { printf "ratio: GPT training peak memory, minillm / PyTorch = %.2fx (lower is better)\n", a / b }'
if [ "$minutes" != 0 ]; then
  our_bpb="$(sed -n 's/.*val bits per byte: \([0-9.]*\).*/\1/p' <<<"$ours")"
  their_bpb="$(sed -n 's/.*val bits per byte: \([0-9.]*\).*/\1/p' <<<"$theirs")"
  awk -v a="$our_bpb" -v b="$their_bpb" -v m="$minutes" 'BEGIN { printf "ratio: val bits per byte after %s minutes, minillm / PyTorch = %.3fx (lower is better; %.3f vs %.3f)\n", m, a / b, a, b }'
fi
