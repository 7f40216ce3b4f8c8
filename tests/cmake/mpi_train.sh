#!/bin/bash
# Data-parallel training under mpirun (issue 23), on a tiny model of the project's own text, 1 thread per rank:
#   mpi_train.sh MINILLM TEXT WORKDIR same N        N ranks train loss by loss as 1 process does (--zero 0 and 1)
#   mpi_train.sh MINILLM TEXT WORKDIR resume N M    an N-rank run stopped half-way and resumed on M ranks (and
#                                                   the other --zero) ends as the uninterrupted N-rank run
#   mpi_train.sh MINILLM TEXT WORKDIR kill          SIGKILL of one rank ends the whole job within 30 s
#   mpi_train.sh MINILLM TEXT WORKDIR term          Ctrl-C on mpirun (SIGTERM to the ranks) saves one checkpoint
#   mpi_train.sh MINILLM TEXT WORKDIR mismatch      ranks started with different settings are refused
# The tolerance: N ranks sum the batch's gradient in another order than one process (each rank's part, then
# the all-reduce), so floats differ in their last bits and the difference grows a little with every step.
# Over 12 steps the losses (about 5.7 nats) agree to TOLERANCE (default 2e-4 nats); a bug (a rank's rows
# counted twice, a sum not averaged, a rank a step behind) moves them by 1e-2 or more.
set -u
minillm=$1 text=$2 work=$3 mode=$4
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tolerance=${TOLERANCE:-2e-4}
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
"$minillm" train-tokenizer --vocab-size 300 --input "$text" --out tok.bpe >/dev/null 2>&1 || exit 1
echo '{"cache_dir": "", "eval_every": 4, "checkpoint_every": 4}' > config.json
base=(train --config config.json --tokenizer tok.bpe --layers 2 --heads 2 --width 16 --context 16 --sample-tokens 0)
args=("${base[@]}" --input "$text" --batch 6 --steps 12 --json)
long=("${base[@]}" --input "$text" --batch 6 --steps 1000000)  # stopped by a signal
ranks() { local n=$1; shift; bash "$here/mpirun.sh" "$n" "$minillm" "$@"; }
die() { echo "FAILED: $*"; exit 1; }

# same_losses A B: every train line of A's loss.csv has B's loss for that step within the tolerance.
same_losses() {
  awk -F, -v tol="$tolerance" -v a="$1" -v b="$2" '
    FNR == NR { if ($2 == "train") want[$1] = $3; next }
    $2 == "train" { seen++; d = $3 - want[$1]; if (d < 0) d = -d; if (!($1 in want) || d > tol) bad++;
                    if (d > worst) worst = d }
    END { printf "%s vs %s: %d steps compared, largest difference %.2g nats (tolerance %s)\n", a, b, seen, worst, tol;
          exit (bad > 0 || seen < 12) }' "$1/loss.csv" "$2/loss.csv"
}

