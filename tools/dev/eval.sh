#!/usr/bin/env bash
# Sentiment figures of cxsent-scan on the development set (../shared/eval) and on our three own
# labelled sets (tests/eval), by kind: cx_eval.py's Pearson r, accuracy and macro-F1, computed
# by cx_eval.py itself on each kind's texts.
# Usage: tools/dev/eval.sh [BUILD_DIR] (default: build).
set -euo pipefail
cd "$(dirname "$0")/../.."
scan=${1:-build}/tools/scan/cxsent-scan
py=/usr/bin/python3
eval=../shared/eval/cx_eval.py
[ -x "$scan" ] || { echo "eval.sh: build first ($scan not found)" >&2; exit 2; }
[ -f "$eval" ] || { echo "eval.sh: $eval not found (../shared beside the checkout)" >&2; exit 2; }
for gold in ../shared/eval/cx_dev.jsonl tests/eval/holdout1.jsonl tests/eval/holdout2.jsonl \
    tests/eval/holdout3.jsonl; do
  [ -f "$gold" ] || { echo "eval.sh: $gold not found (skipped)" >&2; continue; }
  pred=$(mktemp)
  "$scan" "$gold" > "$pred"
  $py - "$gold" "$pred" "$eval" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("cx_eval", sys.argv[3])
cx = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cx)
gold, pred = cx.load(sys.argv[1]), cx.load(sys.argv[2])
name = sys.argv[1].split("/")[-1]
kinds = sorted({g["kind"] for g in gold.values() if g.get("kind")})
for k in kinds + ["all"]:
    part = {i: g for i, g in gold.items() if k == "all" or g.get("kind") == k}
    m, _ = cx.score(part, {i: pred[i] for i in part})
    print(f"{name:18s} {k:8s} n={len(part):3d}  r {m['sent_r']:.3f}  acc {m['sent_acc']:.3f}"
          f"  macro-F1 {m['sent_f1']:.3f}")
PY
  rm -f "$pred"
done
