#!/usr/bin/python3
"""coverage_test.py - tests of cxsent-coverage.

usage: coverage_test.py basic|badinput PATH/TO/cxsent-coverage FIXTURE_DIR

basic     the fixture's made-up word "zorbly" (7 times) ranks first, the lexicon word
          "terrible" (8 times) and stopwords never appear, examples are clipped texts that
          contain the word, CSV (--text-field) gives the same answer as JSONL, standard input
          works, --override / --ignore / --ngrams / --top do what they say.
badinput  broken CSV quoting, a wrong field count, invalid UTF-8, bad and truncated JSON lines
          are each reported as FILE:LINE on stderr and skipped, the good records around them
          are still read, the exit status is 2 (documented in --help), and random bytes never
          crash the tool.
Standard library only.
"""

import json
import os
import random
import subprocess
import sys
import tempfile

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def run(tool, args, stdin=None):
    p = subprocess.run([tool] + args, input=stdin, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def run_json(tool, args, stdin=None, want_rc=0):
    rc, out, err = run(tool, ["--json"] + args, stdin)
    check(rc == want_rc, "%s: exit status %d, want %d; stderr: %s" % (args, rc, want_rc, err))
    try:
        return json.loads(out), err
    except ValueError as e:
        failures.append("%s: output is not JSON (%s): %r" % (args, e, out[:300]))
        return None, err


def terms(doc, key="unknown_words"):
    return [w["term"] for w in doc.get(key, [])] if doc else []


def basic(tool, fx):
    jsonl = os.path.join(fx, "coverage_basic.jsonl")
    csv = os.path.join(fx, "coverage_basic.csv")

    rc, out, err = run(tool, ["--help"])
    check(rc == 0 and "Exit status" in out and "--text-field" in out, "--help")

    doc, _ = run_json(tool, ["--min-count", "1", "--top", "0", jsonl])
    if doc:
        words = doc["unknown_words"]
        check(words and words[0]["term"] == "zorbly" and words[0]["count"] == 7,
              "zorbly (7 times) should rank first: %r" % words[:3])
        check("terrible" not in terms(doc), "a lexicon word was listed as unknown")
        for sw in ("the", "and", "was", "is", "i", "it"):
            check(sw not in terms(doc), "stopword %r was listed" % sw)
        check("zorbly's" in terms(doc), "U+2019 should become ' inside a word: %r" % terms(doc))
        check(doc["texts"] == 11 and doc["skipped"] == 0, "texts/skipped: %r" % doc)
        check(0 < doc["known_content_words"] < doc["content_words"] and
              0.0 < doc["coverage"] < 1.0, "coverage ratio: %r" % doc)
        ex = words[0]["examples"] if words else []
        check(1 <= len(ex) <= 2, "one or two examples: %r" % ex)
        check(len({e["line"] for e in ex}) == len(ex), "examples from different records")
        for e in ex:
            check("zorbly" in e["text"].lower() and len(e["text"].encode()) <= 130 and
                  e["source"].endswith("coverage_basic.jsonl"), "example: %r" % e)
        phrases = {p["term"]: p for p in doc.get("unknown_phrases", [])}
        check("quantum widget" in phrases and phrases["quantum widget"]["count"] == 3,
              "phrase 'quantum widget' (3 times): %r" % list(phrases)[:10])
        check(all(not p.startswith("the ") and not p.endswith(" the") for p in phrases),
              "phrases do not start or end with glue words")
        gq = phrases.get("great quantum widget") or phrases.get("great quantum")
        check(gq is not None and {"word": "great", "valence": 3.0} in gq["known_words"],
              "known words inside a phrase are shown: %r" % gq)
        basic_cov = doc["coverage"]
    else:
        basic_cov = None

    # the text table: zorbly is the first row (#, count, lean, its 95% interval, word)
    rc, out, err = run(tool, [jsonl])
    rows = [ln.split() for ln in out.splitlines() if ln.strip()[:1].isdigit()]
    check(rc == 0 and rows and rows[0][:2] == ["1", "7"] and rows[0][-1] == "zorbly",
          "table: %r" % rows[:2])

    # CSV with another text column: quoted commas, doubled quotes, a newline in a field, CRLF
    doc, _ = run_json(tool, ["--text-field", "review", "--min-count", "1", csv])
    if doc:
        check(terms(doc)[:1] == ["zorbly"] and doc["unknown_words"][0]["count"] == 7 and
              doc["texts"] == 11, "CSV: %r" % doc["unknown_words"][:2])
        ex = doc["unknown_words"][0]["examples"]
        check(ex and ex[0]["line"] == 2 and '"terrible"' in ex[0]["text"],
              "CSV example keeps the unescaped quotes: %r" % ex)
        check(len(ex) > 1 and ex[1]["line"] == 3 and "\n" not in ex[1]["text"],
              "CSV record with a newline: reported at its first line, shown on one line: %r"
              % ex)

    # standard input, spooled for the examples
    with open(jsonl, "rb") as f:
        doc, _ = run_json(tool, [], stdin=f.read())
    if doc:
        check(terms(doc)[:1] == ["zorbly"] and
              doc["unknown_words"][0]["examples"][0]["source"] == "<stdin>", "stdin: %r"
              % doc["unknown_words"][:1])

    # a domain override teaches the model the word: it is no longer unknown, coverage grows
    doc, _ = run_json(tool, ["--override", os.path.join(fx, "coverage_override.tsv"), jsonl])
    if doc:
        check("zorbly" not in terms(doc), "--override: zorbly still unknown")
        check(basic_cov is None or doc["coverage"] > basic_cov, "--override: coverage grew")

    doc, _ = run_json(tool, ["--ignore", os.path.join(fx, "coverage_ignore.txt"), jsonl])
    if doc:
        check("zorbly" not in terms(doc) and "quantum widget" not in terms(doc, "unknown_phrases"),
              "--ignore")

    doc, _ = run_json(tool, ["--ngrams", "1", "--top", "1", jsonl])
    if doc:
        check("unknown_phrases" not in doc and len(doc["unknown_words"]) == 1,
              "--ngrams 1 --top 1: %r" % doc)
    doc, _ = run_json(tool, ["--ngrams", "2", "--min-count", "1", "--top", "0", jsonl])
    if doc:
        check(doc["unknown_phrases"] and
              all(p["words"] == 2 for p in doc["unknown_phrases"]), "--ngrams 2")

    rc, _, err = run(tool, ["--ngrams", "4", jsonl])
    check(rc == 1 and "ngrams" in err, "--ngrams 4 is a usage error")
    rc, _, err = run(tool, ["--model", os.path.join(fx, "does-not-exist.model"), jsonl])
    check(rc == 1, "a missing model is an error")


def badinput(tool, fx):
    bad_jsonl = os.path.join(fx, "coverage_bad.jsonl")
    bad_csv = os.path.join(fx, "coverage_bad.csv")
    doc, err = run_json(tool, ["--min-count", "1", bad_jsonl, bad_csv], want_rc=2)
    expect = [
        ("coverage_bad.jsonl:2:", ""),
        ("coverage_bad.jsonl:3:", "not a JSON object"),
        ("coverage_bad.jsonl:4:", "no string field"),
        ("coverage_bad.jsonl:5:", "invalid UTF-8"),
        ("coverage_bad.jsonl:7:", "truncated"),
        ("coverage_bad.csv:4:", "closing quote"),
        ("coverage_bad.csv:5:", "fields"),
        ("coverage_bad.csv:6:", "invalid UTF-8"),
        ("coverage_bad.csv:9:", "unterminated"),
    ]
    lines = err.splitlines()
    for where, what in expect:
        check(any(where in ln and what in ln for ln in lines),
              "expected a report %r ... %r on stderr:\n%s" % (where, what, err))
    if doc:
        # JSONL lines 1 and 6; CSV records at lines 2, 3, 7-8 and 10 (after the unterminated one)
        check(doc["texts"] == 6 and doc["skipped"] == 9, "texts/skipped: %r" % doc)
        z = [w for w in doc["unknown_words"] if w["term"] == "zorbly"]
        check(z and z[0]["count"] == 5, "good records around the bad ones are read: %r" % z)

    # -q keeps stderr quiet but the status still says something was skipped
    rc, out, err = run(tool, ["-q", bad_csv])
    check(rc == 2 and "coverage_bad.csv:" not in err, "-q: rc %d, stderr %r" % (rc, err))

    # a CSV file without the text column is an error for that file
    rc, out, err = run(tool, [os.path.join(fx, "coverage_nocol.csv")])
    check(rc == 1 and 'no column "text"' in err, "missing column: rc %d, %r" % (rc, err))

    # random bytes, as JSONL and as CSV, and pathological shapes: no crash, status 0 or 2
    rnd = random.Random(20260501)
    blobs = []
    for k in range(40):
        n = rnd.randrange(0, 3000)
        alphabet = b'{}[]",:\\\n\r\t abcXYZ019\'-\xe2\x80\x99\xff\xc3\xa9\xf0\x9f\x91\x8d'
        blobs.append(bytes(rnd.choice(alphabet) for _ in range(n)))
    blobs.append(b'"' * 5000)
    blobs.append(b'text\n' + b'a' * 200000 + b'\n')
    blobs.append(b'{"text":"' + b'soooo ' * 20000 + b'"}\n')
    blobs.append(b'{"text":"' + b'x' * 70 + b' ' + b'\\u2019' * 100 + b'"}')
    with tempfile.TemporaryDirectory(prefix="cxs-cov-") as tmp:
        for k, blob in enumerate(blobs):
            for ext, extra in (("jsonl", []), ("csv", ["--csv"])):
                path = os.path.join(tmp, "blob%d.%s" % (k, ext))
                with open(path, "wb") as f:
                    f.write(blob)
                rc, out, err = run(tool, ["-q", "--min-count", "1"] + extra + [path])
                ok = rc in (0, 2) and out.startswith("cxsent-coverage:")
                ok = ok or (rc == 1 and ext == "csv" and "no column" in err)
                if not check(ok, "blob %d as %s: exit status %d, stderr %r"
                             % (k, ext, rc, err[-300:])):
                    break


def main(argv):
    if len(argv) != 4 or argv[1] not in ("basic", "badinput"):
        print(__doc__, file=sys.stderr)
        return 2
    {"basic": basic, "badinput": badinput}[argv[1]](argv[2], argv[3])
    for f in failures:
        print("FAIL: " + f)
    print("coverage %s: %d failure%s" % (argv[1], len(failures), "" if len(failures) == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