case "$mode" in
  same)
    n=$5
    MINILLM_THREADS=1 "$minillm" "${args[@]}" --out one >one.log 2>&1 || { cat one.log; die "the 1-process run"; }
    ranks "$n" "${args[@]}" --out many >many.log 2>&1 || { cat many.log; die "the $n-rank run"; }
    ranks "$n" "${args[@]}" --out zero1 --zero 1 >zero1.log 2>&1 || { cat zero1.log; die "the $n-rank --zero 1 run"; }
    grep -q "\"ranks\":$n" many.log || die "the $n-rank run's summary does not say $n ranks: $(cat many.log)"
    [ "$(grep -c '"steps"' many.log)" = 1 ] || die "the summary line was printed more than once"
    same_losses one many && same_losses one zero1 && same_losses many zero1 || die "losses differ"
    cmp -s many/loss.csv zero1/loss.csv && echo "(--zero 1's log is identical to --zero 0's)"
    echo "mpi-same: $n ranks match 1 process"
    ;;
  resume)
    n=$5 m=$6
    ranks "$n" "${args[@]}" --out whole >whole.log 2>&1 || { cat whole.log; die "the uninterrupted $n-rank run"; }
    ranks "$n" "${args[@]}" --out halves --stop-after 6 >first.log 2>&1 || { cat first.log; die "the first half"; }
    grep -q '"steps":6' first.log || die "the first half did not stop at step 6: $(cat first.log)"
    ranks "$m" "${args[@]}" --out halves --resume --zero 1 >second.log 2>&1 || { cat second.log; die "the resume on $m ranks"; }
    grep -q '"steps":12' second.log || die "the resumed run did not end at step 12: $(cat second.log)"
    same_losses whole halves || die "the resumed run differs from the uninterrupted one"
    echo "mpi-resume: $n ranks stopped at step 6 and resumed on $m ranks end as the uninterrupted run"
    ;;
  kill)
    echo '{"cache_dir": "", "eval_every": 50, "checkpoint_every": 20}' > config.json
    bash "$here/mpirun.sh" 2 "$minillm" "${long[@]}" --out run >run.log 2>&1 &  # $!: mpirun (the script execs it)
    launcher=$!
    for _ in $(seq 100); do [ -f run/latest ] && break; sleep 0.2; done
    [ -f run/latest ] || die "no checkpoint after 20 s: $(tail -5 run.log)"
    rank_pids=$(pgrep -P "$launcher")
    [ "$(echo "$rank_pids" | wc -w)" = 2 ] || die "not 2 ranks under mpirun (pid $launcher): $rank_pids"
    victim=$(echo "$rank_pids" | tail -1) others=$(echo "$rank_pids" | head -1)
    kill -9 "$victim"
    start=$SECONDS
    while kill -0 "$launcher" 2>/dev/null && [ $((SECONDS - start)) -lt 30 ]; do sleep 0.2; done
    if kill -0 "$launcher" 2>/dev/null; then kill -9 "$launcher" $others; die "mpirun still runs 30 s after a rank was killed"; fi
    wait "$launcher"; status=$?
    for _ in $(seq 25); do kill -0 "$others" 2>/dev/null || break; sleep 0.2; done  # its exit may lag mpirun's
    kill -0 "$others" 2>/dev/null && { kill -9 "$others"; die "rank process $others outlived the job by 5 s"; }
    [ "$status" != 0 ] || die "mpirun ended with status 0 after a rank was killed"
    echo "the job ended $((SECONDS - start)) s after the kill, with status $status; mpirun said:"
    grep -m2 -iE "signal|killed|exited" run.log
    ranks 2 "${long[@]}" --out run --resume --stop-after "$(( $(sed 's/.*step-0*//' run/latest) + 2 ))" \
      >resume.log 2>&1 || { cat resume.log; die "--resume after the kill"; }
    echo "mpi-kill: the job ended, and --resume continued from the last checkpoint"
    ;;
  term)
    echo '{"cache_dir": "", "eval_every": 50, "checkpoint_every": 100000}' > config.json
    # On Ctrl-C (SIGINT) mpirun waits odls_base_sigkill_timeout seconds (default 1), sends the ranks SIGTERM,
    # waits as long again and sends SIGKILL: the second wait is the time the ranks have to save.
    set -m  # a background job of a script would otherwise ignore SIGINT, as the shell makes it
    MPIRUN_EXTRA="--mca odls_base_sigkill_timeout 3" bash "$here/mpirun.sh" 2 "$minillm" "${long[@]}" --out run \
      >run.log 2>&1 &
    launcher=$!
    for _ in $(seq 100); do grep -q "validation loss" run.log && break; sleep 0.2; done
    kill -INT "$launcher"
    start=$SECONDS
    wait "$launcher"
    echo "mpirun ended $((SECONDS - start)) s after Ctrl-C"
    grep -q "Interrupted: saved a checkpoint at step" run.log || die "no checkpoint was saved: $(tail -5 run.log)"
    [ "$(grep -c 'Interrupted:' run.log)" = 1 ] || die "the interruption was reported more than once"
    [ -f "run/$(cat run/latest)/state.json" ] || die "latest names no complete checkpoint"
    [ "$(ls run/checkpoints | wc -l)" = 1 ] || die "more than one checkpoint: $(ls run/checkpoints)"
    grep -m1 "Interrupted" run.log
    echo "mpi-term: Ctrl-C saved one checkpoint"
    ;;
  mismatch)
    root=(); [ "$(id -u)" = 0 ] && root=(--allow-run-as-root)
    head -c 2000 "$text" > other.txt
    mp=("${MPIEXEC:-mpirun}" "${root[@]}" --oversubscribe --bind-to none -x MINILLM_THREADS=1 -x ASAN_OPTIONS)
    MINILLM_THREADS=1 "${mp[@]}" -np 1 "$minillm" "${args[@]}" --out a : -np 1 "$minillm" "${base[@]}" --input "$text" --batch 4 --steps 12 --out a \
      >batch.log 2>&1 && die "ranks with different --batch trained"
    grep -m1 "error:" batch.log
    grep -q "error: rank 1 was started with a different setting 'batch' than rank 0" batch.log || die "$(cat batch.log)"
    MINILLM_THREADS=1 "${mp[@]}" -np 1 "$minillm" "${args[@]}" --out b : -np 1 "$minillm" "${base[@]}" --input other.txt --batch 6 --steps 12 \
      --out b >text.log 2>&1 && die "ranks with different texts trained"
    grep -m1 "error:" text.log
    grep -q "error: rank 1 was started with a different training text" text.log || die "$(cat text.log)"
    [ ! -d a/checkpoints ] && [ ! -d b/checkpoints ] || die "a refused run wrote checkpoints"
    echo "mpi-mismatch: refused, naming the setting"
    ;;
  *) die "unknown mode '$mode'" ;;
esac
