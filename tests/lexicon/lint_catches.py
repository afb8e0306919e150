#!/usr/bin/python3
"""lint_catches.py - test the lexicon lint itself.

usage: lint_catches.py PATH/TO/lint.py

Writes a data directory of deliberately broken model files to a temporary directory, runs the
lint over it and checks that every kind of problem is reported at the right file and line, in
the FILE:LINE:COLUMN: reason format, with exit status 1. Then writes a clean data directory
that uses every legal form (phrases, numbers, emoji with ZWJ, emoticons, non-ASCII words, all
sections) and checks that the lint accepts it silently with exit status 0.
Standard library only.
"""

import os
import re
import subprocess
import sys
import tempfile

LINE_RE = re.compile(r"^(.+?):(\d+):(\d+): (.+)$")

# file -> list of lines (str or bytes). Each broken line carries a unique term that the
# expectations below use to find its line number.
BROKEN = {
    "default.model": [
        "@include rules/negators.tsv",
        "@include rules/boosters.tsv",
        "@include rules/contrastives.tsv",
        "@include rules/irrealis.tsv",
        "@include rules/settings.tsv",
        "@include rules/durations.tsv",
        "@include lexicon/a.tsv",
        "@include lexicon/b.tsv",
        "@include lexicon/utf8.tsv",
        "@include lexicon/nosection.tsv",
        "@include lexicon/crlf.tsv",
        "@include lexicon/missing.tsv",
        "@include cx/facts.tsv",
        "@include cx/waits.tsv",
        "@include cx/patterns.tsv",
    ],
    "lexicon/a.tsv": [
        "@section lexicon",
        "# one problem per line, in byte order where the problem is not the order",
        " leading\t1.0",
        "1-star\t-3.0",
        "8-)\t1.0",
        ":-D\t1.5",
        "Pretty\t1.0",
        "able\t1.0",
        "ab--cd\t1.0",
        "bad valence\t2.55",
        "bigger\t4.5",
        "can't\t2.0",
        "don\u2019t\t-1.0",
        "dup\t1.0",
        "dup\t1.0",
        "empty\t",
        "fed  up\t-2.0",
        "good 2.0",
        "great\t2.0\textra",
        "loooove\t3.0",
        "meh\t0.0",
        "nice!\t2.0",
        "nought zero\t-0.0",
        "same\t1.0",
        "shared\t2.0",
        "thanks :)\t2.0",
        "trailing \t1.0",
        "zebra\t1.0",
        "apple\t1.0",
        "\u2764\ufe0f\t3.0",
        "\U0001F44D\U0001F3FD\t2.0",
        "\U0001F44D\U0001F44D\t2.0",
    ],
    "lexicon/b.tsv": [
        "@section lexicon",
        "1 star\t-3.0",
        "same\t1.0",
        "shared\t1.0",
        "@section lexicons",
        "@include other.tsv",
    ],
    "lexicon/utf8.tsv": [b"@section lexicon", b"caf\xff\t1.0"],
    "lexicon/nosection.tsv": ["# no section line first", "@section lexicon", "foo\t1.0"],
    "lexicon/crlf.tsv": b"@section lexicon\r\nbar\t1.0\r\nqux\t1.0",
    "lexicon/orphan.tsv": ["@section lexicon", "orphan word\t1.0"],
    "rules/negators.tsv": ["@section negators", "never", "not\tnone"],
    "rules/boosters.tsv": ["@section boosters", "barely\t0", "very\t1.5"],
    "rules/contrastives.tsv": ["@section contrastives", "but\t0.5\t1.5\tleads", "yet\t0.5"],
    "rules/irrealis.tsv": ["@section irrealis", "would have\t3"],
    "rules/settings.tsv": ["@section settings", "alpha\t15", "bogus\t1", "negation_scope\t99"],
    "rules/durations.tsv": ["@section time_units", "minutes\t-60", "@section duration_cues",
                            "waited\tmaybe"],
    "cx/facts.tsv": ["@section themes", "staff\tService", "@section channels",
                     "on hold\ttelephone", "@section intents", "never again\tleave",
                     "@section levels", "wow\tgreat"],
    "cx/waits.tsv": ["@section wait_context", "cycled\ttravel", "drove to\ttrip",
                     "lasted\tlifetime-end,lifetime", "so\tjoin,join"],
    "cx/patterns.tsv": ["@section patterns", "a\\d+\ttopic\tprice", "b\\d+\ttheme\tPrice",
                        "c\\d+\tchannel\tfax", "d\\d+\ttheme\tprice", "d\\d+\ttheme\tbrand",
                        "e\\d+\tprice"],
}

