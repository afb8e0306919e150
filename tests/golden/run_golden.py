#!/usr/bin/env python3
"""Golden-file runner for cxsent-scan.

usage: run_golden.py SCAN CASE_DIR [--update]

A case directory holds:
  input.jsonl        standard input and/or the file named in args (paths relative to the case);
  input.csv          or this, for CSV cases
  args               optional; one argument per line ("{case}" expands to the case directory)
  expected.jsonl     the exact standard output
  status             optional; the expected exit status (default 0)
  stderr.contains    optional; lines that must each appear in standard error
--update rewrites expected.jsonl (and status) from the current binary.
"""
import os
import subprocess
import sys


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    scan, case = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    update = "--update" in argv
    args = []
    if os.path.exists(os.path.join(case, "args")):
        with open(os.path.join(case, "args"), encoding="utf-8") as f:
            args = [a.replace("{case}", case) for a in f.read().splitlines() if a]
    stdin = b""
    for name in ("input.jsonl", "input.csv"):  # standard input, when the case has one
        if os.path.exists(os.path.join(case, name)):
            with open(os.path.join(case, name), "rb") as f:
                stdin = f.read()
            break
    p = subprocess.run([scan] + args, input=stdin, capture_output=True, timeout=120,
                       cwd=case)
    exp_path = os.path.join(case, "expected.jsonl")
    status_path = os.path.join(case, "status")
    if update:
        with open(exp_path, "wb") as f:
            f.write(p.stdout)
        with open(status_path, "w") as f:
            f.write(f"{p.returncode}\n")
        print(f"updated {case}")
        return 0
    failures = []
    want_status = 0
    if os.path.exists(status_path):
        want_status = int(open(status_path).read().strip())
    if p.returncode != want_status:
        failures.append(f"exit status {p.returncode}, expected {want_status}")
    with open(exp_path, "rb") as f:
        want = f.read()
    if p.stdout != want:
        got_lines, want_lines = p.stdout.splitlines(), want.splitlines()
        for i, (g, w) in enumerate(zip(got_lines, want_lines)):
            if g != w:
                failures.append(f"line {i + 1} differs:\n  got  {g[:300]!r}\n  want {w[:300]!r}")
                break
        if len(got_lines) != len(want_lines):
            failures.append(f"{len(got_lines)} lines, expected {len(want_lines)}")
    contains = os.path.join(case, "stderr.contains")
    if os.path.exists(contains):
        err = p.stderr.decode("utf-8", "replace")
        for line in open(contains, encoding="utf-8").read().splitlines():
            if line and line not in err:
                failures.append(f"stderr lacks {line!r}; stderr was:\n{err}")
    if failures:
        print(f"FAIL {case}")
        for f in failures:
            print("  " + f)
        return 1
    print(f"ok {case}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
