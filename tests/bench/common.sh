# Sourced by every benchmark script (tests/bench/*.sh), for what each would otherwise repeat:
#   . "$(dirname "${BASH_SOURCE[0]}")/common.sh"
#   bench_build_dir "$@"; shift     HERE (this folder) and BUILD (the build directory, absolute), or the usage
#   need_binary bench_train         binary="$BUILD/bench/bench_train", or the cmake line that builds it
#   need_python_module torch python3-torch
#                                   /usr/bin/python3 can import the module, or the apt-get line that installs it
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

bench_build_dir() {
  local script
  script="$(basename "${BASH_SOURCE[1]}")"
  [ -n "${1:-}" ] || { echo "usage: $script BUILD_DIR [--quick]" >&2; exit 2; }
  [ -d "$1" ] || { echo "error: $1 is not a build directory (./run build makes build/)" >&2; exit 1; }
  BUILD="$(cd "$1" && pwd)"  # absolute: some scripts run tools from a temporary directory
}

need_binary() {
  binary="$BUILD/bench/$1"
  [ -x "$binary" ] || { echo "error: $binary is not built (cmake --build $BUILD --target $1)" >&2; exit 1; }
}

need_python_module() {
  if [ ! -x /usr/bin/python3 ] || ! /usr/bin/python3 -c "import $1" 2>/dev/null; then
    echo "error: /usr/bin/python3 with $1 is needed for the peer's side (apt-get install $2)" >&2
    exit 1
  fi
}
