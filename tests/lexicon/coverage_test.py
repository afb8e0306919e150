#!/usr/bin/python3
"""coverage_test.py - tests of cxsent-coverage.

usage: coverage_test.py basic|badinput|lean PATH/TO/cxsent-coverage FIXTURE_DIR [cxsent-scan]

basic     the fixture's made-up word "zorbly" (7 times) ranks first, the lexicon word
          "terrible" (8 times) and stopwords never appear, examples are clipped texts that
          contain the word, CSV (--text-field) gives the same answer as JSONL, standard input
          works, --override / --ignore / --ngrams / --top do what they say.
badinput  broken CSV quoting, a wrong field count, invalid UTF-8, bad and truncated JSON lines
          are each reported as FILE:LINE on stderr and skipped, the good records around them
          are still read, the exit status is 2 (documented in --help), and random bytes never
          crash the tool.
lean      each listed term's lean: -1.00 from ratings for a word only in 1-star reviews, the
          mean of the texts' compound scores (as cxsent-scan gives them) for one only in unrated
          positive texts, the rating/text choice for mixed terms, ratings off the scale ignored
          (--rating-scale N and LO..HI), CSV ratings, the --sort lean order with ties broken by
          the term, the --json fields and the text column. The test texts are invented here.
Standard library only.
"""

import json
import math
import os
import random
import re
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


def wilson(mean, n):
    """The 95% interval the tool gives a lean: Wilson's for p = (lean + 1) / 2, mapped back."""
    p, z = (mean + 1) / 2, 1.959964
    z2 = z * z
    mid = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return round(max(-1.0, 2 * (mid - half) - 1), 4), round(min(1.0, 2 * (mid + half) - 1), 4)


def write(tmp, name, records=None, raw=None):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        if raw is not None:
            f.write(raw)
        else:
            for r in records:
                f.write(json.dumps(r) + "\n")
    return path


def by_term(doc, key="unknown_words"):
    return {w["term"]: w for w in doc.get(key, [])} if doc else {}


def check_lean(got, term, lean, n, source, what):
    """The term leans exactly `lean` from n records of `source` (rating or text)."""
    w = got.get(term)
    if not check(w is not None, "%s: %r is not listed" % (what, term)):
        return None
    ok = w["lean"] == lean and w["lean_n"] == n and w["lean_from"] == source
    check(ok, "%s: %r leans %r from %r records (%r), want %r from %d (%r)"
          % (what, term, w["lean"], w["lean_n"], w["lean_from"], lean, n, source))
    return w


def word_rows(out):
    """The rows of the text listing's word table, split into columns."""
    words = out.split("\nUnknown phrases")[0]
    return [ln.split() for ln in words.splitlines() if ln.strip()[:1].isdigit()]


