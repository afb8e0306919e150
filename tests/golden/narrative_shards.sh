#!/usr/bin/env bash
# Shards merge exactly: cxsent-scan --narrative-state on three parts of the samples, merged by
# cxsent-narrative, gives the bytes of one scan of the whole (JSON, state, summary and HTML
# report); a damaged or
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

# the summary and the report of merged shards are those of one scan of the whole (without
# the breakdown by channel, which states do not carry), by week too; no JSON is written then
"$scan" --channel-field '' --summary --report "$tmp/whole.html" "$samples" >/dev/null 2>"$tmp/whole.txt"
"$merge" --summary --report "$tmp/merged.html" "$tmp/b.state" "$tmp/a.state" "$tmp/c.state" \
  >"$tmp/stdout" 2>"$tmp/merged.txt"
cmp -s "$tmp/merged.txt" "$tmp/whole.txt" || fail "merged shards' summary differs from the whole"
cmp -s "$tmp/merged.html" "$tmp/whole.html" || fail "merged shards' report differs from the whole"
[ ! -s "$tmp/stdout" ] || fail "--summary/--report also wrote JSON to standard output"
grep -q "by month" "$tmp/merged.txt" || fail "no trend in the merged summary"
for p in a b c; do
  "$scan" --period week --narrative-state "$tmp/$p.wstate" "$tmp/$p.jsonl" >/dev/null
done
"$scan" --period week --channel-field '' --report "$tmp/whole-w.html" "$samples" >/dev/null
"$merge" --period week --report "$tmp/merged-w.html" "$tmp/a.wstate" "$tmp/b.wstate" "$tmp/c.wstate"
cmp -s "$tmp/merged-w.html" "$tmp/whole-w.html" || fail "merged weekly report differs"
grep -q "Net sentiment by week" "$tmp/merged-w.html" || fail "weekly report has no weekly chart"
if [ -e /dev/full ]; then
  set +e
  "$merge" --report /dev/full "$tmp/a.state" 2>"$tmp/err"
  rc=$?
  set -e
  [ "$rc" = 1 ] && grep -q "^cxsent-narrative: /dev/full: write error" "$tmp/err" ||
    fail "report write error: exit $rc: $(cat "$tmp/err")"
fi

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