# (file, unique text of the line or None for a fixed line number, line number, substring)
EXPECT = [
    ("lexicon/a.tsv", " leading\t1.0", None, "leading or trailing space"),
    ("lexicon/a.tsv", "1-star\t-3.0", None, "a number with a word attached"),
    ("lexicon/a.tsv", ":-D\t1.5", None, "emoticon not lower case"),
    ("lexicon/a.tsv", "Pretty\t1.0", None, "not lower case"),
    ("lexicon/a.tsv", "ab--cd\t1.0", None, "only allowed singly"),
    ("lexicon/a.tsv", "bad valence\t2.55", None, "one decimal"),
    ("lexicon/a.tsv", "bigger\t4.5", None, "valence must be -4.0 to 4.0"),
    ("lexicon/a.tsv", "don\u2019t\t-1.0", None, "curly apostrophe"),
    ("lexicon/a.tsv", "dup\t1.0", 15, "duplicate term 'dup'"),
    ("lexicon/a.tsv", "empty\t", None, "empty field 2"),
    ("lexicon/a.tsv", "fed  up\t-2.0", None, "more than one space"),
    ("lexicon/a.tsv", "good 2.0", None, "takes 2 TAB-separated fields, found 1"),
    ("lexicon/a.tsv", "great\t2.0\textra", None, "found 3"),
    ("lexicon/a.tsv", "loooove\t3.0", None, "elongated run"),
    ("lexicon/a.tsv", "meh\t0.0", None, "only for multi-word phrases"),
    ("lexicon/a.tsv", "nice!\t2.0", None, "reads a word there"),
    ("lexicon/a.tsv", "8-)\t1.0", None, "starts with a digit"),
    ("lexicon/a.tsv", "nought zero\t-0.0", None, "not -0.0"),
    ("lexicon/a.tsv", "thanks :)\t2.0", None, "does not tokenize"),
    ("lexicon/a.tsv", "trailing \t1.0", None, "leading or trailing space"),
    ("lexicon/a.tsv", "apple\t1.0", None, "not sorted"),
    ("lexicon/a.tsv", "\u2764\ufe0f\t3.0", None, "variation selector"),
    ("lexicon/a.tsv", "\U0001F44D\U0001F3FD\t2.0", None, "skin-tone"),
    ("lexicon/a.tsv", "\U0001F44D\U0001F44D\t2.0", None, "two emoji without a space"),
    ("lexicon/b.tsv", "1 star\t-3.0", None, "cross-file duplicate"),
    ("lexicon/b.tsv", "same\t1.0", None, "cross-file duplicate"),
    ("lexicon/b.tsv", "shared\t1.0", None, "cross-file conflict"),
    ("lexicon/b.tsv", "@section lexicons", None, "unknown section"),
    ("lexicon/b.tsv", "@include other.tsv", None, "unexpected directive"),
    ("lexicon/utf8.tsv", None, 2, "invalid UTF-8"),
    ("lexicon/nosection.tsv", None, 1, "must start with '@section NAME'"),
    ("lexicon/crlf.tsv", None, 1, "CR before LF"),
    ("lexicon/crlf.tsv", None, 3, "no newline at the end"),
    ("lexicon/orphan.tsv", None, 1, "not included by default.model"),
    ("default.model", None, 12, "does not exist"),
    ("rules/negators.tsv", "not\tnone", None, "takes 1 TAB-separated field, found 2"),
    ("rules/boosters.tsv", "barely\t0", None, "booster weight"),
    ("rules/boosters.tsv", "very\t1.5", None, "booster weight"),
    ("rules/contrastives.tsv", "but\t0.5\t1.5\tleads", None, "may only be 'lead'"),
    ("rules/contrastives.tsv", "yet\t0.5", None, "takes 3 to 4"),
    ("rules/irrealis.tsv", "would have\t3", None, "irrealis factor"),
    ("rules/settings.tsv", "bogus\t1", None, "unknown setting"),
    ("rules/settings.tsv", "negation_scope\t99", None, "setting negation_scope must be"),
    ("rules/durations.tsv", "minutes\t-60", None, "positive number"),
    ("rules/durations.tsv", "waited\tmaybe", None, "cue kind"),
    ("cx/patterns.tsv", "a\\d+\ttopic\tprice", None, "the kind must be"),
    ("cx/patterns.tsv", "b\\d+\ttheme\tPrice", None, "not a theme name"),
    ("cx/patterns.tsv", "c\\d+\tchannel\tfax", None, "unknown channel"),
    ("cx/patterns.tsv", "d\\d+\ttheme\tbrand", None, "pattern and kind repeated"),
    ("cx/patterns.tsv", "e\\d+\tprice", None, "takes 3 TAB-separated fields"),
    ("cx/facts.tsv", "staff\tService", None, "theme name"),
    ("cx/facts.tsv", "on hold\ttelephone", None, "the channel must be one of"),
    ("cx/facts.tsv", "never again\tleave", None, "the intent must be one of"),
    ("cx/facts.tsv", "wow\tgreat", None, "the level must be one of"),
    ("cx/waits.tsv", "cycled\ttravel", None, "the wait_context kind must be one of"),
    ("cx/waits.tsv", "drove to\ttrip", None, "a wait_context term is a single word"),
    ("cx/waits.tsv", "lasted\tlifetime-end,lifetime", None, "the wait_context kind must be"),
    ("cx/waits.tsv", "so\tjoin,join", None, "given twice"),
]

