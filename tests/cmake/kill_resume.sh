#!/bin/bash
# A training run killed with SIGKILL at random moments, many times, and resumed each time, must end exactly
# where an uninterrupted run ends (issue 15): every resume starts from a complete checkpoint, every step's
# loss equals the uninterrupted run's, and the final checkpoint's files are byte-identical.
#   kill_resume.sh MINILLM TEXT WORKDIR [KILLS]
set -u
minillm=$1 text=$2 work=$3 kills=${4:-25}
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
"$minillm" train-tokenizer --vocab-size 300 --input "$text" --out tok.bpe >/dev/null 2>&1 || exit 1
# A checkpoint after every step, so most kills land in the middle of one. The run is long enough (400 steps)
# and the kills frequent enough (every 0.01-0.39 s) that a machine whose disk syncs fast still sees many
# kills before the run can finish (with 120 steps and 0.1-1 s, a fast disk let it finish after 3).
echo '{"checkpoint_every": 1, "eval_every": 10, "cache_dir": ""}' > config.json
args=(train --config config.json --input "$text" --tokenizer tok.bpe --out run --steps 400 --layers 1 --heads 2
      --width 16 --context 16 --batch 2 --sample-tokens 0 --json)

"$minillm" "${args[@]}" >/dev/null 2>&1 || { echo "the uninterrupted run failed"; exit 1; }
mv run reference

RANDOM=7
killed=0 mid_write=0 finished=0
for ((i = 0; i < kills * 4 && killed < kills; ++i)); do
  resume=()
  [ -f run/latest ] && resume=(--resume)
  logged=$(cat run/loss.csv 2>/dev/null | wc -l)
  "$minillm" "${args[@]}" "${resume[@]}" >/dev/null 2>&1 &  # $! is minillm itself, not a subshell
  pid=$!
  # The random moment is counted from the first step this process logs, not from its start: a slow start
  # (a sanitizer build, a loaded machine) would otherwise take every kill before any checkpoint is written.
  for ((wait_steps = 0; wait_steps < 1000; ++wait_steps)); do
    [ "$(cat run/loss.csv 2>/dev/null | wc -l)" -gt "$logged" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.02
  done
  sleep "0.$((RANDOM % 4))$((RANDOM % 9 + 1))"
  if ! kill -9 "$pid" 2>/dev/null; then wait "$pid"; status=$?; finished=1; break; fi
  wait "$pid" 2>/dev/null
  killed=$((killed + 1))
  if compgen -G "run/checkpoints/.partial-*" >/dev/null || compgen -G "run/*.tmp-*" >/dev/null ||
     compgen -G "run/checkpoints/*/*.tmp-*" >/dev/null; then mid_write=$((mid_write + 1)); fi
  if [ -f run/latest ]; then
    current="run/$(cat run/latest)"
    for f in config.json model.safetensors optimizer.safetensors state.json; do
      [ -s "$current/$f" ] || { echo "after kill $killed, latest names $current, which has no $f"; exit 1; }
    done
  fi
done
if [ "$finished" = 0 ]; then  # not finished within the kills: run to the end
  "$minillm" "${args[@]}" --resume >/dev/null 2>&1; status=$?
fi
[ "$status" = 0 ] || { echo "the last resume failed with status $status"; exit 1; }
echo "killed $killed times, $mid_write of them in the middle of a checkpoint write"
[ "$mid_write" -ge 1 ] || { echo "no kill hit a checkpoint write: the test did not test that"; exit 1; }

# Every complete line of the interrupted run's loss log (a killed run may leave a torn last line, which
# the next run's first line then continues) must be the uninterrupted run's line for that step.
bad=$(grep -E '^[0-9]+,(train|val),[-0-9.e+]+$' run/loss.csv | while IFS= read -r line; do
  grep -qxF "$line" reference/loss.csv || echo "$line"; done | head -3)
[ -z "$bad" ] || { echo "losses differ from the uninterrupted run: $bad"; exit 1; }
steps=$(grep -cE '^[0-9]+,train,' reference/loss.csv)
seen=$(grep -E '^[0-9]+,train,[-0-9.e+]+$' run/loss.csv | cut -d, -f1 | sort -un | wc -l)
echo "$seen of $steps steps' losses compared"
[ "$seen" -ge $((steps * 9 / 10)) ] || { echo "too few steps logged"; exit 1; }

a="reference/$(cat reference/latest)" b="run/$(cat run/latest)"
for f in config.json model.safetensors optimizer.safetensors state.json; do
  cmp -s "$a/$f" "$b/$f" || { echo "final $f differs from the uninterrupted run's"; exit 1; }
done
[ "$(ls run/checkpoints | wc -l)" = 1 ] || { echo "old checkpoints were left behind: $(ls run/checkpoints)"; exit 1; }
echo "kill-resume: identical"
