#!/usr/bin/python3
"""Pathological input through cxsent-scan (reliability.scan).

A 10 MB single JSONL line is scored in time linear in its size; truncated, invalid and
non-object lines are reported as FILE:LINE on stderr and skipped while the run goes on, and the
exit status is 2 when lines were skipped (0 when none were).

usage: scan_pathological.py PATH/TO/cxsent-scan
"""
import json
import os
import subprocess
import sys
import tempfile
import time

SCAN = sys.argv[1]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(args, stdin=None, timeout=600):
    p = subprocess.run([SCAN] + args, input=stdin, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8", "replace")


def records(out):
    lines = out.split("\n")
    check(lines[-1] == "", "output ends with a newline")
    return [json.loads(l) for l in lines[:-1]]


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


def big_text(size):
    unit = b"Great food but slow service, the staff were not rude though "
    return unit * (size // len(unit))


def big_line(size, rid="big", close=True):
    text = big_text(size)
    line = b'{"id":"' + rid.encode() + b'","text":"' + text
    return line + (b'"}\n' if close else b"\n")


def timed(args, bound=None):
    """Minimum of 3 runs; with a bound, stop once a run is under it, and give up (None) when
    a run takes several times the bound, so a quadratic case fails in seconds."""
    best, result = None, None
    for _ in range(3):
        t0 = time.monotonic()
        try:
            result = run(args, timeout=max(3 * bound, 10) if bound else 600)
        except subprocess.TimeoutExpired:
            return None, (None, "", "timed out")
        t = time.monotonic() - t0
        best = t if best is None or t < best else best
        if bound and best < bound:
            break
    return best, result


with tempfile.TemporaryDirectory(prefix="cxsent-scan-rel-") as tmp:
    # ---- one 10 MB line, and time linear in the line length --------------------------------
    one = write(os.path.join(tmp, "one.jsonl"), big_line(1 << 20))
    ten = write(os.path.join(tmp, "ten.jsonl"), big_line(10 << 20))
    t1, (rc1, out1, err1) = timed([one])
    t10, (rc10, out10, err10) = timed([ten], 20 * t1 + 0.5)
    if t10 is None:
        check(False, "10 MB line not linear: 1 MB %.3f s, 10 MB over %.1f s" % (t1, 3 * (20 * t1 + 0.5)))
        t10 = float("inf")
    check(rc1 == 0 and rc10 == 0, "10 MB line: exit status %r/%r: %s" % (rc1, rc10, err10[:300]))
    recs = records(out10) if rc10 == 0 else []
    check(len(recs) == 1 and recs[0]["id"] == "big", "10 MB line: one record with its id")
    check(recs and -1 <= recs[0]["sentiment"]["compound"] <= 1, "10 MB line: compound in range")
    check(recs and "text" not in recs[0], "10 MB line: the text is copied without --keep-text")
    check(t10 < 20 * t1 + 0.5, "10 MB line not linear: 1 MB %.3f s, 10 MB %.3f s" % (t1, t10))
    print("10 MB line: 1 MB %.3f s, 10 MB %.3f s (%.1fx)" % (t1, t10, t10 / max(t1, 1e-6)))
    if t10 != float("inf"):  # (not worth waiting for when it was not linear)
        rc, out, err = run(["--keep-text", "--explain", ten])
        recs = records(out)
        check(rc == 0 and len(recs) == 1 and recs[0]["text"] == big_text(10 << 20).decode(),
              "10 MB line with --keep-text --explain: the text round-trips")

    # ---- --summary of many groups, each broken down by channel: linear in the groups --------
    def stores(n):
        return b"".join(b'{"id":"%d","brand":"store%06d","source":"%s","text":"good"}\n'
                        % (i, i // 2, b"web" if i % 2 else b"app") for i in range(2 * n))

    few = write(os.path.join(tmp, "stores5k.jsonl"), stores(5000))
    many = write(os.path.join(tmp, "stores20k.jsonl"), stores(20000))
    t1, (rc1, _, err1) = timed(["--summary", few])
    t4, (rc4, _, err4) = timed(["--summary", many], 8 * t1 + 0.5)
    t4s = "over %.1f" % (3 * (8 * t1 + 0.5)) if t4 is None else "%.3f" % t4
    check(t4 is not None and t4 < 8 * t1 + 0.5,
          "--summary of 20000 groups not linear: 5000 %.3f s, 20000 %s s" % (t1, t4s))
    check(rc1 == 0 and rc4 == 0 and "store019999: 2 texts" in err4 and "app +1.00 (1)" in err4,
          "--summary of many groups: exit %r/%r" % (rc1, rc4))
    print("--summary by channel: 5000 groups %.3f s, 20000 groups %s s" % (t1, t4s))

    # ---- bad lines are reported with file:line and skipped; the run goes on ----------------
    mixed = os.path.join(tmp, "mixed.jsonl")
    write(mixed, b"\n".join([
        b'{"id":1,"text":"The staff were great"}',           # 1 scored
        b'{"id":2,"text":"unterminated',                     # 2 invalid JSON
        b"   ",                                              # 3 blank: not a record
        b"[1,2,3]",                                          # 4 not an object
        b'{"id":5,"body":"no text field"}',                  # 5 no text field
        b'{"id":6,"text":"bad \xff\xfe bytes, awful"}',       # 6 repaired, scored
        b'{"id":7,"text":"x",}',                             # 7 trailing comma
        b'{"id":8,"text":"terrible service"}',               # 8 scored
        b'{"id":9,"text":"cut off',                          # 9 truncated last line
    ]))
    rc, out, err = run([mixed])
    ids = [r["id"] for r in records(out)]
    check(rc == 2, "mixed: exit status %d, expected 2" % rc)
    check(ids == [1, 6, 8], "mixed: scored ids %r, expected [1, 6, 8]" % ids)
    for line in (2, 4, 5, 6, 7, 9):
        check("%s:%d: " % (mixed, line) in err, "mixed: line %d not reported" % line)
    check("%s:3:" % mixed not in err, "mixed: blank line 3 reported")
    check("%s:1:" % mixed not in err and "%s:8:" % mixed not in err, "mixed: good lines reported")
    check("truncated last line?" in err.split("%s:9: " % mixed)[-1].split("\n")[0],
          "mixed: truncated last line not called so")
    check("3 record(s) scored, 5 line(s) skipped, 1 repaired" in err,
          "mixed: summary line wrong: %r" % err[-200:])

    # --strict-utf8 skips the line with invalid bytes instead of repairing it
    rc, out, err = run(["--strict-utf8", mixed])
    ids = [r["id"] for r in records(out)]
    check(rc == 2 and ids == [1, 8], "strict: exit %d, ids %r" % (rc, ids))
    check("%s:6: " % mixed in err and "--strict-utf8" in err, "strict: line 6 not reported")

    # -q: still exit 2, no per-line reports
    rc, out, err = run(["-q", mixed])
    check(rc == 2 and "%s:2:" % mixed not in err, "quiet: exit %d, stderr %r" % (rc, err[:200]))

    # a clean file exits 0 and reports nothing
    clean = write(os.path.join(tmp, "clean.jsonl"),
                  b'{"id":1,"text":"good"}\n\n{"id":2,"text":"bad"}\r\n')
    rc, out, err = run([clean])
    check(rc == 0 and err == "" and len(records(out)) == 2, "clean: exit %d, %r" % (rc, err))

    # several files: each bad line is named by its own file; later files still run
    rc, out, err = run([mixed, clean])
    check(rc == 2 and len(records(out)) == 5, "two files: exit %d" % rc)
    # standard input is named <stdin>
    rc, out, err = run(["-"], stdin=b'{"id":1,"text":"ok"}\nnot json\n')
    check(rc == 2 and "<stdin>:2: " in err and len(records(out)) == 1, "stdin: %r" % err)

    # a 10 MB line that is not valid JSON is skipped, and the next line is still scored
    broken = os.path.join(tmp, "broken.jsonl")
    write(broken, big_line(10 << 20, close=False) + b'{"id":"after","text":"fine"}\n')
    rc, out, err = run([broken])
    recs = records(out)
    check(rc == 2 and [r["id"] for r in recs] == ["after"] and "%s:1: " % broken in err,
          "broken 10 MB line: exit %d, %r" % (rc, err[:200]))

    # 1 MB of invalid bytes inside a string: repaired, scored, reported once
    junk = write(os.path.join(tmp, "junk.jsonl"),
                 b'{"id":"junk","text":"' + b"\xff" * (1 << 20) + b' good"}\n')
    rc, out, err = run([junk])
    recs = records(out)
    check(rc == 0 and len(recs) == 1 and "%s:1: 1048576 invalid UTF-8" % junk in err,
          "junk: exit %d, %r" % (rc, err[:200]))

    # an unreadable input file is an error (status 1), not a skipped line
    rc, out, err = run([os.path.join(tmp, "missing.jsonl"), clean])
    check(rc == 1 and len(records(out)) == 2, "missing file: exit %d" % rc)

if failures:
    print("scan_pathological: %d check(s) failed" % len(failures), file=sys.stderr)
    sys.exit(1)
print("scan_pathological: all checks passed")