CLEAN = {
    "default.model": [
        "# a comment",
        "@include rules/settings.tsv",
        "@include rules/negators.tsv",
        "@include rules/boosters.tsv",
        "@include rules/contrastives.tsv",
        "@include rules/irrealis.tsv",
        "@include rules/sarcasm.tsv",
        "@include rules/durations.tsv",
        "@include lexicon/words.tsv",
        "@include lexicon/more.tsv",
        "@include cx/facts.tsv",
        "@include cx/waits.tsv",
        "@include cx/patterns.tsv",
    ],
    "cx/patterns.tsv": ["@section patterns", "[$\u20ac]\\s?\\d+\ttheme\tprice",
                        "[$\u20ac]\\s?\\d+\tlevel\tbaseline", "order #\\d+\ttheme\tnone",
                        "order #\\d+\tchannel\tdelivery"],
    "lexicon/words.tsv": ["@section lexicon", "# every legal kind of term"] + sorted([
        "5 stars\t3.0", "10 out of 10\t3.5", "above and beyond\t4.0", "caf\u00e9\t1.0",
        "can't stand\t-2.5", "hassle-free\t2.0", "wi-fi\t0.5", "\u2764\t3.0",
        "\u2764\u200d\U0001F525\t3.0", ":)\t1.5", "<3\t2.5", "xd\t1.0", "d:\t-2.0",
        "customer care\t0.0", "na\u00efve\t-0.5", "\U0001F44D\t2.0", "\U0001F1EC\U0001F1E7\t0.5",
        "b2b\t0.5", "a+\t2.5", "x-d\t1.0", "4.5 stars\t2.5", "\u0438\u0434\u0435\u0430\u043b\t2.0",
    ], key=lambda s: s.encode("utf-8")) + ["", "@section lexicon", "# a second block, sorted anew",
                                            "abc\t1.0"],
    "lexicon/more.tsv": ["@section lexicon", "zz top\t0.5"],
    "rules/settings.tsv": ["@section settings", "# documented order, not sorted", "alpha\t15",
                           "negation_scalar\t-0.74"],
    "rules/negators.tsv": ["@section negators", "never", "not"],
    "rules/boosters.tsv": ["@section boosters", "a bit\t-0.3", "very\t0.3"],
    "rules/contrastives.tsv": ["@section contrastives", "although\t0.5\t1.3\tlead",
                               "but\t0.5\t1.5"],
    "rules/irrealis.tsv": ["@section irrealis", "could have\t-0.6", "could've\t-0.6"],
    "rules/sarcasm.tsv": ["@section sarcasm", "/s", "yeah right", "\U0001F644", "",
                          "@section lexicon", "yeah right\t-1.5"],
    "rules/durations.tsv": ["@section time_units", "hour\t3600", "minutes\t60",
                            "@section number_words", "a few\t3", "ten\t10",
                            "@section duration_cues", "ago\tother", "waited\twait"],
    "cx/facts.tsv": ["@section themes", "customer service\tservice", "staff\tservice",
                     "value for money\tprice_2", "@section channels", "on hold\tphone",
                     "parcel\tdelivery", "@section intents", "never again\tchurn",
                     "recommend\trecommend", "@section levels", "above and beyond\tdelight",
                     "on time\tbaseline", "@section settings", "standard_phone\t60",
                     "standard_email\t86400"],
    "cx/waits.tsv": ["@section wait_context", "drove\ttrip", "walked\ttrip", "",
                     "@section wait_context", "# a block per kind, each sorted anew",
                     "after\tlifetime-after", "lasted\tlifetime-end,lifetime-use"],
}


