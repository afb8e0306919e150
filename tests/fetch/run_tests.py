#!/usr/bin/env python3
"""cxsent-fetch tests against the loopback mock (fetch.md section 5).

usage: run_tests.py --bin PATH [--scan PATH] CASE [CASE ...]   (or --list)
Each CASE starts its own mock server on 127.0.0.1:0, runs the binary and
asserts. Standard library only.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mock_server import BSKY_JWT, MockServer  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = None
SCAN = None
KEYS = ["id", "source", "author", "created_at", "rating", "text", "url", "lang"]
FAST = ["--allow-http", "--min-interval", "0", "--max-wait", "5"]
# never inherit real credentials from the developer's environment
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("CXSENT_")}


class Fail(AssertionError):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def run(args, env=None, timeout=50, cwd=None):
    e = dict(CLEAN_ENV)
    e.update(env or {})
    p = subprocess.run([BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e,
                       timeout=timeout, cwd=cwd)
    err = p.stderr.decode("utf-8", "replace")
    no_sanitizer_report(err)
    return p.returncode, p.stdout.decode("utf-8"), err


def no_sanitizer_report(err):
    for mark in ("AddressSanitizer", "LeakSanitizer", "runtime error:", "UndefinedBehaviorSanitizer"):
        check(mark not in err, "sanitizer report:\n" + err)


def records(text):
    out = []
    check(text == "" or text.endswith("\n"), "output does not end with a newline: %r" % text[-80:])
    for line in text.splitlines():
        r = json.loads(line)
        check(list(r.keys()) == KEYS, "record keys %s" % list(r.keys()))
        out.append(r)
    return out


def ids(recs):
    return [r["id"] for r in recs]


def gaps(reqs):
    return [b["t"] - a["t"] for a, b in zip(reqs, reqs[1:])]


def expect_rc(rc, want, err):
    check(rc == want, "exit %d, expected %d; stderr:\n%s" % (rc, want, err))


# ---------------------------------------------------------------- scenarios 1-21

def t_s01_cursor(m, tmp):
    env = {"CXSENT_BSKY_HANDLE": "ben.example.com", "CXSENT_BSKY_APP_PASSWORD": "app-pass-1234-abcd"}
    rc, out, err = run(["bsky-search", "--query", "acme", "--base-url", m.base("s01")] + FAST, env)
    expect_rc(rc, 0, err)
    gets = m.requests("s01")
    check(len(gets) == 3, "expected 3 GETs, got %d" % len(gets))
    check([g["query"].get("cursor") for g in gets] == [None, "c1", "c2"], "cursors sent: %s" % [g["query"].get("cursor") for g in gets])
    check(all(g["headers"].get("authorization") == "Bearer " + BSKY_JWT for g in gets), "Bearer missing")
    posts = m.requests("s01", method="POST")
    check(len(posts) == 1 and json.loads(posts[0]["body"])["identifier"] == "ben.example.com", "one createSession")
    recs = records(out)
    check(len(recs) == 7 and len(set(ids(recs))) == 7, "7 unique records, got %d" % len(recs))
    r = recs[0]
    check(r == {"id": "at://did:plc:abc123/app.bsky.feed.post/3lxyz1", "source": "bsky", "author": "ben.example.com",
                "created_at": "2025-03-01T11:01:00Z", "rating": None, "text": "acme support fixed my order in 5 min 👏",
                "url": "https://bsky.app/profile/ben.example.com/post/3lxyz1", "lang": "en"}, "record %r" % r)
    check(recs[4]["lang"] is None, "empty langs -> null")
    check("cap_reached=false" in err and "stop=no_next" in err, "summary: " + err)


def t_s02_link(m, tmp):
    rc, out, err = run(["mastodon-tag", "--instance", "social.example", "--tag", "acme", "--base-url", m.base("s02")] + FAST)
    expect_rc(rc, 0, err)
    gets = m.requests("s02")
    check([g["query"].get("max_id") for g in gets] == [None, "5", "3"], "followed %s" % [g["raw"] for g in gets])
    check(all("min_id" not in g["query"] for g in gets), "followed a rel=prev link")
    recs = records(out)
    check(len(recs) == 5, "5 records (boost skipped), got %d" % len(recs))
    check(recs[0]["text"] == "Loving the new #acme kettle & its timer", recs[0]["text"])
    check(recs[0]["source"] == "mastodon:social.example" and recs[0]["author"] == "ana@social.example", "source/author")
    check(recs[1]["text"] == "CW: rant\n\nLine one\nline two\n\nPara two", repr(recs[1]["text"]))
    check(recs[2]["text"] == "The kettle's lid is loose", recs[2]["text"])
    check(all("statuses/113400000000000002" not in r["id"] for r in recs), "reblog not skipped")


def t_s03_page(m, tmp):
    rc, out, err = run(["apple-reviews", "--app-id", "123", "--base-url", m.base("s03")] + FAST)
    expect_rc(rc, 0, err)
    pages = [g["path"].split("page=")[1].split("/")[0] for g in m.requests("s03")]
    check(pages == ["1", "2", "3", "4"], "pages requested %s" % pages)
    recs = records(out)
    check(len(recs) == 5, "5 reviews (metadata entry filtered, lone object page), got %d" % len(recs))
    check(recs[0] == {"id": "11000000001", "source": "apple:us", "author": "Mira K.", "created_at": "2025-03-02T16:14:00Z",
                      "rating": 2, "text": "Sync keeps failing\n\nSince 4.1 my lists don’t sync. Support replied fast though.",
                      "url": "https://itunes.apple.com/us/review?id=900000001", "lang": None}, repr(recs[0]))
    check(recs[-1]["id"] == "11000000005" and recs[-1]["rating"] == 1, "lone-object page")
    check(recs[3]["created_at"] is None, "missing updated -> null")
    check("stop=empty_page" in err, err)
    # the 10-page source cap
    rc, out, err = run(["apple-reviews", "--app-id", "123", "--base-url", m.base("s03-cap")] + FAST)
    expect_rc(rc, 0, err)
    pages = [int(g["path"].split("page=")[1].split("/")[0]) for g in m.requests("s03-cap")]
    check(pages == list(range(1, 11)), "cap pages %s" % pages)
    check("cap_reached=true" in err and "stop=source_cap" in err, err)
    check(len(records(out)) == 30, "30 records")


def t_s04_after(m, tmp):
    rc, out, err = run(["reddit-search", "--query", "acme", "--contact", "/u/cxsent_test", "--base-url", m.base("s04")] + FAST)
    expect_rc(rc, 0, err)
    gets = m.requests("s04")
    check(len(gets) == 2 and gets[1]["query"].get("after") == "t3_zz2", "after param: %s" % [g["raw"] for g in gets])
    check(all(g["query"].get("raw_json") == "1" for g in gets), "raw_json=1 missing")
    ua = gets[0]["headers"].get("user-agent", "")
    check(ua.startswith("linux:cxsent-fetch:") and "(by /u/cxsent_test)" in ua, "UA " + ua)
    lines = out.splitlines()
    check(lines[0] == '{"id":"t3_zz1","source":"reddit","author":"k_test","created_at":"2025-03-01T11:00:00Z","rating":null,'
          '"text":"Acme blender died after 3 weeks\\n\\nMotor smell, then nothing. <3 the design though.",'
          '"url":"https://www.reddit.com/r/kitchen/comments/zz1/acme_blender/","lang":null}', lines[0])
    recs = records(out)
    check(ids(recs) == ["t3_zz1", "t3_zz2", "t1_yy8"], "ids %s (deleted must be skipped)" % ids(recs))
    check("skipped=1" in err, err)


def t_s05_backoff(m, tmp):
    rc, out, err = run(["stackexchange", "--query", "acme", "--base-url", m.base("s05")] + FAST)
    expect_rc(rc, 0, err)
    gets = m.requests("s05")
    check([g["query"].get("page") for g in gets] == ["1", "2"], "pages %s" % [g["raw"] for g in gets])
    check(gaps(gets)[0] >= 1.95, "backoff gap %.2f" % gaps(gets)[0])
    check("gzip" in gets[0]["headers"].get("accept-encoding", ""), "Accept-Encoding")
    recs = records(out)
    check([r["text"] for r in recs] == ['Acme SDK throws "timeout" on upload\n\nUsing v2.3 I get…',
                                        "Acme & OAuth\n\nx = 1\n\nWhy?"], repr([r["text"] for r in recs]))
    check(recs[1]["author"] == "Jörg" and recs[0]["source"] == "stackexchange:stackoverflow", repr(recs[1]))
    check(recs[0]["id"] == "79000001" and recs[0]["created_at"] == "2025-03-01T13:00:00Z", repr(recs[0]))


def hn(m, scen, extra=(), env=None):
    return run(["hn-search", "--query", "acme", "--base-url", m.base(scen)] + FAST + list(extra), env)


def t_s06_retry_after(m, tmp):
    rc, out, err = hn(m, "s06")
    expect_rc(rc, 0, err)
    gets = m.requests("s06")
    check(len(gets) == 2, "one retry, got %d requests" % len(gets))
    check(gaps(gets)[0] >= 1.95, "gap %.2f < Retry-After 2" % gaps(gets)[0])
    recs = records(out)
    check(len(recs) == 2 and len(set(ids(recs))) == 2, "no duplicate lines")
    check("Retry-After" in err, "reason logged: " + err)


def t_s07_reset_units(m, tmp):
    cases = [
        ("s07-date", ["hn-search", "--query", "a"], 1.0, 4.5),
        ("s07-github", ["github-issues", "--repo", "acme/app"], 1.0, 4.5),
        ("s07-githubpast", ["github-issues", "--repo", "acme/app"], 0.9, 3.0),
        ("s07-mastodon", ["mastodon-tag", "--instance", "social.example", "--tag", "acme"], 1.5, 4.5),
        ("s07-reddit", ["reddit-search", "--query", "a"], 1.9, 4.5),
    ]
    for scen, args, lo, hi in cases:
        rc, out, err = run(args + ["--base-url", m.base(scen)] + FAST)
        expect_rc(rc, 0, err)
        gets = m.requests(scen)
        check(len(gets) == 2, "%s: %d requests" % (scen, len(gets)))
        g = gaps(gets)[0]
        check(lo <= g <= hi, "%s: waited %.2fs, expected [%.1f, %.1f]" % (scen, g, lo, hi))
        check(len(records(out)) >= 1, scen + ": records")


def t_s08_huge_wait(m, tmp):
    o = os.path.join(tmp, "out.jsonl")
    st = os.path.join(tmp, "st.json")
    t0 = time.monotonic()
    rc, out, err = hn(m, "s08", ["-o", o, "--state", st])
    expect_rc(rc, 4, err)
    check(time.monotonic() - t0 < 5, "exit 4 should be fast")
    check(not os.path.exists(o) and os.path.exists(o + ".part"), "output must stay .part")
    state = json.load(open(st))
    check(state["next"]["kind"] == "page" and state["next"]["page"] == 1 and not state["done"], repr(state))
    check(oct(os.stat(st).st_mode & 0o777) == "0o600", "state mode %o" % (os.stat(st).st_mode & 0o777))
    check("86400" in err and "--max-wait" in err, err)
    rc, out, err = hn(m, "s08", ["-o", o, "--state", st, "--resume"])
    expect_rc(rc, 0, err)
    recs = records(open(o).read())
    check(len(recs) == 6 and len(set(ids(recs))) == 6, "6 unique records after resume, got %d" % len(recs))
    check(not os.path.exists(o + ".part"), ".part renamed")
    check(json.load(open(st))["done"] is True, "state done")


def t_s09_5xx(m, tmp):
    rc, out, err = hn(m, "s09")
    expect_rc(rc, 0, err)
    gets = m.requests("s09")
    check(len(gets) == 3, "503,502,200: %d requests" % len(gets))
    g = gaps(gets)
    check(g[0] >= 0.95 and g[1] >= 1.95 and g[1] > g[0], "backoff must grow: %s" % g)
    check(len(records(out)) == 2, "records")
    st = os.path.join(tmp, "st.json")
    rc, out, err = hn(m, "s09-always", ["--max-retries", "2", "--state", st])
    expect_rc(rc, 5, err)
    check(len(m.requests("s09-always")) == 3, "1 + 2 retries")
    check(os.path.exists(st) and json.load(open(st))["done"] is False, "state saved")
    check("HTTP 500" in err, err)


def t_s10_auth(m, tmp):
    rc, out, err = run(["mastodon-tag", "--instance", "x.example", "--tag", "a", "--base-url", m.base("s10-401")] + FAST)
    expect_rc(rc, 3, err)
    check(len(m.requests("s10-401")) == 1, "401 must not be retried")
    check("401" in err and "authenticated user" in err, err)
    rc, out, err = run(["github-issues", "--query", "a", "--base-url", m.base("s10-403")] + FAST)
    expect_rc(rc, 3, err)
    check(len(m.requests("s10-403")) == 1, "403 without rate headers must not be retried")
    check("403" in err and "policy" in err, err)
    check(out == "", "no output")


def t_s11_malformed(m, tmp):
    for kind in ["html", "trunc", "xff", "surrogate", "bigint", "type"]:
        scen = "s11-" + kind
        rc, out, err = hn(m, scen, ["--max-retries", "1"])
        expect_rc(rc, 6, err)
        recs = records(out)
        check(ids(recs) == ["h0_0", "h0_1"], "%s: only page 0 records, got %s" % (kind, ids(recs)))
        p1 = [g for g in m.requests(scen) if g["query"].get("page") == "1"]
        check(len(p1) == 2, "%s: bad page retried once, got %d" % (kind, len(p1)))


def t_s12_truncated(m, tmp):
    rc, out, err = hn(m, "s12")
    expect_rc(rc, 0, err)
    check(len(m.requests("s12")) == 2, "partial transfer retried")
    check("curl error 18" in err, err)
    check(ids(records(out)) == ["43000001", "43000002"], "records")


def t_s13_gzip(m, tmp):
    for kind in ("ok", "nohdr"):
        rc, out, err = hn(m, "s13-" + kind)
        expect_rc(rc, 0, err)
        check(ids(records(out)) == ["43000001", "43000002"], kind)
    rc, out, err = hn(m, "s13-corrupt")
    expect_rc(rc, 6, err)
    check(len(m.requests("s13-corrupt")) == 1, "corrupt encoding must not be retried")
    check("curl error 61" in err, err)


def t_s14_redirects(m, tmp):
    gh = ["github-issues", "--repo", "a/b"] + FAST
    rc, out, err = run(gh + ["--base-url", m.base("s14-same")])
    expect_rc(rc, 0, err)
    check(len(m.requests("s14-same")) == 2 and ids(records(out)) == ["3000000003"], "301 followed once")
    rc, out, err = run(gh + ["--base-url", m.base("s14-chain")])
    expect_rc(rc, 5, err)
    check(len(m.requests("s14-chain")) == 6, "1 + 5 redirects, got %d" % len(m.requests("s14-chain")))
    check("curl error 47" in err, err)
    tok = "ghp_redirtoken000000000000000000000001"
    rc, out, err = run(gh + ["--base-url", m.base("s14-otherhost")], {"CXSENT_GITHUB_TOKEN": tok})
    expect_rc(rc, 0, err)
    reqs = m.requests("s14-otherhost")
    check(len(reqs) == 2, "2 requests")
    check(reqs[0]["headers"].get("authorization") == "Bearer " + tok, "auth on first host")
    check(reqs[1]["headers"].get("host", "").startswith("localhost"), "second host")
    check("authorization" not in reqs[1]["headers"], "Authorization leaked to another host")
    rc, out, err = run(gh + ["--base-url", m.base("s14-ftp")])
    expect_rc(rc, 5, err)
    check(len(m.requests("s14-ftp")) == 1, "ftp redirect refused")
    check("curl error 1:" in err, err)


def t_s15_slow_big(m, tmp):
    rc, out, err = hn(m, "s15-slow", ["--low-speed-time", "2"])
    expect_rc(rc, 0, err)
    check(len(m.requests("s15-slow")) == 2, "low-speed abort retried")
    check("curl error 28" in err, err)
    check(len(records(out)) == 2, "records")
    rc, out, err = hn(m, "s15-big", ["--max-body", "65536"])
    expect_rc(rc, 6, err)
    check(len(m.requests("s15-big")) == 1, "body cap not retried")
    check("--max-body" in err, err)


def generic(m, scen, items, extra=()):
    return run(["--url", m.base(scen) + "/items?x=1", "--items", items, "--field", "id=key | uri",
                "--field", "text=body | record.text", "--next-param", "cursor", "--source", "gen"] + FAST + list(extra))


def t_s16_dupes_loop(m, tmp):
    rc, out, err = generic(m, "s16", "data", ["--next", "next"])
    expect_rc(rc, 0, err)
    check(ids(records(out)) == ["a", "b", "c", "d", "e"], "each id once: %s" % ids(records(out)))
    check(len(m.requests("s16")) == 3, "3 requests")
    check("repeated cursor" in err and "stop=repeated_cursor" in err and "dupes=2" in err, err)
    r = records(out)[0]
    check(r["source"] == "gen" and r["author"] is None and r["rating"] is None, repr(r))


def t_s17_empty_cursor(m, tmp):
    rc, out, err = generic(m, "s17", "posts", ["--next", "cursor"])
    expect_rc(rc, 0, err)
    check(len(m.requests("s17")) == 2 and ids(records(out)) == ["at://x/1"], "stop on empty page")
    check("stop=empty_page" in err, err)


def t_s18_pacing(m, tmp):
    rc, out, err = run(["reddit-search", "--query", "acme", "--base-url", m.base("s18")] + FAST)
    expect_rc(rc, 0, err)
    gets = m.requests("s18")
    check(len(gets) == 2 and gaps(gets)[0] >= 1.95, "remaining=0 reset=2 must delay: %s" % gaps(gets))


def interrupted_run(m, scen, args, tmp):
    """Start a fetch, SIGINT it while page 3 (page=2) is in flight."""
    m.flags["slow"] = True
    e = dict(CLEAN_ENV)
    p = subprocess.Popen([BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if any(g["query"].get("page") == "2" for g in m.requests(scen)):
            break
        time.sleep(0.05)
    else:
        p.kill()
        raise Fail("page 3 never requested")
    time.sleep(0.3)
    t0 = time.monotonic()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=15)
    m.flags["slow"] = False
    check(time.monotonic() - t0 < 5, "SIGINT took too long")
    no_sanitizer_report(err.decode("utf-8", "replace"))
    return p.returncode, out.decode(), err.decode()


def unlimited_run(m, tmp):
    """What one uninterrupted hn-search run of scenario s19-full writes to a file: the
    reference the resume tests compare their runs with."""
    full = os.path.join(tmp, "full.jsonl")
    rc, _, err = hn(m, "s19-full", ["-o", full])
    expect_rc(rc, 0, err)
    return open(full).read()


def t_s19_resume(m, tmp):
    want = unlimited_run(m, tmp)
    check(len(records(want)) == 20, "uninterrupted run: 20 records")
    # to a file: interrupted, then a simulated crash leaves a partial line, then resume
    o = os.path.join(tmp, "o.jsonl")
    st = o + ".state"
    args = ["hn-search", "--query", "acme", "--base-url", m.base("s19-file")] + FAST + ["-o", o]
    rc, _, err = interrupted_run(m, "s19-file", args, tmp)
    expect_rc(rc, 1, err)
    part = open(o + ".part").read()
    check(ids(records(part)) == [r["id"] for r in records(want)][:8], "only pages 1-2, complete lines")
    check(json.load(open(st))["next"] == {"kind": "page", "value": None, "page": 2}, open(st).read())
    with open(o + ".part", "a") as f:
        f.write('{"id":"h2_0","source":"hn","aut')  # torn write from a crash
    rc, _, err = run(args + ["--resume"])
    expect_rc(rc, 0, err)
    check(open(o).read() == want, "resumed output differs from an uninterrupted run")
    check(not os.path.exists(o + ".part"), ".part left behind")
    check("partial last line" in err, err)
    # to stdout with --state: ids persisted next to the state
    st2 = os.path.join(tmp, "s.state")
    args = ["hn-search", "--query", "acme", "--base-url", m.base("s19-stdout")] + FAST + ["--state", st2]
    rc, out1, err = interrupted_run(m, "s19-stdout", args, tmp)
    expect_rc(rc, 1, err)
    records(out1)
    rc, out2, err = run(args + ["--resume"])
    expect_rc(rc, 0, err)
    check(out1 + out2 == want, "stdout resume differs")
    # a resume with another query is refused
    rc, _, err = run(["hn-search", "--query", "other", "--base-url", m.base("s19-stdout")] + FAST + ["--state", st2, "--resume"])
    expect_rc(rc, 2, err)


def t_s20_secrets(m, tmp):
    tok = "ghp_S3cretTok3n" + "x" * 24
    m.flags["token"] = tok
    o = os.path.join(tmp, "gh.jsonl")
    st = os.path.join(tmp, "gh.state")
    rc, out, err = run(["github-issues", "--repo", "acme/app", "--base-url", m.base("s20"), "-v", "-o", o, "--state", st] + FAST,
                       {"CXSENT_GITHUB_TOKEN": tok})
    expect_rc(rc, 0, err)
    reqs = m.requests("s20")
    check(len(reqs) == 3 and all(r["headers"].get("authorization") == "Bearer " + tok for r in reqs), "token sent")
    files = {"stdout": out, "stderr": err, "state": open(st).read(), "output": open(o).read()}
    check("Authorization: ***" in err, "redacted header shown in -v")
    check("access_token=***" in err, "echoed token redacted in -v")
    # interrupted variant: state with the echoed next URL (placeholder, resumable)
    st2 = os.path.join(tmp, "gh2.state")
    rc, out2, err2 = run(["github-issues", "--repo", "acme/app", "--base-url", m.base("s20-b"), "--max-pages", "1",
                          "--state", st2] + FAST, {"CXSENT_GITHUB_TOKEN": tok})
    expect_rc(rc, 0, err2)
    files.update({"stdout2": out2, "stderr2": err2, "state2": open(st2).read()})
    # bsky session: handle/app password/JWT; youtube key in the query string
    bs_env = {"CXSENT_BSKY_HANDLE": "ben.example.com", "CXSENT_BSKY_APP_PASSWORD": "pw-S3cret-9876"}
    st3 = os.path.join(tmp, "bs.state")
    rc, out3, err3 = run(["bsky-search", "--query", "a", "--base-url", m.base("s20-c"), "-v", "--state", st3] + FAST, bs_env)
    expect_rc(rc, 0, err3)
    files.update({"stdout3": out3, "stderr3": err3, "state3": open(st3).read(), "ids3": open(st3 + ".ids").read()})
    key = "AIzaFAKEkey0123456789"
    st4 = os.path.join(tmp, "yt.state")
    rc, out4, err4 = run(["youtube-comments", "--video-id", "vid123", "-v", "--state", st4, "--base-url",
                          m.base("s20-d") + "/youtube"] + FAST, {"CXSENT_YOUTUBE_KEY": key})
    expect_rc(rc, 0, err4)
    check(m.requests("s20-d")[0]["query"].get("key") == key, "key sent")
    files.update({"stdout4": out4, "stderr4": err4, "state4": open(st4).read()})
    for name, text in files.items():
        for secret in (tok, BSKY_JWT, "pw-S3cret-9876", key):
            check(secret not in text, "secret %s... leaked into %s" % (secret[:6], name))
    for name in os.listdir(tmp):
        data = open(os.path.join(tmp, name), "rb").read()
        if name.endswith(".token"):
            # the login token cache holds the session token, by design, and nothing else
            check(os.stat(os.path.join(tmp, name)).st_mode & 0o777 == 0o600, "token cache mode")
            check(json.loads(data)["token"] == BSKY_JWT, "token cache content")
            for secret in (tok, "pw-S3cret-9876", key):
                check(secret.encode() not in data, "secret leaked into file " + name)
            continue
        for secret in (tok, BSKY_JWT, "pw-S3cret-9876", key):
            check(secret.encode() not in data, "secret leaked into file " + name)
    check(os.path.exists(st3 + ".token"), "bsky session cached next to its state")


def t_s21_unicode(m, tmp):
    rc, out, err = run(["mastodon-tag", "--instance", "social.example", "--tag", "acme", "--base-url", m.base("s21")] + FAST)
    expect_rc(rc, 0, err)
    texts = [r["text"] for r in records(out)]
    want = ["Emoji 😀👍🏽 and 👨‍👩‍👧 family", "日本語のレビュー：とても良い。中文评论很好", "עברית: מוצר מצוין! العربية: منتج رائع",
            "Combining: e\u0301 n\u0303 a\u0308 Z\u0335\u0321",
            "Tom & Jerry's <b>tag</b> \"q\" … 😀 &bogus; a&b\n\nsecond"]
    check(texts == want, "texts %r" % texts)
    check([r["lang"] for r in records(out)][:3] == ["en", "ja", "he"], "lang")
    out.encode("utf-8")


# ---------------------------------------------------------------- extra behaviours

def t_limits(m, tmp):
    rc, out, err = hn(m, "s19-items", ["--max-items", "6"])
    expect_rc(rc, 0, err)
    check(len(records(out)) == 6 and "cap_reached=true" in err and "stop=max_items" in err, err)
    check(len(m.requests("s19-items")) == 2, "no request after the limit")
    rc, out, err = hn(m, "s19-pages", ["--max-pages", "2"])
    expect_rc(rc, 0, err)
    check(len(records(out)) == 8 and "cap_reached=true" in err and "stop=max_pages" in err, err)
    check(len(m.requests("s19-pages")) == 2, "2 pages")
    rc, out, err = hn(m, "g-hn", ["--since", "2025-03-01T12:15:00Z"])
    expect_rc(rc, 0, err)
    check(ids(records(out)) == ["43000002"], "--since keeps newer items only: %s" % ids(records(out)))


def t_limits_resume(m, tmp):
    """A run stopped by --max-items or --max-pages is continued by --resume:
    together the runs write exactly what one unlimited run writes."""
    want = unlimited_run(m, tmp)
    check(len(records(want)) == 20, "unlimited run: 20 records")
    # -o FILE: --max-items stops inside page 2; FILE holds those records and the state the spot
    o = os.path.join(tmp, "o.jsonl")
    base = ["hn-search", "--query", "acme", "--base-url", m.base("s19-lim")] + FAST + ["-o", o]
    rc, _, err = run(base + ["--max-items", "6"])
    expect_rc(rc, 0, err)
    check(len(records(open(o).read())) == 6 and not os.path.exists(o + ".part"), "6 records in FILE")
    check("stop=max_items" in err and "cap_reached=true" in err and "next=page=1" in err, err)
    st = json.load(open(o + ".state"))
    check(not st["done"] and st["limit"]["stopped"] and st["limit"]["page_written"] == 2
          and st["next"] == {"kind": "page", "value": None, "page": 1}, "state: %r" % st)
    n0 = len(m.requests("s19-lim"))
    rc, _, err = run(base + ["--resume", "--max-pages", "2"])
    expect_rc(rc, 0, err)
    check([g["query"].get("page") for g in m.requests("s19-lim")[n0:]] == ["1", "2"],
          "resume fetches the stopped page again, then the next one")
    check(len(records(open(o).read())) == 12 and "dupes=0" in err and "stop=max_pages" in err
          and "items=12" in err, "second run: " + err)
    rc, _, err = run(base + ["--resume"])
    expect_rc(rc, 0, err)
    check(open(o).read() == want, "FILE after three runs differs from one unlimited run")
    check("stop=last_page" in err and json.load(open(o + ".state"))["done"] is True, err)
    rc, _, err = run(base + ["--resume"])
    check(rc == 0 and "nothing to resume" in err, err)
    # standard output with --state: the runs' outputs concatenated are the unlimited output
    st2 = os.path.join(tmp, "s.state")
    args = ["hn-search", "--query", "acme", "--base-url", m.base("s19-lim2")] + FAST + ["--state", st2]
    outs = []
    for extra in (["--max-items", "5"], ["--resume", "--max-items", "7"], ["--resume", "--max-pages", "1"],
                  ["--resume"]):
        rc, out, err = run(args + extra)
        expect_rc(rc, 0, err)
        outs.append(out)
    check([len(records(x)) for x in outs] == [5, 7, 4, 4], "per run: %s" % [len(records(x)) for x in outs])
    check("".join(outs) == want, "stdout runs differ from one unlimited run")
    # --append: records go straight into FILE; resume with --append as well
    a = os.path.join(tmp, "a.jsonl")
    rc, _, err = hn(m, "s19-lim3", ["-o", a, "--append", "--max-items", "3"])
    expect_rc(rc, 0, err)
    rc, _, err = hn(m, "s19-lim3", ["-o", a, "--append", "--resume"])
    expect_rc(rc, 0, err)
    check(open(a).read() == want, "--append runs differ from one unlimited run")
    # the rest of the stopped page holds only skipped items: the page fetched again brings
    # nothing new but the run must go on to the next page, not stop with no_new_ids
    rc, out, err = hn(m, "x08")
    expect_rc(rc, 0, err)
    want8 = out
    check(ids(records(want8)) == ["a0", "a1", "b0", "b1", "c0"], "x08 ids %s" % ids(records(want8)))
    st8 = os.path.join(tmp, "x8.state")
    rc, out1, err = hn(m, "x08", ["--state", st8, "--max-items", "2"])
    expect_rc(rc, 0, err)
    rc, out2, err = hn(m, "x08", ["--state", st8, "--resume"])
    expect_rc(rc, 0, err)
    check(out1 + out2 == want8 and "stop=last_page" in err and "skipped=2" in err, "x08 resume: " + err)
    # cursor pagination (bsky): the cursor the limit stopped at is sent on resume
    env = {"CXSENT_BSKY_HANDLE": "ben.example.com", "CXSENT_BSKY_APP_PASSWORD": "app-pass-1234-abcd"}
    bs = ["bsky-search", "--query", "acme", "--base-url", m.base("s01")] + FAST
    rc, fullb, err = run(bs, env)
    expect_rc(rc, 0, err)
    st3 = os.path.join(tmp, "b.state")
    rc, out1, err = run(bs + ["--state", st3, "--max-pages", "1"], env)
    expect_rc(rc, 0, err)
    n0 = len(m.requests("s01"))
    rc, out2, err = run(bs + ["--state", st3, "--resume"], env)
    expect_rc(rc, 0, err)
    check([g["query"].get("cursor") for g in m.requests("s01")[n0:]] == ["c1", "c2"], "cursors after resume")
    check(out1 + out2 == fullb, "bsky runs differ from one unlimited run")
    # Link-header pagination (mastodon), stopped inside the first page
    ms = ["mastodon-tag", "--instance", "social.example", "--tag", "acme", "--base-url", m.base("s02")] + FAST
    rc, fullm, err = run(ms)
    expect_rc(rc, 0, err)
    st4 = os.path.join(tmp, "m.state")
    rc, out1, err = run(ms + ["--state", st4, "--max-items", "1"])
    expect_rc(rc, 0, err)
    rc, out2, err = run(ms + ["--state", st4, "--resume", "--max-items", "2"])
    expect_rc(rc, 0, err)
    rc, out3, err = run(ms + ["--state", st4, "--resume"])
    expect_rc(rc, 0, err)
    check([len(records(x)) for x in (out1, out2, out3)] == [1, 2, 2] and out1 + out2 + out3 == fullm,
          "mastodon runs differ from one unlimited run")


def t_limit_rename_crash(m, tmp):
    """A run a limit stopped renames FILE.part to FILE, then saves its state with
    output_final. A crash between the two leaves a state without output_final and no
    FILE.part: --resume must go on in FILE, not start an empty FILE.part that replaces
    FILE (and the records of the first run) when it is renamed at the end."""
    want = unlimited_run(m, tmp)
    o = os.path.join(tmp, "o.jsonl")
    base = ["hn-search", "--query", "acme", "--base-url", m.base("s19-crash")] + FAST + ["-o", o]
    rc, _, err = run(base + ["--max-items", "6"])
    expect_rc(rc, 0, err)
    check(len(records(open(o).read())) == 6 and not os.path.exists(o + ".part"), "6 records in FILE")
    # the state as it was on disk before the final save: the limit's save in the page
    st = json.load(open(o + ".state"))
    check(st["output_final"] is True, "state: %r" % st)
    st["output_final"] = False
    with open(o + ".state", "w") as f:
        json.dump(st, f)
    rc, _, err = run(base + ["--resume"])
    expect_rc(rc, 0, err)
    check(open(o).read() == want, "FILE after the resume differs from one unlimited run:\n" + err)


def t_since_server(m, tmp):
    """--since is sent to sources that filter by time; the client-side check stays."""
    t3 = 1740830400 - 3 * 3600
    iso3 = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t3))
    env = {"CXSENT_BSKY_HANDLE": "ben.example.com", "CXSENT_BSKY_APP_PASSWORD": "app-pass-1234-abcd"}
    cases = [  # args, the parameter, its expected value, expected ids
        (["hn-search", "--query", "acme"], "numericFilters", "created_at_i>=%d" % t3, ["i0", "i1", "i2", "i3"]),
        (["stackexchange", "--query", "acme"], "fromdate", str(t3), ["100", "101", "102", "103"]),
        (["bsky-search", "--query", "acme"], "since", iso3,
         ["at://did:plc:x/app.bsky.feed.post/i%d" % i for i in range(4)]),
        (["github-issues", "--query", "acme"], "q", "acme created:>=" + iso3, ["900", "901", "902", "903"]),
        # the repository list filters by update time: it returns one older issue, dropped here
        (["github-issues", "--repo", "a/b"], "since", iso3, ["900", "901", "902", "903"]),
    ]
    for scen in ("x09", "x09-deaf"):
        for args, param, value, want in cases:
            n0 = len(m.requests(scen))
            rc, out, err = run(args + ["--base-url", m.base(scen), "--since", iso3] + FAST, env)
            expect_rc(rc, 0, err)
            gets = m.requests(scen)[n0:]
            check(len(gets) == 1 and gets[0]["query"].get(param) == value,
                  "%s: %s=%r sent, want %r" % (args[0], param, [g["query"].get(param) for g in gets], value))
            check(ids(records(out)) == want, "%s %s: ids %s" % (scen, args[0], ids(records(out))))
            dropped = 6 if scen == "x09-deaf" else (1 if "--repo" in args else 0)
            check("skipped=%d " % dropped in err, "%d older items dropped here: %s" % (dropped, err))
        # without --since nothing is added
        n0 = len(m.requests(scen))
        rc, out, err = run(["hn-search", "--query", "acme", "--base-url", m.base(scen)] + FAST)
        expect_rc(rc, 0, err)
        check("numericFilters" not in m.requests(scen)[n0]["query"] and len(records(out)) == 10, "no --since")
    # the bound is --since rounded down to the second: the server keeps the whole second,
    # the client-side check drops what is older than the fraction
    n0 = len(m.requests("x09"))
    rc, out, err = run(["hn-search", "--query", "acme", "--base-url", m.base("x09"), "--since",
                        iso3.replace("Z", ".5Z")] + FAST)
    expect_rc(rc, 0, err)
    check(m.requests("x09")[n0]["query"].get("numericFilters") == "created_at_i>=%d" % t3, "rounded down")
    check(ids(records(out)) == ["i0", "i1", "i2"], "fraction: %s" % ids(records(out)))
    # a preset without a server-side filter sends nothing new
    rc, out, err = run(["mastodon-tag", "--instance", "social.example", "--tag", "acme", "--base-url", m.base("s02"),
                        "--since", "2025-03-01T00:00:00Z"] + FAST)
    expect_rc(rc, 0, err)
    check(all(set(g["query"]) <= {"limit", "max_id"} for g in m.requests("s02")), "mastodon params")
    # a preset file with a broken since filter is refused
    doc = json.load(open(os.path.join(HERE, "..", "..", "tools", "fetch", "presets", "hn-search.json")))
    doc["since"] = {"param": "numericFilters", "value": "created_at_i>=X"}
    pf = os.path.join(tmp, "bad.json")
    json.dump(doc, open(pf, "w"))
    rc, out, err = run(["--preset-file", pf, "--query", "a"])
    check(rc == 2 and "since needs" in err, err)


def t_session_refresh(m, tmp):
    env = {"CXSENT_BSKY_HANDLE": "ben.example.com", "CXSENT_BSKY_APP_PASSWORD": "pw"}
    rc, out, err = run(["bsky-search", "--query", "a", "--base-url", m.base("x01")] + FAST, env)
    expect_rc(rc, 0, err)
    posts = [r["path"].rsplit(".", 1)[-1] for r in m.requests("x01", method="POST")]
    check(posts == ["createSession", "refreshSession"], "one refresh after 401: %s" % posts)
    check(len(records(out)) == 2, "records after refresh")
    rc, out, err = run(["bsky-search", "--query", "a", "--base-url", m.base("x01")] + FAST)
    check(rc == 2 and "CXSENT_BSKY_HANDLE" in err, "credentials required: " + err)


def t_foreign_link(m, tmp):
    rc, out, err = run(["github-issues", "--repo", "acme/app", "--base-url", m.base("x02")] + FAST,
                       {"CXSENT_GITHUB_TOKEN": "ghp_foreign0000000000000000000000000001"})
    expect_rc(rc, 0, err)
    check(len(m.requests("x02")) == 1 and "stop=foreign_next" in err, "cross-host next link followed: " + err)
    check(ids(records(out)) == ["3000000001"], "page 1 records kept")


def t_append(m, tmp):
    o = os.path.join(tmp, "a.jsonl")
    base = ["hn-search", "--query", "acme", "--base-url", m.base("x04")] + FAST + ["-o", o, "--append"]

    def file_ids(path):
        return ids(records(open(path).read()))

    olds = ["old%d" % i for i in range(20)]
    rc, _, err = run(base + ["--max-pages", "2"])
    expect_rc(rc, 0, err)
    check(file_ids(o) == olds[:8], "first run: %s" % file_ids(o))
    check(not os.path.exists(o + ".part"), "--append must not use FILE.part")
    # three newer items appear at the top: a rerun adds exactly those
    m.flags["new"] = 3
    n0 = len(m.requests("x04"))
    rc, _, err = run(base)
    expect_rc(rc, 0, err)
    check(file_ids(o) == olds[:8] + ["new2", "new1", "new0"], "second run: %s" % file_ids(o))
    check(len(m.requests("x04")) - n0 == 2 and "stop=no_new_ids" in err and "dupes=5" in err,
          "stops at the first page without new ids: " + err)
    check("appending to %s (8 records already there)" % o in err, err)
    # nothing new: the file is unchanged byte for byte
    before = open(o).read()
    rc, _, err = run(base)
    expect_rc(rc, 0, err)
    check(open(o).read() == before and "items=0" in err, "third run changed the file")
    # a record torn by a crash is cut off before appending
    with open(o, "a") as f:
        f.write('{"id":"new9","source":"hn","aut')
    m.flags["new"] = 4
    rc, _, err = run(base)
    expect_rc(rc, 0, err)
    check(open(o).read().startswith(before) and file_ids(o) == file_ids_list(before) + ["new3"],
          "torn tail: %s" % file_ids(o))
    check("partial last line" in err, err)
    # a file that is not ours (last line is not a record) is refused and left alone
    alien = os.path.join(tmp, "notes.txt")
    open(alien, "w").write("my notes\nno newline at the end")
    rc, _, err = run(["hn-search", "--query", "acme", "--base-url", m.base("x04")] + FAST + ["-o", alien, "--append"])
    expect_rc(rc, 7, err)
    check(open(alien).read() == "my notes\nno newline at the end", "alien file modified")
    # ids are per source: another source's "old0" does not hide hn's old0
    m.flags["new"] = 0
    mixed = os.path.join(tmp, "mixed.jsonl")
    pre = ('{"id":"old0","source":"other","author":null,"created_at":null,"rating":null,"text":"x","url":null,"lang":null}\n'
           '{"id":"old1","source":"hn","author":null,"created_at":null,"rating":null,"text":"y","url":null,"lang":null}\n')
    open(mixed, "w").write(pre)
    rc, _, err = run(["hn-search", "--query", "acme", "--base-url", m.base("x04")] + FAST + ["-o", mixed, "--append", "--max-pages", "1"])
    expect_rc(rc, 0, err)
    check(open(mixed).read().startswith(pre) and file_ids(mixed) == ["old0", "old1", "old0", "old2", "old3"],
          "mixed: %s" % file_ids(mixed))
    # a file whose last record lacks only its newline (as "\n".join() writes one) keeps that
    # record: it is whole, not torn, and may be one the source no longer serves
    kept = os.path.join(tmp, "kept.jsonl")
    pre = ('{"id":"keep1","source":"other","author":null,"created_at":null,"rating":null,"text":"x","url":null,"lang":null}\n'
           '{"id":"keep2","source":"other","author":null,"created_at":null,"rating":null,"text":"y","url":null,"lang":null}')
    open(kept, "w").write(pre)
    rc, _, err = run(["hn-search", "--query", "acme", "--base-url", m.base("x04")] + FAST + ["-o", kept, "--append", "--max-pages", "1"])
    expect_rc(rc, 0, err)
    check(open(kept).read().startswith(pre + "\n") and
          file_ids(kept) == ["keep1", "keep2", "old0", "old1", "old2", "old3"],
          "whole last record without a newline: %s" % file_ids(kept))
    check("appending to %s (2 records already there)" % kept in err, err)
    # --append needs a file
    rc, _, err = run(["hn-search", "--query", "acme", "--append"])
    check(rc == 2 and "--append needs -o" in err, err)
    # interrupted --append run: records are already in FILE; resume must say --append again
    o3 = os.path.join(tmp, "r.jsonl")
    rc, _, err = hn(m, "s08", ["-o", o3, "--append"])
    expect_rc(rc, 4, err)
    check(len(file_ids(o3)) == 3 and not os.path.exists(o3 + ".part"), "page 1 in FILE")
    rc, _, err = hn(m, "s08", ["-o", o3, "--resume"])
    check(rc == 2 and "--append" in err, "resume without --append refused: " + err)
    rc, _, err = hn(m, "s08", ["-o", o3, "--append", "--resume"])
    expect_rc(rc, 0, err)
    check(len(file_ids(o3)) == 6 and len(set(file_ids(o3))) == 6, "6 unique after resume: %s" % file_ids(o3))
    check(json.load(open(o3 + ".state"))["done"] is True, "state done")


def mode(path):
    return os.lstat(path).st_mode & 0o777


def jwt_exp(tok):
    import base64
    part = tok.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))["exp"]


def t_token_cache(m, tmp):
    env = {"CXSENT_BSKY_HANDLE": "ben.example.com", "CXSENT_BSKY_APP_PASSWORD": "app-pw-x03"}
    st = os.path.join(tmp, "b.state")
    cache = st + ".token"
    args = ["bsky-search", "--query", "acme", "--base-url", m.base("x03"), "--state", st] + FAST

    def logins():
        return len([r for r in m.requests("x03", method="POST") if r["path"].endswith("createSession")])

    def bearers(since):
        return [g["headers"].get("authorization", "")[7:] for g in m.requests("x03")[since:]]

    # first run logs in and caches the session next to the state, mode 0600
    rc, out, err = run(args + ["-v"], env)
    expect_rc(rc, 0, err)
    check(logins() == 1 and len(records(out)) == 2, "first run: %d logins" % logins())
    check(mode(cache) == 0o600, "cache mode %o" % mode(cache))
    c = json.load(open(cache))
    tok1 = c["token"]
    check(tok1 in m.flags["valid"] and c["expires_at"] == jwt_exp(tok1), "cache holds the session and its JWT exp: %r" % c)
    check("app-pw-x03" not in open(cache).read(), "password in the cache")
    check(tok1 not in err and tok1 not in out and tok1 not in open(st).read(), "token leaked into -v/output/state")
    # second run reuses it: no login request, the cached token is sent
    n = len(m.requests("x03"))
    rc, out, err = run(args + ["-v"], env)
    expect_rc(rc, 0, err)
    check(logins() == 1 and bearers(n) == [tok1], "cached token not reused: %d logins" % logins())
    check("using the cached login token" in err and tok1 not in err, err)
    # the server revokes it (and refuses its refresh token): one 401, one refused refresh,
    # exactly one re-login, the retried page carries the new token
    m.flags["valid"].clear()
    n = len(m.requests("x03", method=None))
    rc, out, err = run(args, env)
    expect_rc(rc, 0, err)
    reqs = m.requests("x03", method=None)[n:]
    check([r["method"] + " " + r["path"].rsplit(".", 1)[-1] for r in reqs] ==
          ["GET searchPosts", "POST refreshSession", "POST createSession", "GET searchPosts"],
          "401 -> refused refresh -> one re-login: %s" % [r["path"] for r in reqs])
    tok2 = json.load(open(cache))["token"]
    check(tok2 != tok1 and reqs[3]["headers"]["authorization"] == "Bearer " + tok2 and len(records(out)) == 2,
          "refreshed token cached and used")
    # expired in the cache (the server would still take it): log in before the first page
    # (the session's refresh token, which x03 never accepts, is tried first)
    c = json.load(open(cache))
    c["expires_at"] = int(time.time()) - 5
    json.dump(c, open(cache, "w"))
    n = len(m.requests("x03", method=None))
    rc, out, err = run(args, env)
    expect_rc(rc, 0, err)
    reqs = m.requests("x03", method=None)[n:]
    check([r["path"].rsplit(".", 1)[-1] for r in reqs] == ["refreshSession", "createSession", "searchPosts"]
          and tok2 not in reqs[2]["headers"]["authorization"], "expired cache: %s" % [r["path"] for r in reqs])
    check("expired" in err, err)
    tok3 = json.load(open(cache))["token"]
    # a cache others can read is not trusted, and is replaced by a 0600 one
    os.chmod(cache, 0o644)
    rc, out, err = run(args, env)
    expect_rc(rc, 0, err)
    check(logins() == 4 and "readable or writable by other users" in err and mode(cache) == 0o600,
          "0644 cache: %d logins, mode %o" % (logins(), mode(cache)))
    tok4 = json.load(open(cache))["token"]
    # a symlink at the cache path is never followed, neither read nor written through
    target = os.path.join(tmp, "elsewhere.json")
    json.dump({"v": 1, "key": json.load(open(cache))["key"], "token": tok4, "expires_at": int(time.time()) + 3600},
              open(target, "w"))
    os.chmod(target, 0o600)
    before = open(target).read()
    os.unlink(cache)
    os.symlink(target, cache)
    rc, out, err = run(args, env)
    expect_rc(rc, 0, err)
    check(logins() == 5 and "symbolic link" in err, "symlink followed: " + err)
    check(not os.path.islink(cache) and mode(cache) == 0o600 and open(target).read() == before, "symlink replaced, target untouched")
    # another account on the same host does not get this account's session
    rc, out, err = run(args, dict(env, CXSENT_BSKY_HANDLE="other.example.com"))
    expect_rc(rc, 0, err)
    check(logins() == 6 and "another login" in err, err)
    # --token-cache FILE is shared by runs with different queries; --no-token-cache writes nothing
    shared = os.path.join(tmp, "shared.token")
    for q in ("acme", "acme kettle"):
        rc, out, err = run(["bsky-search", "--query", q, "--base-url", m.base("x03"), "--token-cache", shared] + FAST, env)
        expect_rc(rc, 0, err)
    check(logins() == 7 and mode(shared) == 0o600, "shared cache: %d logins" % logins())
    st2 = os.path.join(tmp, "nc.state")
    rc, out, err = run(["bsky-search", "--query", "acme", "--base-url", m.base("x03"), "--state", st2, "--no-token-cache"] + FAST, env)
    expect_rc(rc, 0, err)
    check(logins() == 8 and not os.path.exists(st2 + ".token"), "--no-token-cache")
    # a garbage cache file is ignored, not trusted, not a crash
    open(shared, "w").write("\x00garbage")
    os.chmod(shared, 0o600)
    rc, out, err = run(["bsky-search", "--query", "acme", "--base-url", m.base("x03"), "--token-cache", shared] + FAST, env)
    expect_rc(rc, 0, err)
    check(logins() == 9 and "not a token cache file" in err, err)
    # a login response whose token would smuggle a header is refused, nothing cached or sent
    m.flags["evil"] = True
    evil = os.path.join(tmp, "evil.token")
    n = len(m.requests("x03"))
    rc, out, err = run(["bsky-search", "--query", "acme", "--base-url", m.base("x03"), "--token-cache", evil] + FAST, env)
    expect_rc(rc, 3, err)
    check("not a valid bearer token" in err and not os.path.exists(evil) and len(m.requests("x03")) == n,
          "smuggling token: " + err)
    m.flags["evil"] = False
    # Reddit app-only OAuth: expires_in sets the expiry of an opaque token
    renv = {"CXSENT_REDDIT_CLIENT_ID": "rid-123", "CXSENT_REDDIT_CLIENT_SECRET": "rsecret-456"}
    rc_path = os.path.join(tmp, "reddit.token")
    rargs = ["reddit-search", "--query", "acme", "--base-url", m.base("x07"), "--token-cache", rc_path] + FAST
    for _ in range(2):
        t0 = time.time()
        rc, out, err = run(rargs, renv)
        expect_rc(rc, 0, err)
    check(len(m.requests("x07", method="POST")) == 1, "reddit token reused")
    c = json.load(open(rc_path))
    check(abs(c["expires_at"] - (t0 + 3600)) < 30 and "rsecret-456" not in open(rc_path).read()
          and "rid-123" not in open(rc_path).read(), "reddit cache %r" % c)


def t_bsky_refresh(m, tmp):
    """bsky-search renews its session with refreshSession (refresh token as Bearer)
    instead of logging in again; a refused refresh falls back to a login."""
    env = {"CXSENT_BSKY_HANDLE": "ben.example.com", "CXSENT_BSKY_APP_PASSWORD": "app-pw-x10"}
    st = os.path.join(tmp, "b.state")
    cache = st + ".token"
    args = ["bsky-search", "--query", "acme", "--base-url", m.base("x10"), "--state", st] + FAST
    fl = m.flags

    def calls(n0):
        out = []
        for r in m.requests("x10", method=None)[n0:]:
            out.append("login" if r["path"].endswith("createSession") else
                       "refresh" if r["path"].endswith("refreshSession") else "GET")
        return out

    def n():
        return len(m.requests("x10", method=None))

    # the first run logs in; the cache holds the access and the refresh token, 0600
    rc, out, err = run(args + ["-v"], env)
    expect_rc(rc, 0, err)
    c = json.load(open(cache))
    check(mode(cache) == 0o600 and c["refresh"] in fl["valid_refresh"] and c["refresh_expires_at"] == jwt_exp(c["refresh"]),
          "cache: %r" % c)
    secrets = {c["refresh"], c["token"], "app-pw-x10"}
    logs = [out, err, open(st).read()]
    # the server revokes the access token: one 401, one refresh with the refresh token, no login
    fl["valid"].clear()
    n0 = n()
    rc, out, err = run(args + ["-v"], env)
    expect_rc(rc, 0, err)
    check(calls(n0) == ["GET", "refresh", "GET"], "401 -> refresh: %s" % calls(n0))
    ref = m.requests("x10", method=None)[n0 + 1]
    check(ref["method"] == "POST" and ref["headers"].get("authorization") == "Bearer " + c["refresh"] and ref["body"] == "",
          "refreshSession called with the refresh token as Bearer")
    c2 = json.load(open(cache))
    check(c2["token"] != c["token"] and c2["refresh"] != c["refresh"] and c2["refresh"] in fl["valid_refresh"],
          "rotated tokens cached")
    check(m.requests("x10", method=None)[n0 + 2]["headers"]["authorization"] == "Bearer " + c2["token"], "new token used")
    check("session refreshed" in err and len(records(out)) == 2, err)
    secrets |= {c2["refresh"], c2["token"]}
    logs += [out, err, open(st).read()]
    # the cached access token has expired: refresh before the first request, no 401
    c2["expires_at"] = int(time.time()) - 5
    json.dump(c2, open(cache, "w"))
    n0 = n()
    rc, out, err = run(args, env)
    expect_rc(rc, 0, err)
    check(calls(n0) == ["refresh", "GET"], "expired in cache -> refresh: %s" % calls(n0))
    # the refresh is refused (revoked, expired): log in again, once
    c3 = json.load(open(cache))
    secrets |= {c3["refresh"], c3["token"]}
    fl["valid"].clear()
    fl["refresh_fail"] = True
    n0 = n()
    rc, out, err = run(args + ["-v"], env)
    expect_rc(rc, 0, err)
    check(calls(n0) == ["GET", "refresh", "login", "GET"], "refused refresh -> login: %s" % calls(n0))
    check("refresh" in err and "refused: HTTP 400" in err and "logging in again" in err, err)
    logs += [out, err, open(st).read()]
    fl["refresh_fail"] = False
    # the token expires during a run: the next page refreshes first, without a 401
    fl["ttl"] = 2
    fl["pages"] = 2
    st2 = os.path.join(tmp, "b2.state")
    n0 = n()
    rc, out, err = run(["bsky-search", "--query", "acme", "--base-url", m.base("x10"), "--state", st2, "--allow-http",
                        "--min-interval", "3", "--max-wait", "10"], env)
    expect_rc(rc, 0, err)
    check(calls(n0) == ["login", "GET", "refresh", "GET"] and len(records(out)) == 4,
          "expiry during the run: %s" % calls(n0))
    check("the login token has expired; refreshing the session" in err, err)
    logs += [out, err, open(st2).read()]
    c4 = json.load(open(st2 + ".token"))
    secrets |= {c4["refresh"], c4["token"]}
    fl["ttl"] = 7200
    fl["pages"] = 1
    # a refresh response whose refresh token would smuggle a header: ignored, never sent or cached
    fl["evil_refresh"] = True
    fl["valid"].clear()
    n0 = n()
    rc, out, err = run(args, env)
    expect_rc(rc, 0, err)
    check("not a valid bearer token; ignoring it" in err and "refresh" not in json.load(open(cache)), err)
    check(all("\n" not in r["headers"].get("authorization", "") for r in m.requests("x10", method=None)), "smuggled")
    fl["evil_refresh"] = False
    logs += [out, err, open(st).read()]
    # no tokens in output, messages or state
    for text in logs:
        for sec in secrets:
            check(sec not in text, "secret %s... leaked" % sec[:12])


def t_old_state(m, tmp):
    """States written by earlier versions of a built-in preset (whose document, part
    of the params hash, has since gained things a resume does not depend on) are
    accepted by --resume; any other hash is still refused."""
    from preset_doc_hash import doc_hash, params_hash
    env = {"CXSENT_BSKY_HANDLE": "ben.example.com", "CXSENT_BSKY_APP_PASSWORD": "app-pass-1234-abcd"}
    presets_dir = os.path.join(HERE, "..", "..", "tools", "fetch", "presets")
    old_dir = os.path.join(HERE, "fixtures", "old_presets")
    cases = {
        "hn-search": (["hn-search", "--query", "acme"], "/api/v1/search_by_date?query=acme&tags=(story,comment)&hitsPerPage=100", "hn"),
        "github-issues": (["github-issues", "--query", "acme"], "/search/issues?q=acme&sort=created&order=desc&per_page=100", "github"),
        "reddit-search": (["reddit-search", "--query", "acme"], "/search.json?q=acme&sort=new&t=all&limit=100&raw_json=1", "reddit"),
        "stackexchange": (["stackexchange", "--query", "acme"],
                          "/2.3/search/advanced?q=acme&site=stackoverflow&sort=creation&order=desc&pagesize=100&filter=withbody",
                          "stackexchange:stackoverflow"),
        "bsky-search": (["bsky-search", "--query", "acme"], "/xrpc/app.bsky.feed.searchPosts?q=acme&limit=100&sort=latest", "bsky"),
    }
    base = m.base("x11")  # no such scenario: every request gets a 404
    olds = sorted(os.listdir(old_dir))
    check(len(olds) == 7, "old preset documents: %s" % olds)
    for name, (args, path, source) in cases.items():
        st = os.path.join(tmp, name + ".state")
        # the hash this version writes is what preset_doc_hash.py computes (checks the helper)
        rc, _, err = run(args + ["--base-url", base, "--state", st, "--max-retries", "0"] + FAST, env)
        check(rc in (3, 5), "%s: %d %s" % (name, rc, err))
        state = json.load(open(st))
        cur = doc_hash(open(os.path.join(presets_dir, name + ".json"), "rb").read())
        check(state["params_hash"] == params_hash(cur, base + path, source), "%s: hash recipe" % name)
        state["done"] = True
        for f in [f for f in olds if f.startswith(name + ".")]:
            state["params_hash"] = params_hash(doc_hash(open(os.path.join(old_dir, f), "rb").read()), base + path, source)
            json.dump(state, open(st, "w"))
            rc, _, err = run(args + ["--base-url", base, "--state", st, "--resume"] + FAST, env)
            check(rc == 0 and "earlier version of preset " + name in err and "nothing to resume" in err, f + ": " + err)
        # a document that never was a built-in preset, or another query: refused
        doc = json.load(open(os.path.join(presets_dir, name + ".json")))
        doc["items"] = "elsewhere"
        state["params_hash"] = params_hash(doc_hash(json.dumps(doc).encode()), base + path, source)
        json.dump(state, open(st, "w"))
        rc, _, err = run(args + ["--base-url", base, "--state", st, "--resume"] + FAST, env)
        check(rc == 2 and "different query" in err, name + " unknown document: " + err)
        state["params_hash"] = params_hash(doc_hash(open(os.path.join(old_dir, olds[0]), "rb").read()), base + path + "x", source)
        json.dump(state, open(st, "w"))
        rc, _, err = run(args + ["--base-url", base, "--state", st, "--resume"] + FAST, env)
        check(rc == 2 and "different query" in err, name + " other query: " + err)
    # a whole resume of a state written before time windows existed (no "slice", no "limit")
    o = os.path.join(tmp, "hn.jsonl")
    rc, _, err = hn(m, "s08", ["-o", o])
    expect_rc(rc, 4, err)
    st = json.load(open(o + ".state"))
    for k in ("slice", "limit", "output_final"):
        del st[k]
    old = doc_hash(open(os.path.join(old_dir, "hn-search.f2300fb.json"), "rb").read())
    new_hash = st["params_hash"]
    st["params_hash"] = params_hash(old, m.base("s08") + cases["hn-search"][1], "hn")
    json.dump(st, open(o + ".state", "w"))
    rc, _, err = hn(m, "s08", ["-o", o, "--resume"])
    expect_rc(rc, 0, err)
    check("earlier version" in err and len(set(ids(records(open(o).read())))) == 6 == len(records(open(o).read())),
          "old state resumed: " + err)
    st = json.load(open(o + ".state"))
    check(st["params_hash"] == new_hash and st["slice"]["window_seen"] == 6, "state rewritten: %r" % st)


def capped_preset(tmp, name, cap):
    """A built-in preset with its source cap lowered to what the mock serves."""
    doc = json.load(open(os.path.join(HERE, "..", "..", "tools", "fetch", "presets", name + ".json")))
    doc["cap"]["items"] = cap
    path = os.path.join(tmp, name + "-cap%d.json" % cap)
    json.dump(doc, open(path, "w"))
    return path


def t_slice_hn(m, tmp):
    pf = capped_preset(tmp, "hn-search", 10)
    args = ["--preset-file", pf, "--query", "acme"] + FAST
    t = [1740000000 - 10 * i for i in range(25)]
    t[10] = t[11] = t[9]
    rc, out, err = run(args + ["--base-url", m.base("x05")])
    expect_rc(rc, 0, err)
    gets = m.requests("x05")
    want_f = [None] * 3 + ["created_at_i<=%d" % t[9]] * 3 + ["created_at_i<=%d" % t[18]] * 2
    check([g["query"].get("numericFilters") for g in gets] == want_f,
          "windows: %s" % [g["query"].get("numericFilters") for g in gets])
    check([g["query"].get("page") for g in gets] == ["0", "1", "2", "0", "1", "2", "0", "1"],
          "pages restart in each window: %s" % [g["query"].get("page") for g in gets])
    check(all(g["query"].get("query") == "acme" for g in gets), "query kept")
    # the inclusive bound keeps w10/w11 (same second as w09); dedup drops w09/w18 seen twice
    check(ids(records(out)) == ["w%02d" % i for i in range(25)], "ids %s" % ids(records(out)))
    check("slices=2" in err and "cap_reached=false" in err and "dupes=2" in err and "stop=last_page" in err, err)
    check("narrowing to numericFilters=created_at_i<=%d (window 2)" % t[9] in err, err)
    full = out
    # interrupted in window 2: the state holds the window, --resume continues inside it
    o = os.path.join(tmp, "hn.jsonl")
    m.flags["block"] = True
    rc, _, err = run(args + ["--base-url", m.base("x05-block"), "-o", o])
    expect_rc(rc, 4, err)
    st = json.load(open(o + ".state"))
    check(st["slice"]["windows"] == 1 and st["slice"]["before"] == t[9] and st["slice"]["window_seen"] == 4
          and st["next"]["page"] == 1, "state: %r" % st)
    check("slices=1" in err and "next=page=1 numericFilters=created_at_i<=%d" % t[9] in err, err)
    n0 = len(m.requests("x05-block"))
    rc, _, err = run(args + ["--base-url", m.base("x05-block"), "-o", o, "--resume"])
    expect_rc(rc, 0, err)
    first = m.requests("x05-block")[n0]
    check(first["query"].get("page") == "1" and first["query"].get("numericFilters") == "created_at_i<=%d" % t[9],
          "resume continues window 2: %s" % first["raw"])
    check(open(o).read() == full, "resumed output differs from an uninterrupted run")
    # a server that ignores the filter: window 2 repeats window 1 and the run stops, no loop
    rc, out, err = run(args + ["--base-url", m.base("x05-deaf")])
    expect_rc(rc, 0, err)
    check(len(m.requests("x05-deaf")) == 4 and "stop=no_new_ids" in err, err)
    check(ids(records(out)) == ["w%02d" % i for i in range(10)], "deaf ids")
    # no times on the items: nothing to narrow by, stop at the cap and say so
    rc, out, err = run(args + ["--base-url", m.base("x05-notime")])
    expect_rc(rc, 0, err)
    check(len(m.requests("x05-notime")) == 3 and "stop=source_cap" in err and "cap_reached=true" in err
          and "slices=0" in err, err)
    # more hits in one second than the cap: step to the second before, never the same window twice
    rc, out, err = run(args + ["--base-url", m.base("x05-tie")])
    expect_rc(rc, 0, err)
    fs = [g["query"].get("numericFilters") for g in m.requests("x05-tie")]
    check(fs[3] == "created_at_i<=%d" % (1740000000 - 1), "tie window: %s" % fs)
    check(ids(records(out))[:11] == ["w%02d" % i for i in range(10)] + ["w15"], "tie ids %s" % ids(records(out)))
    check("did not get older than one second" in err, err)
    # user limits still end the run inside a window
    rc, out, err = run(args + ["--base-url", m.base("x05-limits"), "--max-pages", "4"])
    expect_rc(rc, 0, err)
    check(len(records(out)) == 13 and "stop=max_pages" in err and "cap_reached=true" in err, err)
    # --since goes to the server next to the window bound (numericFilters takes a list)
    rc, out, err = run(args + ["--base-url", m.base("x05-since"), "--since", "2025-02-19T21:18:00Z"])
    expect_rc(rc, 0, err)
    check(ids(records(out)) == ["w%02d" % i for i in range(13)] and "stop=last_page" in err, "since: " + err)
    fs = [g["query"].get("numericFilters") for g in m.requests("x05-since")]
    check(fs == ["created_at_i>=%d" % t[12]] * 3 + ["created_at_i>=%d,created_at_i<=%d" % (t[12], t[9])],
          "since + window filters: %s" % fs)


def t_slice_github(m, tmp):
    pf = capped_preset(tmp, "github-issues", 3)
    rc, out, err = run(["--preset-file", pf, "--query", "acme is:issue", "--base-url", m.base("x06")] + FAST)
    expect_rc(rc, 0, err)
    gets = m.requests("x06")
    iso = lambda i: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1740830400 - 3600 * i))
    want = (["acme is:issue"] * 2 + ["acme is:issue created:<=%s" % iso(2)] * 2 +
            ["acme is:issue created:<=%s" % iso(4)] * 2 + ["acme is:issue created:<=%s" % iso(6)])
    check([g["query"].get("q") for g in gets] == want, "q per request: %s" % [g["query"].get("q") for g in gets])
    check([g["query"].get("page") for g in gets] == [None, "2"] * 3 + [None], "link pages: %s" % [g["raw"] for g in gets])
    check(ids(records(out)) == [str(500 + i) for i in range(8)], "ids %s" % ids(records(out)))
    check("slices=3" in err and "stop=no_next" in err and "cap_reached=false" in err, err)


def file_ids_list(text):
    return ids(records(text))


# ---------------------------------------------------------------- golden, cli, e2e

GOLDEN = {
    "apple": ["apple-reviews", "--app-id", "123"],
    "mastodon": ["mastodon-tag", "--instance", "social.example", "--tag", "acme"],
    "bsky": ["bsky-search", "--query", "acme"],
    "reddit": ["reddit-search", "--query", "acme"],
    "hn": ["hn-search", "--query", "acme"],
    "stackexchange": ["stackexchange", "--query", "acme"],
    "github": ["github-issues", "--repo", "acme/app"],
    "youtube": ["youtube-comments", "--video-id", "vid123"],
    "trustpilot": ["trustpilot", "--business-unit", "bu1"],
}
GOLDEN_ENV = {"CXSENT_BSKY_HANDLE": "ben.example.com", "CXSENT_BSKY_APP_PASSWORD": "app-pass",
              "CXSENT_YOUTUBE_KEY": "yt-test-key", "CXSENT_TRUSTPILOT_KEY": "tp-test-key"}


def t_golden(m, tmp):
    update = os.environ.get("CXSENT_FETCH_UPDATE_GOLDEN") == "1"
    for name, args in GOLDEN.items():
        rc, out, err = run(args + ["--base-url", m.base("g-" + name)] + FAST, GOLDEN_ENV)
        expect_rc(rc, 0, err)
        records(out)
        path = os.path.join(HERE, "golden", name + ".jsonl")
        if update:
            open(path, "w").write(out)
        check(out == open(path).read(), "%s differs from golden/%s.jsonl:\n%s" % (name, name, out))


def t_preset_file(m, tmp):
    # a user preset file works exactly like a built-in one
    src = os.path.join(HERE, "..", "..", "tools", "fetch", "presets", "hn-search.json")
    doc = json.load(open(src))
    doc["name"] = "my-hn"
    doc["source"] = "myhn"
    pf = os.path.join(tmp, "my.json")
    json.dump(doc, open(pf, "w"))
    rc, out, err = run(["--preset-file", pf, "--query", "acme", "--base-url", m.base("g-hn")] + FAST)
    expect_rc(rc, 0, err)
    check([r["source"] for r in records(out)] == ["myhn", "myhn"], out)
    json.dump({"name": "x"}, open(pf, "w"))
    rc, out, err = run(["--preset-file", pf])
    expect_rc(rc, 2, err)


def t_cli(m, tmp):
    rc, out, err = run(["--help"])
    check(rc == 0 and "Exit codes" in out and "--resume" in out, "help")
    rc, out, err = run(["--list-presets"])
    for p in ["apple-reviews", "mastodon-tag", "reddit-search", "hn-search", "stackexchange", "github-issues",
              "youtube-comments", "bsky-search", "trustpilot"]:
        check(p in out, "preset %s listed" % p)
    check(run(["hn-search"])[0] == 2, "missing --query is a usage error")
    check(run(["nope"])[0] == 2, "unknown preset")
    check(run(["hn-search", "--query", "a", "--insecure"])[0] == 2, "--insecure must not exist")
    rc, out, err = run(["hn-search", "--query", "a", "--base-url", "http://127.0.0.1:1"])
    check(rc == 2 and "http" in err, "plain http refused without --allow-http")
    rc, out, err = run(["youtube-comments", "--video-id", "v"])
    check(rc == 2 and "CXSENT_YOUTUBE_KEY" in err, "missing key named")
    # --allow-http is loopback-only: a non-loopback address is refused before sending
    rc, out, err = run(["hn-search", "--query", "a", "--base-url", "http://192.0.2.1:9", "--allow-http",
                        "--connect-timeout", "2", "--max-retries", "0", "--min-interval", "0"])
    check(rc != 0, "non-loopback http must fail")
    man = os.path.join(HERE, "..", "..", "tools", "fetch", "cxsent-fetch.1")
    text = open(man).read()
    for word in [".TH", "EXIT STATUS", "ENVIRONMENT", "CXSENT_GITHUB_TOKEN", "--resume", "bsky-search"]:
        check(word in text, "man page lacks " + word)


def t_e2e_scan(m, tmp):
    if not SCAN:
        print("SKIP: no cxsent-scan")
        return
    e = dict(CLEAN_ENV)
    fetch = subprocess.Popen([BIN, "mastodon-tag", "--instance", "social.example", "--tag", "acme",
                              "--base-url", m.base("g-mastodon")] + FAST, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=e)
    scan = subprocess.run([SCAN], stdin=fetch.stdout, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=50)
    fetch.stdout.close()
    ferr = fetch.stderr.read().decode()
    fetch.wait(timeout=50)
    expect_rc(fetch.returncode, 0, ferr)
    check(scan.returncode == 0, "cxsent-scan failed: %s" % scan.stderr.decode())
    lines = scan.stdout.decode().splitlines()
    check(len(lines) == 5, "5 scored records, got %d" % len(lines))
    for line in lines:
        r = json.loads(line)
        check(isinstance(r.get("sentiment", {}).get("compound"), (int, float)), "no sentiment.compound: " + line)


CASES = {name[2:]: fn for name, fn in globals().items() if name.startswith("t_")}


def main():
    global BIN, SCAN
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=False)
    ap.add_argument("--scan")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("cases", nargs="*")
    a = ap.parse_args()
    if a.list:
        print("\n".join(CASES))
        return 0
    BIN, SCAN = a.bin, a.scan
    failed = 0
    for name in a.cases or list(CASES):
        tmp = tempfile.mkdtemp(prefix="cxf-")
        t0 = time.monotonic()
        try:
            with MockServer() as m:
                CASES[name](m, tmp)
            print("PASS %s (%.1fs)" % (name, time.monotonic() - t0))
        except Exception as ex:  # report every failure kind the same way
            failed += 1
            print("FAIL %s: %s: %s" % (name, type(ex).__name__, ex))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