def lean(tool, fx, scan):
    tmp_dir = tempfile.TemporaryDirectory(prefix="cxs-cov-lean-")
    tmp = tmp_dir.name
    base = ["--min-count", "1", "--top", "0"]

    # --- ratings and texts -------------------------------------------------------------
    recs = []
    # glorbix: only in 1-star reviews, five records, twice in one of them
    recs += [{"text": "glorbix again", "rating": 1} for _ in range(4)]
    recs += [{"text": "glorbix glorbix again", "rating": 1}]
    # wibbet: no ratings at all, only in texts with known positive words
    wibbet_texts = ["the wibbet was great", "love the wibbet", "wibbet is excellent"]
    recs += [{"text": t} for t in wibbet_texts]
    # frindle: 3 rated (5, 4, 3 stars: +1, +0.5, 0) and 2 unrated negative texts: ratings win
    recs += [{"text": "frindle again", "rating": r} for r in (5, 4, 3)]
    recs += [{"text": "frindle was terrible", "rating": None} for _ in range(2)]
    # mumbo: 1 rated, 2 unrated positive texts: the texts' sentiment wins
    recs += [{"text": "mumbo again", "rating": 1}]
    mumbo_texts = ["mumbo was great", "mumbo is wonderful"]
    recs += [{"text": t} for t in mumbo_texts]
    # snibbet: 2 rated, 2 unrated: at least half rated, so ratings
    recs += [{"text": "snibbet again", "rating": 5} for _ in range(2)]
    recs += [{"text": "snibbet was awful"} for _ in range(2)]
    # blarg fizzle: a phrase in a 1-star and a 2-star review
    recs += [{"text": "blarg fizzle", "rating": 1}, {"text": "blarg fizzle", "rating": 2}]
    path = write(tmp, "lean.jsonl", recs)
    doc, _ = run_json(tool, base + [path])
    got = by_term(doc)
    rc, out, err = run(tool, ["--json"] + base + [path])
    check(not re.search(r"\d\.\d{8}", out), "--json reals have at most 7 digits: %r"
          % re.findall(r"-?\d\.\d{8,}", out)[:3])
    if doc:
        check(doc["rated_texts"] == 13 and doc["ratings_ignored"] == 0 and
              doc["sort"] == "count" and doc["rating_field"] == "rating",
              "top-level lean fields: %r" % {k: doc.get(k) for k in
                                             ("rated_texts", "ratings_ignored", "sort")})
        g = check_lean(got, "glorbix", -1.0, 5, "rating", "1-star word")
        if g:
            check(g["count"] == 6, "glorbix: 6 occurrences in 5 records: %r" % g["count"])
            check((g["lean_low"], g["lean_high"]) == wilson(-1.0, 5) == (-1.0, -0.131),
                  "glorbix interval: %r" % ((g["lean_low"], g["lean_high"]),))
        check_lean(got, "frindle", 0.5, 3, "rating", "mixed, mostly rated")
        check_lean(got, "snibbet", 1.0, 2, "rating", "mixed, half rated")
        w = got.get("mumbo")
        check(w is not None and w["lean_from"] == "text" and w["lean_n"] == 2 and
              w["lean"] > 0.3, "mixed, mostly unrated: mumbo leans from the texts: %r" % w)
        w = got.get("wibbet")
        check(w is not None and w["lean_from"] == "text" and w["lean_n"] == 3 and
              w["lean"] > 0.3, "unrated positive texts: wibbet leans positive: %r" % w)
        if w and scan:
            # the lean is the mean of the texts' compound scores; cxsent-scan rounds each to
            # 4 decimals, hence the tolerance
            p = subprocess.run([scan], input="".join(json.dumps({"text": t}) + "\n"
                                                     for t in wibbet_texts).encode(),
                               capture_output=True, timeout=120)
            comp = [json.loads(ln)["sentiment"]["compound"]
                    for ln in p.stdout.decode().splitlines()]
            check(len(comp) == 3 and abs(w["lean"] - sum(comp) / 3) <= 2e-4,
                  "wibbet's lean %r is the mean of the compounds %r" % (w["lean"], comp))
            # from the unrounded mean in the tool, from the 4-decimal one here
            lo, hi = wilson(w["lean"], 3)
            check(abs(w["lean_low"] - lo) <= 1e-4 and abs(w["lean_high"] - hi) <= 1e-4,
                  "wibbet interval: %r, want %r" % (w, (lo, hi)))
        ph = by_term(doc, "unknown_phrases")
        p = check_lean(ph, "blarg fizzle", -0.75, 2, "rating", "phrase")
        if p:
            check((p["lean_low"], p["lean_high"]) == wilson(-0.75, 2), "phrase interval: %r" % p)

    # the text listing: "-1.00 r5" and its interval; "?" marks a lean on fewer than 5 records
    rc, out, err = run(tool, base + [path])
    rows = {r[-1]: r for r in word_rows(out)}
    check(rows.get("glorbix", [])[2:5] == ["-1.00", "r5", "-1.00..-0.13"],
          "text row of glorbix: %r" % rows.get("glorbix"))
    check(rows.get("snibbet", [])[2:4] == ["+1.00", "r2?"], "weak lean marked: %r"
          % rows.get("snibbet"))
    check(rows.get("wibbet", [""] * 4)[3] == "t3?", "text lean column: %r" % rows.get("wibbet"))
    check('13 texts lean by their "rating"' in out and "9 by their sentiment" in out,
          "rating summary line: %r" % [ln for ln in out.splitlines() if ln.startswith("lean")])

    # another field name: no record has it, so every lean comes from the text
    doc, _ = run_json(tool, base + ["--rating-field", "stars", path])
    if doc:
        check(doc["rated_texts"] == 0 and by_term(doc).get("glorbix", {}).get("lean_from") ==
              "text", "--rating-field stars: %r" % by_term(doc).get("glorbix"))

    # --- the scale: off-scale values are no rating ---------------------------------------
    recs = [{"text": "zeebo again", "rating": r} for r in (1, 4, 7, 0)]
    recs += [{"text": "quibbet again", "rating": r} for r in ("5", True, -1, 5.5, [4])]
    path = write(tmp, "scale.jsonl", recs)
    for args, zeebo, ignored in (([], (-0.5, 3), 6),             # 1..5 stars, 0 is 1 star
                                 (["--rating-scale", "10"], (-0.4, 4), 4),   # 0..10: 5 is 0
                                 (["--rating-scale", "1..7"], (0.0, 3), 5)):  # 4 is 0
        doc, _ = run_json(tool, base + args + [path])
        got = by_term(doc)
        if not doc:
            continue
        check(doc["ratings_ignored"] == ignored, "%r: %d ratings ignored, want %d"
              % (args, doc["ratings_ignored"], ignored))
        check_lean(got, "zeebo", zeebo[0], zeebo[1], "rating", "scale %r" % args)
        q = got.get("quibbet")
        check(q is not None and q["lean_from"] == "text" and q["lean_n"] == 5 - (ignored < 6),
              "%r: a string, true, -1 and [4] are no rating (5.5 only on 0..10 and 1..7): %r"
              % (args, q))
    for bad in ("0", "5..3", "2..2", "x", "..7", "1..", "-5"):
        rc, _, err = run(tool, ["--rating-scale", bad, path])
        check(rc == 1 and "--rating-scale" in err, "--rating-scale %r: rc %d" % (bad, rc))

    # --- CSV: a decimal string in the rating column is a rating -----------------------------
    raw = ("id,Stars,review\r\n"
           '1,"1",glorbix again\r\n'          # -1
           "2, 4.5 ,glorbix again\r\n"        # +0.75
           "3,,glorbix again\r\n"             # empty: no rating
           "4,abc,glorbix again\r\n"          # not a number: ignored
           "5,+2,glorbix again\r\n"           # -0.5
           "6,4.5.1,glorbix again\r\n"        # not a number
           "7,inf,glorbix again\r\n"          # not a decimal (strtod would take it)
           "8,4,glorbix again\r\n"            # +0.5
           "9,1.0,glorbix again\r\n")         # -1: 5 rated, mean -0.25; 4 by their text
    path = write(tmp, "ratings.csv", raw=raw)
    doc, _ = run_json(tool, base + ["--text-field", "review", "--rating-field", "stars", path])
    if doc:
        check(doc["rated_texts"] == 5 and doc["ratings_ignored"] == 3,
              "CSV rated/ignored: %r %r" % (doc["rated_texts"], doc["ratings_ignored"]))
        check_lean(by_term(doc), "glorbix", -0.25, 5, "rating", "CSV ratings")
    doc, _ = run_json(tool, base + ["--text-field", "review", path])
    if doc:
        check(doc["rated_texts"] == 0 and by_term(doc).get("glorbix", {}).get("lean_n") == 9,
              "CSV without a rating column: every record leans by its text")

    # --- --sort lean ------------------------------------------------------------------------
    recs = []
    recs += [{"text": "quibbet again", "rating": 1} for _ in range(6)]   # -1 on 6: ties flonk
    recs += [{"text": "flonk again", "rating": 5} for _ in range(6)]     # +1 on 6
    recs += [{"text": "zeebo again", "rating": 5} for _ in range(10)]    # +1 on 10: clearest
    # +0.8 on 20: its interval lies further from 0 than flonk's, so it passes the leans of
    # +1 and -1 on fewer records
    recs += [{"text": "yorble again", "rating": r} for r in [5] * 18 + [1] * 2]
    recs += [{"text": "frindle again", "rating": 5} for _ in range(2)]   # +1 on 2: ties drobble
    recs += [{"text": "drobble again", "rating": 1} for _ in range(2)]   # -1 on 2
    recs += [{"text": "mumbo again", "rating": r} for r in (5, 5, 3)]    # +0.67 on 3
    recs += [{"text": "wibbet again", "rating": 4} for _ in range(4)]    # +0.5 on 4
    recs += [{"text": "snibbet again", "rating": r} for r in (1, 5) * 6]  # 0 on 12
    path = write(tmp, "sort.jsonl", recs)
    lean_order = ["zeebo", "yorble", "flonk", "quibbet", "drobble", "frindle", "mumbo", "wibbet",
                  "snibbet"]
    count_order = ["yorble", "snibbet", "zeebo", "flonk", "quibbet", "wibbet", "mumbo",
                   "drobble", "frindle"]
    doc, _ = run_json(tool, base + ["--sort", "lean", path])
    if doc:
        check(terms(doc) == lean_order, "--sort lean: %r" % terms(doc))
        check(doc["sort"] == "lean", "sort field")
        z = by_term(doc).get("zeebo", {})
        check(z.get("lean_low") == wilson(1.0, 10)[0] > by_term(doc)["flonk"]["lean_low"] > 0,
              "zeebo's interval lies further from 0 than flonk's: %r" % z)
    doc, _ = run_json(tool, base + [path])
    check(terms(doc) == count_order, "--sort count: %r" % terms(doc))
    # --top picks the terms by the lean, and their examples are still collected (third pass)
    doc, _ = run_json(tool, ["--min-count", "1", "--top", "3", "--sort", "lean", path])
    if doc:
        check(terms(doc) == lean_order[:3] and doc["unknown_words_total"] == 9,
              "--sort lean --top 3: %r" % terms(doc))
        check(all(len(w["examples"]) == 2 and w["term"] in w["examples"][0]["text"]
                  for w in doc["unknown_words"]), "--sort lean: examples: %r"
              % doc["unknown_words"])
    with open(path, "rb") as f:  # standard input: spooled, read three times
        doc, _ = run_json(tool, ["--min-count", "1", "--top", "3", "--sort", "lean"],
                          stdin=f.read())
    check(terms(doc) == lean_order[:3] and all(w["examples"] for w in doc["unknown_words"]),
          "--sort lean from standard input: %r" % terms(doc))
    rc, out, err = run(tool, base + ["--sort", "lean", path])
    rows = word_rows(out)
    check([r[-1] for r in rows] == lean_order and "with the clearest lean" in out,
          "--sort lean, text: %r" % rows)
    rc, _, err = run(tool, ["--sort", "random", path])
    check(rc == 1 and "--sort" in err, "--sort random is a usage error")

    # --- odd ratings never crash, and only numbers on the scale count --------------------
    raw = "".join('{"text": "glorbix again", "rating": %s}\n' % r for r in (
        "1e308", "-1e308", "1e-320", "-0.0", "5.0000000000000001", '{"a": 1}', '""', "false",
        "1", "5", "99999999999999999999"))  # jansson refuses the last (too big): skipped
    path = write(tmp, "odd.jsonl", raw=raw)
    doc, err = run_json(tool, base + [path], want_rc=2)
    if doc:
        # 1e-320, -0.0, 5.0000000000000001 (which is 5.0), 1 and 5 are on 0..5; 5 are not
        check(doc["texts"] == 10 and doc["rated_texts"] == 5 and doc["ratings_ignored"] == 5,
              "odd ratings: %r" % {k: doc[k] for k in ("texts", "rated_texts",
                                                       "ratings_ignored")})
        # 0 stars count as 1 (-1), 5 is +1: (-1 - 1 + 1 - 1 + 1) / 5, from ratings (5 of 10)
        check_lean(by_term(doc), "glorbix", -0.2, 5, "rating", "odd ratings")
    raw = "text,rating\n" + "".join("glorbix again,%s\n" % r for r in (
        "9" * 400, ".", "-", "+", "1e3", "0x5", "4,5", " ", "5"))
    path = write(tmp, "odd.csv", raw=raw)
    rc, out, err = run(tool, ["-q", "--json"] + base + [path])
    try:
        doc = json.loads(out)
    except ValueError:
        doc = None
    # "4,5" is two fields: the record is skipped (status 2); " " is an empty cell
    check(rc == 2 and doc and doc["rated_texts"] == 1 and doc["ratings_ignored"] == 6,
          "odd CSV ratings: rc %d, %r" % (rc, doc and {k: doc[k] for k in (
              "rated_texts", "ratings_ignored")}))
    tmp_dir.cleanup()


def main(argv):
    if len(argv) not in (4, 5) or argv[1] not in ("basic", "badinput", "lean"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "lean":
        lean(argv[2], argv[3], argv[4] if len(argv) == 5 else None)
    else:
        {"basic": basic, "badinput": badinput}[argv[1]](argv[2], argv[3])
    for f in failures:
        print("FAIL: " + f)
    print("coverage %s: %d failure%s" % (argv[1], len(failures), "" if len(failures) == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