def write_tree(root, files):
    for rel, content in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(content, bytes):
            data = content
        else:
            data = b"".join((x if isinstance(x, bytes) else x.encode("utf-8")) + b"\n"
                            for x in content)
        with open(path, "wb") as f:
            f.write(data)


def run_lint(lint, root):
    p = subprocess.run(["/usr/bin/python3", lint, root], capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    lint = argv[1]
    failures = []
    with tempfile.TemporaryDirectory(prefix="cxs-lint-") as tmp:
        broken = os.path.join(tmp, "broken")
        write_tree(broken, BROKEN)
        rc, out, err = run_lint(lint, broken)
        if rc != 1:
            failures.append("broken data: exit status %d, want 1 (stderr: %s)" % (rc, err))
        reports = []
        for line in out.splitlines():
            m = LINE_RE.match(line)
            if not m:
                failures.append("output line not in FILE:LINE:COLUMN: reason form: %r" % line)
                continue
            reports.append((os.path.relpath(m.group(1), broken), int(m.group(2)),
                            int(m.group(3)), m.group(4)))
            if int(m.group(3)) < 1:
                failures.append("column must be 1-based: %r" % line)
        for rel, text, lineno, want in EXPECT:
            if lineno is None:
                lines = BROKEN[rel]
                lineno = next(i for i, x in enumerate(lines, 1) if x == text)
            if not any(r[0] == rel and r[1] == lineno and want in r[3] for r in reports):
                got = [r for r in reports if r[0] == rel and r[1] == lineno]
                failures.append("%s:%d: expected a report containing %r; got %r"
                                % (rel, lineno, want, [g[3] for g in got]))
        # columns point into the line: the valence of "bad valence\t2.55" is at byte 13
        if not any(r[0] == "lexicon/a.tsv" and r[2] == 13 and "one decimal" in r[3]
                   for r in reports):
            failures.append("the column of a bad valence should be that of its field (13)")

        clean = os.path.join(tmp, "clean")
        write_tree(clean, CLEAN)
        rc, out, err = run_lint(lint, clean)
        if rc != 0 or out.strip():
            failures.append("clean data: exit status %d, want 0; reports:\n%s" % (rc, out))

    for f in failures:
        print("FAIL: " + f)
    print("lint_catches: %d expectations, %d failure%s"
          % (len(EXPECT) + 3, len(failures), "" if len(failures) == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
