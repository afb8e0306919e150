#!/usr/bin/env python3
"""Golden-file runner for cxsent-scan.

usage: run_golden.py SCAN CASE_DIR [--update]

A case directory holds:
  input.jsonl        standard input and/or the file named in args (paths relative to the case);
  input.csv          or this, for CSV cases
  args               optional; one argument per line ("{case}" expands to the case directory,
                     "{tmp}" to a fresh temporary directory for output files)
  expected.jsonl     the exact standard output
  status             optional; the expected exit status (default 0)
  stderr.contains    optional; lines that must each appear in standard error
  expected.stderr    optional; the exact standard error
  expected_files/    optional; each file NAME in it must equal {tmp}/NAME after the run. An
                     .html file must also be self-contained: no script, no external resource.
--update rewrites expected.jsonl (and status, expected.stderr and the files already in
expected_files/) from the current binary.
"""
import html.parser
import os
import subprocess
import sys
import tempfile


class _Resources(html.parser.HTMLParser):
    """Collects what would make an HTML page run code or load something from elsewhere."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.in_style = tag == "style"
        if tag in ("script", "iframe", "object", "embed", "link", "img", "image", "use"):
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            local = (value or "").startswith("#")
            if name in ("src", "href", "xlink:href", "action") and not local:
                self.problems.append(f"{name}={value!r} on <{tag}>")
            if name == "style" and "url(" in (value or ""):
                self.problems.append(f"url() in a style attribute on <{tag}>")

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if self.in_style and ("@import" in data or "url(" in data):
            self.problems.append("@import or url() in the style sheet")


def html_problems(data):
    p = _Resources()
    p.feed(data.decode("utf-8"))
    p.close()
    return p.problems


def run_case(scan, case, update):
    with tempfile.TemporaryDirectory(prefix="cxsent-golden-") as tmp:
        return check(scan, case, update, tmp)


def check(scan, case, update, tmp):
    args = []
    if os.path.exists(os.path.join(case, "args")):
        with open(os.path.join(case, "args"), encoding="utf-8") as f:
            args = [a.replace("{case}", case).replace("{tmp}", tmp)
                    for a in f.read().splitlines() if a]
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
    stderr_path = os.path.join(case, "expected.stderr")
    files_dir = os.path.join(case, "expected_files")
    files = sorted(os.listdir(files_dir)) if os.path.isdir(files_dir) else []
    if update:
        with open(exp_path, "wb") as f:
            f.write(p.stdout)
        with open(status_path, "w") as f:
            f.write(f"{p.returncode}\n")
        if os.path.exists(stderr_path):
            with open(stderr_path, "wb") as f:
                f.write(p.stderr)
        for name in files:
            with open(os.path.join(tmp, name), "rb") as src, \
                    open(os.path.join(files_dir, name), "wb") as dst:
                dst.write(src.read())
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
    if os.path.exists(stderr_path):
        with open(stderr_path, "rb") as f:
            want_err = f.read()
        if p.stderr != want_err:
            failures.append(first_difference("stderr", p.stderr, want_err))
    for name in files:
        out = os.path.join(tmp, name)
        if not os.path.exists(out):
            failures.append(f"{name} was not written")
            continue
        with open(out, "rb") as f:
            got = f.read()
        with open(os.path.join(files_dir, name), "rb") as f:
            want_file = f.read()
        if got != want_file:
            failures.append(first_difference(name, got, want_file))
        if name.endswith(".html"):
            failures.extend(f"{name}: {problem}" for problem in html_problems(got))
    if failures:
        print(f"FAIL {case}")
        for f in failures:
            print("  " + f)
        return 1
    print(f"ok {case}")
    return 0


def first_difference(what, got, want):
    got_lines, want_lines = got.splitlines(), want.splitlines()
    for i, (g, w) in enumerate(zip(got_lines, want_lines)):
        if g != w:
            return f"{what}: line {i + 1} differs:\n  got  {g[:300]!r}\n  want {w[:300]!r}"
    return f"{what}: {len(got_lines)} lines, expected {len(want_lines)}"


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    scan, case = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    return run_case(scan, case, "--update" in argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
