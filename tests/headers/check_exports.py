#!/usr/bin/python3
"""The shared library exports exactly the CXS_API functions of cxsent.h (headers.exports).

Three lists must be equal: the functions declared CXS_API in include/cxsent.h, the global
names of lib/cxsent.map, and the symbols `nm -D --defined-only` finds in the library (each
versioned CXSENT_0). Anything else exported, or anything declared but not exported, fails.

usage: check_exports.py NM LIBRARY HEADER MAP
"""
import re
import subprocess
import sys

nm, lib, header, mapfile = sys.argv[1:5]

with open(header, encoding="utf-8") as f:
    text = re.sub(r"/\*.*?\*/", " ", f.read(), flags=re.S)
text = re.sub(r"\\\n", " ", text)                        # continued lines
text = re.sub(r"^\s*#.*$", " ", text, flags=re.M)       # preprocessor lines
declared = set(re.findall(r"\bCXS_API\b[^;(]*?\b(\w+)\s*\(", text))
# every CXS_API declaration must have been understood
n_api = len(re.findall(r"\bCXS_API\b", text))

with open(mapfile, encoding="utf-8") as f:
    m = f.read()
m = re.sub(r"/\*.*?\*/", " ", m, flags=re.S)
glob = re.search(r"global:(.*?)local:", m, re.S)
mapped = set(re.findall(r"(\w+)\s*;", glob.group(1))) if glob else set()
nodes = set(re.findall(r"^\s*(\w+)\s*\{", m, re.M))

out = subprocess.run([nm, "-D", "--defined-only", lib], capture_output=True, text=True,
                     check=True).stdout
exported, unversioned = set(), set()
for line in out.splitlines():
    parts = line.split()
    if len(parts) < 3:
        continue
    kind, name = parts[1], parts[2]
    if kind == "A" and name.partition("@")[0] in nodes:  # the version node ("CXSENT_0@@CXSENT_0")
        continue
    base, _, version = name.partition("@")
    exported.add(base)
    if version.lstrip("@") not in nodes:
        unversioned.add(name)

fail = []
if n_api != len(declared):
    fail.append("could parse only %d of %d CXS_API declarations" % (len(declared), n_api))
if len(declared) < 20:
    fail.append("only %d CXS_API functions found in the header" % len(declared))
for what, a, b in (("declared in the header but not exported", declared, exported),
                   ("exported but not declared CXS_API", exported, declared),
                   ("declared in the header but not in cxsent.map", declared, mapped),
                   ("in cxsent.map but not declared in the header", mapped, declared)):
    if a - b:
        fail.append("%s: %s" % (what, ", ".join(sorted(a - b))))
if unversioned:
    fail.append("exported without the map's version node: %s" % ", ".join(sorted(unversioned)))
bad_prefix = sorted(s for s in exported if not s.startswith("cxs_"))
if bad_prefix:
    fail.append("exported names without the cxs_ prefix: %s" % ", ".join(bad_prefix))

for f in fail:
    print("FAIL:", f, file=sys.stderr)
if fail:
    sys.exit(1)
print("exports: %d functions, header == map == library" % len(declared))
