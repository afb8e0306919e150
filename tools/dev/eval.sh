#!/usr/bin/env bash
# Figures of cxsent-scan on the development set (../shared/eval) and on our own labelled sets
# (tests/eval), computed by cx_eval.py itself: sentiment Pearson r, accuracy and macro-F1 by
# kind, and for the sets labelled with customer-experience facts (themes, intents, waits)
# cx_eval.py's metrics of those too.
# Usage: tools/dev/eval.sh [BUILD_DIR] (default: build).
set -euo pipefail
cd "$(dirname "$0")/../.."
scan=${1:-build}/tools/scan/cxsent-scan
py=/usr/bin/python3
eval=../shared/eval/cx_eval.py
[ -x "$scan" ] || { echo "eval.sh: build first ($scan not found)" >&2; exit 2; }
[ -f "$eval" ] || { echo "eval.sh: $eval not found (../shared beside the checkout)" >&2; exit 2; }
for gold in ../shared/eval/cx_dev.jsonl tests/eval/holdout1.jsonl tests/eval/holdout2.jsonl \
    tests/eval/holdout3.jsonl tests/eval/cxfacts1.jsonl tests/eval/cxfacts2.jsonl; do
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
if any(g.get("themes") for g in gold.values()):
    m, _ = cx.score(gold, pred)
    print(f"{name:18s} cx facts  theme F1 {m['theme_f1']:.3f}  polarity {m['theme_pol_acc']:.3f}"
          f"  level {m['theme_lvl_acc']:.3f}  delight F1 {m['delight_f1']:.3f}")
    print(f"{name:18s} cx facts  intent F1 {m['intent_f1']:.3f} (macro {m['intent_macro_f1']:.3f})"
          f"  wait F1 {m['wait_f1']:.3f} (any channel {m['wait_sec_f1']:.3f})")
PY
  rm -f "$pred"
done
