#!/usr/bin/env bash
# Sentiment figures of cxsent-scan on the development set (../shared/eval) and on our two own
# labelled sets (tests/eval), by kind: Pearson r of compound against sentiment/2, accuracy and
# macro-F1 of the label, the same definitions as ../shared/eval/cx_eval.py.
# Usage: tools/dev/eval.sh [BUILD_DIR] (default: build).
set -euo pipefail
cd "$(dirname "$0")/../.."
scan=${1:-build}/tools/scan/cxsent-scan
py=/usr/bin/python3
[ -x "$scan" ] || { echo "eval.sh: build first ($scan not found)" >&2; exit 2; }
for gold in ../shared/eval/cx_dev.jsonl tests/eval/holdout1.jsonl tests/eval/holdout2.jsonl; do
  [ -f "$gold" ] || { echo "eval.sh: $gold not found (skipped)" >&2; continue; }
  pred=$(mktemp)
  "$scan" "$gold" > "$pred"
  $py - "$gold" "$pred" <<'PY'
import json, math, sys
gold = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
pred = {}
for l in open(sys.argv[2], encoding="utf-8"):
    r = json.loads(l)
    pred[r["id"]] = r["sentiment"]
cls = lambda v: (v > 0) - (v < 0)
lab = {"negative": -1, "neutral": 0, "positive": 1}
def figures(rows):
    x = [pred[g["id"]]["compound"] for g in rows]
    y = [g["sentiment"] / 2 for g in rows]
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    r = sxy / math.sqrt(sum((a - mx) ** 2 for a in x) * sum((b - my) ** 2 for b in y))
    f1 = 0.0
    for c in (-1, 0, 1):
        tp = sum(1 for g in rows if cls(g["sentiment"]) == c and lab[pred[g["id"]]["label"]] == c)
        fp = sum(1 for g in rows if cls(g["sentiment"]) != c and lab[pred[g["id"]]["label"]] == c)
        fn = sum(1 for g in rows if cls(g["sentiment"]) == c and lab[pred[g["id"]]["label"]] != c)
        p = tp / (tp + fp) if tp + fp else 0.0
        q = tp / (tp + fn) if tp + fn else 0.0
        f1 += 2 * p * q / (p + q) if p + q else 0.0
    acc = sum(1 for g in rows if cls(g["sentiment"]) == lab[pred[g["id"]]["label"]]) / len(rows)
    return r, acc, f1 / 3
name = sys.argv[1].split("/")[-1]
kinds = sorted({g.get("kind") for g in gold if g.get("kind")})
for k in kinds + ["all"]:
    rows = [g for g in gold if k == "all" or g.get("kind") == k]
    r, acc, f1 = figures(rows)
    print(f"{name:18s} {k:8s} n={len(rows):3d}  r {r:.3f}  acc {acc:.3f}  macro-F1 {f1:.3f}")
PY
  rm -f "$pred"
done
