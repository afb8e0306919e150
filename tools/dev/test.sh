#!/usr/bin/env bash
# Set up, build and run every test: the plain build, then the whole suite again under
# AddressSanitizer + UndefinedBehaviorSanitizer, then the thread test under ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/../.."
tools/dev/deps.sh test
jobs=$(nproc)

run_suite() { # build-dir, extra cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCXSENT_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  ctest --test-dir "$dir" --output-on-failure -j"$jobs"
}

echo "== plain build =="
run_suite build-test

echo "== ASan + UBSan =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 CK_FORK=no \
  run_suite build-asan -DCXSENT_SANITIZE=address,undefined -DCMAKE_C_COMPILER=clang

echo "== TSan thread test =="
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCXSENT_SANITIZE=thread \
  -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build build-tsan -j"$jobs"
ctest --test-dir build-tsan --output-on-failure --no-tests=error -R 'reliability\.threads'
