#!/bin/bash
# mpirun as the MPI tests run it: N ranks on however many cores there are (--oversubscribe), not pinned
# (--bind-to none: ctest runs other things beside), one thread per rank, and as root when the tests run as
# root (containers, CI). The environment that matters is passed on to every rank (-x).
#   mpirun.sh N PROGRAM [ARGS...]
set -u
ranks=$1
shift
root=()
[ "$(id -u)" = 0 ] && root=(--allow-run-as-root)
export MINILLM_THREADS=1 OMP_NUM_THREADS=1 ASAN_OPTIONS="${ASAN_OPTIONS:-}"
exec "${MPIEXEC:-mpirun}" "${root[@]}" --oversubscribe --bind-to none -np "$ranks" -x MINILLM_THREADS -x OMP_NUM_THREADS \
  -x ASAN_OPTIONS ${MPIRUN_EXTRA:-} "$@"
