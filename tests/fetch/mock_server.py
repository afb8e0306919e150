#!/usr/bin/env python3
"""Loopback mock of the review/post APIs used by cxsent-fetch's tests.

Standard library only. Binds 127.0.0.1:0. Routes are /s/<scenario>/<api path>;
the fetch tool reaches them through --base-url http://127.0.0.1:PORT/s/<scenario>.
Every request is logged (method, path, query, headers, monotonic time) so the
tests can assert on parameters, credentials and timing.

Run standalone (`python3 mock_server.py`) to poke at it by hand: it prints
the port and serves until interrupted.
"""

import base64
import calendar
import email.utils
import gzip
import json
import os
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")

# Values the tests look for; none of them is a real credential.
BSKY_JWT = "eyJhbGciOiJIUzI1NiJ9.jwt-MOCKSESSION-4711.sig"
BSKY_REFRESH = "eyJhbGciOiJIUzI1NiJ9.jwt-MOCKREFRESH-4711.sig"


def fixture(name, port):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read().replace(b"PORT", str(port).encode())


def hn_page(page, n, pages, prefix="h"):
    hits = [{"objectID": "%s%d_%d" % (prefix, page, i), "author": "u%d" % i,
             "created_at_i": 1740830400 - page * 1000 - i,
             "comment_text": "comment %d on page %d &amp; more" % (i, page)} for i in range(n)]
    return json.dumps({"hits": hits, "nbHits": n * pages, "page": page, "nbPages": pages}).encode()


def make_jwt(n, exp):
    """A JWT-shaped token with a real exp claim (the signature is not checked)."""
    def b64(d):
        return base64.urlsafe_b64encode(d).rstrip(b"=").decode()
    claims = {"scope": "com.atproto.access", "sub": "did:plc:mock", "iat": int(time.time()), "exp": exp, "n": n}
    return b64(b'{"alg":"HS256","typ":"at+jwt"}') + "." + b64(json.dumps(claims).encode()) + ".sig%d" % n


def x05_times(kind):
    """25 hits, newest first, 10 s apart; hits 10 and 11 share hit 9's second,
    the second the first window ends on (an exclusive bound would lose them).
    'tie': the 15 newest hits share one second, more than one window holds."""
    t = [1740000000 - 10 * i for i in range(25)]
    t[10] = t[11] = t[9]
    if kind == "tie":
        t = [1740000000] * 15 + [1740000000 - 10 * i for i in range(15, 25)]
    return t


def numeric_filter(items, nf):
    """Algolia numericFilters: comma-separated conditions, all must hold."""
    ops = {"<=": lambda a, b: a <= b, "<": lambda a, b: a < b, ">=": lambda a, b: a >= b, ">": lambda a, b: a > b}
    for cond in nf.split(","):
        m = re.fullmatch(r"created_at_i(<=|<|>=|>)(\d+)", cond)
        if not m:
            return None
        items = [x for x in items if ops[m.group(1)](x[1], int(m.group(2)))]
    return items


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


# x09: 10 items an hour apart, newest first, for the server-side --since filters
X09_TIMES = [1740830400 - 3600 * i for i in range(10)]


# 8 issues an hour apart; issue 503 shares 502's second (the first window's end)
X06_TIMES = [1740830400 - 3600 * i for i in range(8)]
X06_TIMES[3] = X06_TIMES[2]


