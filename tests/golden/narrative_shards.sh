#!/usr/bin/env bash
# Shards merge exactly: cxsent-scan --narrative-state on three parts of the samples, merged by
# cxsent-narrative, gives the bytes of one scan of the whole (JSON and state); a damaged or
# foreign state is refused with its file, line and column, and nothing is written.
# usage: narrative_shards.sh CXSENT_SCAN CXSENT_NARRATIVE SAMPLES.jsonl
set -euo pipefail
scan=$1 merge=$2 samples=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$scan" --narrative "$tmp/whole.json" --narrative-state "$tmp/whole.state" "$samples" >/dev/null
# three shards, records interleaved so every brand and month is split
awk 'NR % 3 == 0' "$samples" >"$tmp/a.jsonl"
awk 'NR % 3 == 1' "$samples" >"$tmp/b.jsonl"
awk 'NR % 3 == 2' "$samples" >"$tmp/c.jsonl"
for p in a b c; do
  "$scan" --narrative-state "$tmp/$p.state" "$tmp/$p.jsonl" >/dev/null
done
"$merge" "$tmp/c.state" "$tmp/a.state" "$tmp/b.state" >"$tmp/merged.json"
cmp -s "$tmp/merged.json" "$tmp/whole.json" || fail "merged shards differ from the whole (JSON)"
"$merge" --state -o "$tmp/merged.state" "$tmp/b.state" "$tmp/c.state" "$tmp/a.state"
cmp -s "$tmp/merged.state" "$tmp/whole.state" || fail "merged shards differ from the whole (state)"
# standard input, and no customer text on request
"$merge" - <"$tmp/whole.state" | cmp -s - "$tmp/whole.json" || fail "state from stdin"
"$merge" --no-verbatims "$tmp/whole.state" >"$tmp/quiet.json"
! grep -q verbatims "$tmp/quiet.json" || fail "--no-verbatims still writes verbatims"

# a cut state: refused with file:line:column, exit 1, nothing written
head -c 300 "$tmp/whole.state" >"$tmp/cut.state"
set +e
"$merge" -o "$tmp/never.json" "$tmp/a.state" "$tmp/cut.state" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "cut state: exit $rc"
grep -Eq "^cxsent-narrative: $tmp/cut.state:[0-9]+:[0-9]+: " "$tmp/err" || fail "cut state: $(cat "$tmp/err")"
[ ! -e "$tmp/never.json" ] || fail "cut state: output written"
# a state of a model with other themes
printf '@section themes\nlatte\tcoffee_drinks\n' >"$tmp/extra.tsv"
set +e
"$merge" --override "$tmp/extra.tsv" "$tmp/a.state" 2>"$tmp/err" >/dev/null
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "other themes" "$tmp/err" || fail "foreign themes: exit $rc: $(cat "$tmp/err")"
# with the same override on both sides, the states merge
"$scan" --override "$tmp/extra.tsv" --narrative-state "$tmp/x.state" "$tmp/a.jsonl" >/dev/null
"$merge" --override "$tmp/extra.tsv" "$tmp/x.state" >/dev/null || fail "same override"
# a missing file
set +e
"$merge" "$tmp/missing.state" 2>"$tmp/err" >/dev/null
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "missing.state: No such file" "$tmp/err" || fail "missing file"
echo "ok: shards merge to the whole; bad states are refused"
