#!/usr/bin/env bash
# Install the Debian packages the build and the tests need, skipping what is installed.
# Usage: tools/dev/deps.sh [build|test]   (test adds the test-only packages)
set -euo pipefail
want=(cmake make gcc pkg-config libutf8proc-dev libpcre2-dev libjansson-dev libcurl4-openssl-dev)
if [ "${1:-build}" = test ]; then
  want+=(check g++ clang libclang-rt-14-dev python3 binutils)
  want+=(python3-pytest python3-pandas python3-dask)  # bindings/python tests
fi
missing=()
for p in "${want[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