class Handler(BaseHTTPRequestHandler):
    server_version = "cxsent-mock/1"

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    # -- helpers -----------------------------------------------------------
    def send(self, status, body=b"", ctype="application/json", headers=None, gz=False):
        if gz:
            body = gzip.compress(body)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if gz:
            self.send_header("Content-Encoding", "gzip")
        for k, v in (headers or {}).items():
            if isinstance(v, list):
                for one in v:
                    self.send_header(k, one)
            else:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def fx(self, name, **kw):
        self.send(200, fixture(name, self.server.server_port), **kw)

    def base(self):
        return "http://127.0.0.1:%d/s/%s" % (self.server.server_port, self.scen)

    # -- dispatch ----------------------------------------------------------
    def do_POST(self):
        self.handle_any()

    def do_GET(self):
        self.handle_any()

    def handle_any(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query, keep_blank_values=True)
        self.q = {k: v[-1] for k, v in q.items()}
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        parts = u.path.split("/", 3)
        if len(parts) < 3 or parts[1] != "s":
            return self.send(404, b'{"error":"no scenario"}')
        self.scen = parts[2]
        self.rest = "/" + (parts[3] if len(parts) > 3 else "")
        srv = self.server
        with srv.lock:
            key = (self.scen, self.path)
            self.count = srv.counts.get(key, 0)
            srv.counts[key] = self.count + 1
            srv.log.append({"t": time.monotonic(), "method": self.command, "scen": self.scen,
                            "path": self.rest, "query": self.q, "raw": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": self.body.decode("utf-8", "replace")})
        fn = getattr(self, "r_" + self.scen.split("-")[0], None)
        if fn is None:
            return self.send(404, b'{"error":"unknown scenario"}')
        try:
            fn()
        except (BrokenPipeError, ConnectionResetError):
            pass

    # -- per-source fixture servers ------------------------------------------
    def bsky(self):
        if self.rest.endswith("createSession"):
            if self.command != "POST":
                return self.send(405)
            body = json.loads(self.body or b"{}")
            if not body.get("identifier") or not body.get("password"):
                return self.send(401, b'{"error":"AuthenticationRequired"}')
            return self.send(200, json.dumps({"accessJwt": BSKY_JWT, "refreshJwt": BSKY_REFRESH,
                                              "handle": body["identifier"]}).encode())
        if self.headers.get("Authorization") != "Bearer " + BSKY_JWT:
            return self.send(401, b'{"error":"AuthMissing","message":"Authentication Required"}')
        return True

    def r_s01(self):  # cursor (bsky)
        if self.bsky() is not True:
            return
        page = {"": "bsky_p1.json", "c1": "bsky_p2.json", "c2": "bsky_p3.json"}.get(self.q.get("cursor", ""))
        if page is None:
            return self.send(400, b'{"error":"bad cursor"}')
        self.fx(page)

    def r_s02(self):  # link (mastodon): rel order varies, relative and absolute URLs
        mid = self.q.get("max_id")
        path = "/s/%s/api/v1/timelines/tag/acme?limit=40" % self.scen
        absu = "http://127.0.0.1:%d%s" % (self.server.server_port, path)
        if mid is None:
            link = '<%s&min_id=99>; rel="prev", <%s&max_id=5>; rel="next"' % (absu, path)
            return self.fx("mastodon_p1.json", headers={"Link": link})
        if mid == "5":
            link = '<%s&max_id=3>; rel="next", <%s&min_id=4>; rel="prev"' % (absu, absu)
            return self.fx("mastodon_p2.json", headers={"Link": link})
        if mid == "3":
            return self.fx("mastodon_p3.json", headers={"Link": '<%s&min_id=2>; rel="prev"' % absu})
        self.send(400, b'{"error":"unexpected max_id"}')

    def r_s03(self):  # page (apple): /us/rss/customerreviews/page=N/id=.../json
        try:
            n = int(self.rest.split("page=")[1].split("/")[0])
        except (IndexError, ValueError):
            return self.send(400)
        if not self.scen.endswith("cap"):
            return self.fx("apple_p%d.json" % n) if 1 <= n <= 4 else self.send(400, b"{}")
        # s03-cap: every page is full; the preset's 10-page cap must stop us
        entries = [{"id": {"label": "cap%d_%d" % (n, i)}, "im:rating": {"label": "4"},
                    "title": {"label": "t"}, "content": {"label": "review %d/%d" % (n, i)}} for i in range(3)]
        self.send(200, json.dumps({"feed": {"entry": entries}}).encode())

    def r_s04(self):  # after (reddit)
        a = self.q.get("after")
        if a is None:
            return self.fx("reddit_p1.json")
        if a == "t3_zz2":
            return self.fx("reddit_p2.json")
        self.send(400)

    def r_s05(self):  # has_more + backoff (stack exchange), always gzip
        p = self.q.get("page")
        self.fx("se_p%s.json" % p if p in ("1", "2") else "se_p2.json", gz=True)

    # -- retry scenarios (hn preset, page kind) ------------------------------------
    def r_s06(self):  # 429 with Retry-After seconds, once
        if self.count == 0:
            return self.send(429, b'{"message":"slow down"}', headers={"Retry-After": "2"})
        self.fx("hn_p0.json")

    def r_s07(self):  # 429/403 with HTTP-date or reset headers in each unit
        kind = self.scen.split("-")[1]
        if self.count == 0:
            now = time.time()
            if kind == "date":
                h = {"Retry-After": email.utils.formatdate(now + 3, usegmt=True)}
                return self.send(429, b"{}", headers=h)
            if kind == "github":
                h = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(now) + 3)}
                return self.send(403, b'{"message":"API rate limit exceeded"}', headers=h)
            if kind == "githubpast":
                h = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(now) - 100)}
                return self.send(429, b'{"message":"API rate limit exceeded"}', headers=h)
            if kind == "mastodon":
                t = time.gmtime(now + 2.5)
                iso = time.strftime("%Y-%m-%dT%H:%M:%S", t) + ".%03dZ" % int((now % 1) * 1000)
                h = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": iso}
                return self.send(429, b'{"error":"Too many requests"}', headers=h)
            if kind == "reddit":
                h = {"x-ratelimit-remaining": "0.0", "x-ratelimit-reset": "2", "x-ratelimit-used": "100"}
                return self.send(429, b'{"message":"Too Many Requests"}', headers=h)
        if kind in ("github", "githubpast"):
            return self.fx("github_p2.json")
        if kind == "mastodon":
            return self.fx("mastodon_p3.json")
        if kind == "reddit":
            return self.fx("reddit_p2.json")
        self.fx("hn_p0.json")

    def r_s08(self):  # huge Retry-After on page 1 the first time only
        p = int(self.q.get("page", "0"))
        if p == 1 and self.count == 0:
            return self.send(429, b"{}", headers={"Retry-After": "86400"})
        self.send(200, hn_page(p, 3, 2))

    def r_s09(self):  # 5xx
        if self.scen == "s09-always":
            return self.send(500, b'{"message":"boom"}')
        if self.count == 0:
            return self.send(503, b"busy")
        if self.count == 1:
            return self.send(502, b"bad gateway")
        self.fx("hn_p0.json")

    def r_s10(self):  # auth / policy
        if self.scen == "s10-401":
            return self.send(401, b'{"error":"This API requires an authenticated user"}')
        self.send(403, b'{"message":"Forbidden by policy"}')

    def r_s11(self):  # malformed page 1
        p = int(self.q.get("page", "0"))
        if p == 0:
            return self.send(200, hn_page(0, 2, 3))
        kind = self.scen.split("-")[1]
        bodies = {
            "html": (b"<html><body>Service Unavailable</body></html>", "text/html"),
            "trunc": (b'{"hits":[{"objectID":"x1","comment_text":"a"}', "application/json"),
            "xff": (b'{"hits":[{"objectID":"x2","comment_text":"bad \xff byte"}],"nbPages":3}', "application/json"),
            "surrogate": (b'{"hits":[{"objectID":"x3","comment_text":"lone \\ud83d here"}],"nbPages":3}', "application/json"),
            "bigint": (b'{"hits":[{"objectID":"x4","comment_text":"big","points":1180591620717411303424}],"nbPages":3}', "application/json"),
            "type": (b'{"hits":"not an array","nbPages":3}', "application/json"),
        }
        body, ctype = bodies[kind]
        self.send(200, body, ctype=ctype)

    def r_s12(self):  # truncated body: Content-Length 5000, 1200 bytes, close
        if self.count == 0:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(hn_page(0, 30, 1)[:1200])
            self.wfile.flush()
            self.close_connection = True
            return
        self.fx("hn_p0.json")

    def r_s13(self):  # gzip variants
        body = fixture("hn_p0.json", self.server.server_port)
        kind = self.scen.split("-")[1]
        if kind == "ok":
            return self.send(200, body, gz=True)
        if kind == "nohdr":
            return self.send(200, gzip.compress(body))
        if kind == "corrupt":
            bad = bytearray(gzip.compress(body))
            for i in range(12, min(len(bad), 40)):
                bad[i] ^= 0x5A
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(bad)))
            self.end_headers()
            self.wfile.write(bytes(bad))

    def r_s14(self):  # redirects
        kind = self.scen.split("-")[1]
        port = self.server.server_port
        if self.rest.startswith("/final"):
            return self.fx("github_p2.json")
        if kind == "same":
            return self.send(301, b"", headers={"Location": "/s/%s/final" % self.scen})
        if kind == "chain":
            n = int(self.q.get("hop", "0"))
            return self.send(302, b"", headers={"Location": "/s/%s/repos/a/b/issues?hop=%d" % (self.scen, n + 1)})
        if kind == "otherhost":
            return self.send(302, b"", headers={"Location": "http://localhost:%d/s/%s/final" % (port, self.scen)})
        if kind == "ftp":
            return self.send(302, b"", headers={"Location": "ftp://127.0.0.1:%d/x" % port})

    def r_s15(self):  # slow / big
        kind = self.scen.split("-")[1]
        if kind == "slow":
            if self.count == 0:
                body = fixture("hn_p0.json", self.server.server_port)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for i in range(8):  # one byte per 2 s
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(2)
                return
            return self.fx("hn_p0.json")
        big = json.dumps({"hits": [{"objectID": "b%d" % i, "comment_text": "x" * 1000} for i in range(200)],
                          "nbPages": 1}).encode()
        self.send(200, big)

    def r_s16(self):  # dupes & loops (generic cursor mode)
        c = self.q.get("cursor", "")
        pages = {
            "": {"data": [{"key": "a", "body": "one"}, {"key": "b", "body": "two"}, {"key": "c", "body": "three"}], "next": "k1"},
            "k1": {"data": [{"key": "b", "body": "two"}, {"key": "c", "body": "three"}, {"key": "d", "body": "four"}], "next": "k2"},
            "k2": {"data": [{"key": "e", "body": "five"}], "next": "k2"},
        }
        self.send(200, json.dumps(pages.get(c, {"data": []})).encode())

    def r_s17(self):  # empty page that still carries a cursor
        c = self.q.get("cursor", "")
        if c == "":
            return self.send(200, json.dumps({"posts": [{"uri": "at://x/1", "record": {"text": "hi"}}], "cursor": "x"}).encode())
        self.send(200, json.dumps({"posts": [], "cursor": "x" + c}).encode())

    def r_s18(self):  # pre-emptive pacing from X-RateLimit-Remaining: 0 (reddit, delta unit)
        h = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "2", "x-ratelimit-used": "10"}
        if self.q.get("after") is None:
            return self.fx("reddit_p1.json", headers=h)
        self.fx("reddit_p2.json", headers={"x-ratelimit-remaining": "99", "x-ratelimit-reset": "60"})

    def r_s19(self):  # resume: 5 pages; page 3 is slow while the server is "slow" (set by the test)
        p = int(self.q.get("page", "0"))
        if p == 2 and self.server.flags.get("slow"):
            deadline = time.monotonic() + 20
            while self.server.flags.get("slow") and time.monotonic() < deadline:
                time.sleep(0.05)
        self.send(200, hn_page(p, 4, 5))

    def r_s20(self):  # secrets: server echoes the token back everywhere it can
        tok = self.server.flags.get("token", "")
        if self.rest.endswith("createSession"):
            return self.bsky()
        if self.rest.startswith("/xrpc"):
            if self.bsky() is not True:
                return
            if self.q.get("cursor") is None:
                return self.send(200, json.dumps({"posts": [{"uri": "at://d/p/1", "author": {"handle": "h"},
                                                             "record": {"text": "jwt " + BSKY_JWT}}],
                                                  "cursor": "c-" + BSKY_JWT}).encode())
            return self.send(200, b'{"posts":[]}')
        if self.rest.startswith("/youtube"):
            if self.q.get("pageToken") is None:
                return self.fx("youtube_p1.json")
            return self.send(500, ('{"error":{"message":"bad key %s"}}' % self.q.get("key")).encode()) \
                if self.count == 0 else self.fx("youtube_p2.json")
        page = self.q.get("page", "1")
        nxt = '<%s/repos/acme/app/issues?state=all&per_page=100&page=2&access_token=%s>; rel="next"' % (self.base(), tok)
        if page == "1":
            items = [{"id": 1, "title": "token leak " + tok, "body": "see " + tok, "user": {"login": "u"},
                      "created_at": "2025-03-01T00:00:00Z", "html_url": "https://github.com/x?t=" + tok}]
            return self.send(200, json.dumps(items).encode(), headers={"Link": nxt})
        if self.count == 0:
            return self.send(500, ('{"message":"internal error for token %s"}' % tok).encode())
        self.fx("github_p2.json")

    def r_x01(self):  # bsky session expires once: 401 then a refreshed session works
        if self.rest.endswith("createSession"):
            return self.bsky()
        if self.rest.endswith("refreshSession"):
            if self.command != "POST" or self.headers.get("Authorization") != "Bearer " + BSKY_REFRESH:
                return self.send(400, b'{"error":"InvalidToken"}')
            return self.send(200, json.dumps({"accessJwt": BSKY_JWT, "refreshJwt": BSKY_REFRESH,
                                              "handle": "ben.example.com", "did": "did:plc:x"}).encode())
        if self.server.flags.get("expired_once") is None:
            self.server.flags["expired_once"] = True
            return self.send(401, b'{"error":"ExpiredToken","message":"Token has expired"}')
        if self.bsky() is True:
            self.fx("bsky_p3.json")

    def r_x02(self):  # a Link rel=next to another host must not receive the token
        if self.rest.startswith("/final"):
            return self.fx("github_p2.json")
        link = '<http://localhost:%d/s/%s/final>; rel="next"' % (self.server.server_port, self.scen)
        self.fx("github_p1.json", headers={"Link": link})

    def valid_bearer(self):
        auth = self.headers.get("Authorization", "")
        return auth.startswith("Bearer ") and auth[7:] in self.server.flags.setdefault("valid", set())

    def new_token(self, tok):
        fl = self.server.flags
        fl["logins"] = fl.get("logins", 0) + 1
        fl.setdefault("valid", set()).add(tok)
        return tok

    def r_x03(self):  # bsky sessions with real JWT expiry; the test can revoke every token
        fl = self.server.flags
        if self.rest.endswith("createSession"):
            body = json.loads(self.body or b"{}")
            if body.get("password") != "app-pw-x03":
                return self.send(401, b'{"error":"AuthenticationRequired"}')
            tok = self.new_token(make_jwt(fl.get("logins", 0) + 1, int(time.time()) + fl.get("ttl", 7200)))
            if fl.get("evil"):  # a header smuggled into the token
                tok = tok + "\r\nX-Evil: 1"
            # a refresh token the server never honours: x03 is about logins (x10 refreshes)
            return self.send(200, json.dumps({"accessJwt": tok, "refreshJwt": "refresh-never-accepted",
                                              "handle": body["identifier"]}).encode())
        if not self.valid_bearer():
            return self.send(401, b'{"error":"ExpiredToken","message":"Token has expired"}')
        posts = [{"uri": "at://did:plc:mock/app.bsky.feed.post/p%d" % i, "author": {"handle": "h.example"},
                  "record": {"text": "post %d" % i, "createdAt": "2025-03-01T00:00:0%dZ" % i}} for i in range(2)]
        self.send(200, json.dumps({"posts": posts}).encode())

    def r_x10(self):  # bsky sessions with refreshSession: refresh tokens rotate, the test can revoke
        fl = self.server.flags
        valid_refresh = fl.setdefault("valid_refresh", set())
        if self.rest.endswith("createSession"):
            body = json.loads(self.body or b"{}")
            if body.get("password") != "app-pw-x10":
                return self.send(401, b'{"error":"AuthenticationRequired"}')
        elif self.rest.endswith("refreshSession"):
            auth = self.headers.get("Authorization", "")
            if self.command != "POST" or fl.get("refresh_fail") or auth[7:] not in valid_refresh:
                return self.send(400, b'{"error":"ExpiredToken","message":"Token has expired"}')
            valid_refresh.discard(auth[7:])  # spent: a refresh token works once
            fl["refreshes"] = fl.get("refreshes", 0) + 1
        else:
            if not self.valid_bearer():
                return self.send(401, b'{"error":"ExpiredToken","message":"Token has expired"}')
            c = self.q.get("cursor")
            posts = [{"uri": "at://did:plc:mock/app.bsky.feed.post/%s%d" % (c or "p", i), "author": {"handle": "h.example"},
                      "record": {"text": "post %d" % i, "createdAt": "2025-03-01T00:00:0%dZ" % i}} for i in range(2)]
            page = {"posts": posts}
            if c is None and fl.get("pages", 1) > 1:
                page["cursor"] = "c1"
            return self.send(200, json.dumps(page).encode())
        n = fl.get("issued", 0) + 1
        fl["issued"] = n
        acc = make_jwt(n, int(time.time()) + fl.get("ttl", 7200))
        fl.setdefault("valid", set()).add(acc)
        ref = make_jwt(1000 + n, int(time.time()) + 90 * 86400).replace("sig", "rsig")
        if fl.get("evil_refresh"):
            ref += "\r\nX-Evil: 1"
        valid_refresh.add(ref)
        self.send(200, json.dumps({"accessJwt": acc, "refreshJwt": ref, "handle": "ben.example.com",
                                   "did": "did:plc:mock"}).encode())

    def r_x07(self):  # reddit app-only OAuth: opaque token with expires_in
        fl = self.server.flags
        if self.rest.endswith("access_token"):
            if self.headers.get("Authorization") != "Basic " + base64.b64encode(b"rid-123:rsecret-456").decode():
                return self.send(401, b'{"message":"Unauthorized"}')
            tok = self.new_token("rtok-%d-opaque" % (fl.get("logins", 0) + 1))
            return self.send(200, json.dumps({"access_token": tok, "token_type": "bearer",
                                              "expires_in": fl.get("expires_in", 3600), "scope": "*"}).encode())
        if not self.valid_bearer():
            return self.send(401, b'{"message":"Unauthorized"}')
        self.fx("reddit_p2.json")

    def r_x04(self):  # a newest-first feed that grows at the top between runs (--append)
        new = self.server.flags.get("new", 0)
        items = [("new%d" % j, 1740830400 + (j + 1) * 100) for j in range(new - 1, -1, -1)]
        items += [("old%d" % i, 1740830400 - i * 100) for i in range(20)]
        p = int(self.q.get("page", "0"))
        hits = [{"objectID": oid, "author": "u", "created_at_i": t, "comment_text": "item " + oid}
                for oid, t in items[p * 4:(p + 1) * 4]]
        self.send(200, json.dumps({"hits": hits, "nbPages": (len(items) + 3) // 4}).encode())

    def r_x05(self):  # Algolia-style search that serves 10 hits per query (numericFilters windows)
        kind = self.scen.split("-", 1)[1] if "-" in self.scen else ""
        items = [("w%02d" % i, t) for i, t in enumerate(x05_times(kind))]
        nf = self.q.get("numericFilters")
        if nf is not None and kind != "deaf":
            items = numeric_filter(items, nf)
            if items is None:
                return self.send(400, b'{"message":"invalid numericFilters"}')
        visible = items[:10]
        p = int(self.q.get("page", "0"))
        if kind == "block" and nf is not None and p == 1 and self.server.flags.pop("block", False):
            return self.send(429, b"{}", headers={"Retry-After": "86400"})
        hits = [{"objectID": oid, "author": "u", "comment_text": "hit " + oid} for oid, t in visible[p * 4:(p + 1) * 4]]
        if kind != "notime":
            for h, (oid, t) in zip(hits, visible[p * 4:(p + 1) * 4]):
                h["created_at_i"] = t
        self.send(200, json.dumps({"hits": hits, "nbHits": len(items), "page": p,
                                   "nbPages": (len(visible) + 3) // 4}).encode())

    def r_x06(self):  # GitHub-style search: 3 results per search, 2 per page, created:<= windows in q
        q = self.q.get("q", "")
        items = [("%d" % (500 + i), t) for i, t in enumerate(X06_TIMES)]
        for op, bound in re.findall(r" created:(<=|>=)(\S+)", q):
            b = calendar.timegm(time.strptime(bound, "%Y-%m-%dT%H:%M:%SZ"))
            items = [x for x in items if (x[1] <= b if op == "<=" else x[1] >= b)]
        visible = items[:3]
        p = int(self.q.get("page", "1"))
        page = visible[(p - 1) * 2:p * 2]
        out = [{"id": int(i), "number": int(i), "title": "issue " + i, "body": "b", "user": {"login": "u"},
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)),
                "html_url": "https://github.com/acme/app/issues/" + i} for i, t in page]
        h = {}
        if p * 2 < len(visible):
            nq = dict(self.q, page=str(p + 1))
            h["Link"] = '<%s/search/issues?%s>; rel="next"' % (self.base(), urllib.parse.urlencode(nq))
        self.send(200, json.dumps({"total_count": len(items), "incomplete_results": False,
                                   "items": out}).encode(), headers=h)

    def r_x08(self):  # hn-style pages whose last items are skipped (empty, [deleted])
        pages = [[("a0", "one"), ("a1", "two"), ("a2", "")],
                 [("b0", "three"), ("b1", "four"), ("b2", "[deleted]")],
                 [("c0", "five")]]
        p = int(self.q.get("page", "0"))
        hits = [{"objectID": oid, "author": "u", "created_at_i": 1740830400 - 100 * (3 * p + i),
                 "comment_text": text} for i, (oid, text) in enumerate(pages[p] if 0 <= p < 3 else [])]
        self.send(200, json.dumps({"hits": hits, "nbPages": 3}).encode())

    def r_x09(self):  # server-side time filters of hn, stackexchange, bsky, github; "deaf" ignores them
        deaf = self.scen.endswith("deaf")
        items = [("i%d" % i, t) for i, t in enumerate(X09_TIMES)]
        r = self.rest
        if r.endswith("createSession"):
            return self.bsky()
        if "search_by_date" in r:
            nf = self.q.get("numericFilters")
            if nf is not None and not deaf:
                items = numeric_filter(items, nf)
                if items is None:
                    return self.send(400, b'{"message":"invalid numericFilters"}')
            hits = [{"objectID": i, "author": "u", "created_at_i": t, "comment_text": "hit " + i} for i, t in items]
            return self.send(200, json.dumps({"hits": hits, "nbPages": 1}).encode())
        if "/search/advanced" in r:
            if "fromdate" in self.q and not deaf:
                items = [x for x in items if x[1] >= int(self.q["fromdate"])]
            out = [{"question_id": 100 + int(i[1:]), "title": "q " + i, "body": "<p>b</p>", "owner": {"display_name": "u"},
                    "creation_date": t, "link": "https://stackoverflow.com/q/%s" % i} for i, t in items]
            return self.send(200, json.dumps({"items": out, "has_more": False}).encode(), gz=True)
        if "searchPosts" in r:
            if self.bsky() is not True:
                return
            if "since" in self.q and not deaf:
                b = calendar.timegm(time.strptime(self.q["since"], "%Y-%m-%dT%H:%M:%SZ"))
                items = [x for x in items if x[1] >= b]
            posts = [{"uri": "at://did:plc:x/app.bsky.feed.post/" + i, "author": {"handle": "h.example"},
                      "record": {"text": "post " + i, "createdAt": iso(t)}} for i, t in items]
            return self.send(200, json.dumps({"posts": posts}).encode())
        if "/search/issues" in r:
            for op, bound in re.findall(r" created:(<=|>=)(\S+)", self.q.get("q", "")):
                if deaf:
                    break
                b = calendar.timegm(time.strptime(bound, "%Y-%m-%dT%H:%M:%SZ"))
                items = [x for x in items if (x[1] <= b if op == "<=" else x[1] >= b)]
        elif "/repos/" in r:
            if "since" in self.q and not deaf:  # updated since: every item was updated an hour after creation
                b = calendar.timegm(time.strptime(self.q["since"], "%Y-%m-%dT%H:%M:%SZ"))
                items = [x for x in items if x[1] + 3600 >= b]
        else:
            return self.send(404)
        out = [{"id": 900 + int(i[1:]), "title": "issue " + i, "body": "b", "user": {"login": "u"},
                "created_at": iso(t), "html_url": "https://github.com/a/b/issues/" + i} for i, t in items]
        self.send(200, json.dumps({"items": out} if "/search/" in r else out).encode())

    def r_s21(self):  # unicode
        self.fx("mastodon_unicode.json")

    # -- golden: every preset against its fixtures ------------------------------------
    def r_g(self):
        src = self.scen.split("-", 1)[1]
        port = self.server.server_port
        if src == "apple":
            return self.r_s03()
        if src == "mastodon":
            return self.r_s02()
        if src == "bsky":
            return self.r_s01()
        if src == "reddit":
            return self.r_s04()
        if src == "hn":
            return self.fx("hn_p0.json")
        if src == "stackexchange":
            return self.fx("se_p%s.json" % self.q.get("page", "1"), gz=True)
        if src == "github":
            if self.q.get("page") == "2":
                return self.fx("github_p2.json")
            link = '<http://127.0.0.1:%d/s/%s/repos/acme/app/issues?state=all&per_page=100&page=2>; rel="next"' % (port, self.scen)
            return self.fx("github_p1.json", headers={"Link": link})
        if src == "youtube":
            if self.q.get("key") != "yt-test-key":
                return self.send(403, b'{"error":{"message":"API key missing"}}')
            return self.fx("youtube_p2.json" if self.q.get("pageToken") == "QURTSl9p" else "youtube_p1.json")
        if src == "trustpilot":
            return self.fx("trustpilot_p%s.json" % ("1" if self.q.get("page") == "1" else "2"))
        self.send(404)


class MockServer:
    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.log = []
        self.httpd.counts = {}
        self.httpd.flags = {}
        self.httpd.lock = threading.Lock()
        self.port = self.httpd.server_port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def flags(self):
        return self.httpd.flags

    def requests(self, scen=None, method="GET"):
        with self.httpd.lock:
            return [r for r in self.httpd.log if (scen is None or r["scen"] == scen)
                    and (method is None or r["method"] == method)]

    def base(self, scen):
        return "http://127.0.0.1:%d/s/%s" % (self.port, scen)


if __name__ == "__main__":
    with MockServer() as m:
        print(m.port, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
