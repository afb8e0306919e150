#!/usr/bin/env bash
# Set up, build, and scan the bundled sample export: what are customers saying?
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/dev/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCXSENT_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
out=build/samples-scored.jsonl
echo "Scanning data/samples/reviews.jsonl (191 invented reviews and posts, 3 brands) ..."
report=build/report.html
narrative=build/narrative.json
build/tools/scan/cxsent-scan --summary --report "$report" --narrative "$narrative" -o "$out" \
  data/samples/reviews.jsonl
echo
echo "Per-record results are in $out; the first three:"
head -n 3 "$out"
echo
echo "The same summary, with charts, as one HTML page (open it in a browser):"
echo "  $(pwd)/$report"
echo "and as the library's mergeable narrative (JSON; README \"Narrative JSON\"):"
echo "  $(pwd)/$narrative"
