#!/usr/bin/env bash
# data/spam_split.js on a small corpus the project wrote (tests/fixtures/spam_corpus: ten invented mails in
# the SpamAssassin layout, one a duplicate of another with other headers). Checks what data/README.md
# promises of the split: label<TAB>text lines, only the Subject header kept, MIME, quoted-printable, base64,
# RFC 2047 and Latin-1 decoded, HTML reduced to its text, attachments dropped, the duplicate dropped, no
# text in two splits, and the same bytes on a second run.
# Usage: spam_split_test.sh SOURCE_DIR WORK_DIR
set -uo pipefail
src="${1:?usage: spam_split_test.sh SOURCE_DIR WORK_DIR}"
work="${2:?usage: spam_split_test.sh SOURCE_DIR WORK_DIR}"
rm -rf "$work" && mkdir -p "$work"
fail() { printf 'spam_split: FAILED: %s\n' "$*"; exit 1; }
command -v node >/dev/null 2>&1 || fail "node is not installed (./run test installs npm, which brings it)"

node "$src/data/spam_split.js" "$src/tests/fixtures/spam_corpus" "$work/a" >/dev/null || fail "spam_split.js failed"
node "$src/data/spam_split.js" "$src/tests/fixtures/spam_corpus" "$work/b" >/dev/null || fail "second run failed"
for f in train val test; do
  [ -f "$work/a/$f.tsv" ] || fail "$f.tsv was not written"
  cmp -s "$work/a/$f.tsv" "$work/b/$f.tsv" || fail "$f.tsv differs between two runs: the split is not deterministic"
done
all="$work/all.tsv"
cat "$work/a/train.tsv" "$work/a/val.tsv" "$work/a/test.tsv" > "$all"

[ "$(wc -l < "$all")" -eq 9 ] || fail "expected 9 lines (10 mails, one duplicate), got $(wc -l < "$all")"
bad="$(grep -nvP '^(ham|spam)\t[^\t]+$' "$all" | head -n 1)"
[ -z "$bad" ] || fail "a line is not 'label<TAB>text' with a text free of tabs: $bad"
[ "$(grep -c '^ham' "$all")" -eq 5 ] && [ "$(grep -c '^spam' "$all")" -eq 4 ] || fail "expected 5 ham and 4 spam"
[ "$(sort "$all" | uniq -d | wc -l)" -eq 0 ] || fail "a text appears twice"
[ "$(grep -c 'See you at 10. Bring the minutes.' "$all")" -eq 1 ] || fail "the duplicate mail was not dropped"

expect() { grep -qF -- "$1" "$all" || fail "missing from the split: '$1' ($2)"; }
absent() { ! grep -qF -- "$1" "$all" || fail "should not be in the split: '$1' ($2)"; }
expect "Subject: Grüße aus München FREE MONEY NOW" "RFC 2047 subject and base64 body decoded"
expect "café price = 5 euros softbreak" "quoted-printable decoded, soft line break joined"
expect "Your résumé is great" "a Latin-1 body without a charset"
expect "Weekly & news" "HTML reduced to its text, entities decoded"
expect "Subject: offer CLICK HERE" "HTML sent as text/plain reduced too"
expect "column one column two next line" "tabs and CRLF turned to single spaces"
expect "PLAINPART words" "multipart/alternative: the plain part"
for gone in List-Id Received Message-ID Return-Path example.org; do absent "$gone" "headers other than Subject dropped"; done
absent "HTMLPART" "multipart/alternative: the HTML copy of the plain part"
absent "var x" "scripts dropped"
absent "TITLEWORD" "the HTML head dropped"
absent "COMMENTWORD" "HTML comments dropped"
absent "ATTACHMENTDATA" "attachments dropped"
absent "QVRUQUNI" "attachments dropped (not even their base64)"
absent "This is MIME" "the multipart preamble is not shown by a mail client"

for a in train val test; do
  for b in train val test; do
    [ "$a" \< "$b" ] || continue
    common="$(cut -f2 "$work/a/$a.tsv" | sort | comm -12 - <(cut -f2 "$work/a/$b.tsv" | sort) | head -n 1)"
    [ -z "$common" ] || fail "a text is in both $a.tsv and $b.tsv: $common"
  done
done
printf 'spam_split: ok (9 mails in 3 splits, every rule of data/README.md checked)\n'
