#!/usr/bin/env bash
# Static analysis of src/ and tools/: cppcheck (suppressions in scripts/cppcheck.suppress) and
# clang-tidy-14 (checks in .clang-tidy), both driven by the compile_commands.json of a CMake build
# tree. Exits non-zero if either reports anything.
#
#   scripts/static-analysis.sh [cppcheck|clang-tidy|all]      (default all)
# Environment: BUILD_DIR (build; configured here if it has no compile_commands.json), JOBS (2).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-2}
WHAT=${1:-all}

if [ ! -f "$BUILD_DIR/compile_commands.json" ]; then
  echo "== configuring $BUILD_DIR for compile_commands.json"
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
status=0

run_cppcheck() {
  command -v cppcheck >/dev/null || { echo "cppcheck not installed (apt-get install cppcheck)"; return 1; }
  echo "== cppcheck $(cppcheck --version | awk '{print $2}')"
  local start=$SECONDS rc=0
  mkdir -p "$OUT/cppcheck-build"
  cppcheck --project="$BUILD_DIR/compile_commands.json" --file-filter='src/*' --file-filter='tools/*' \
    --enable=warning,style,performance,portability --std=c++20 --inline-suppr \
    --suppressions-list=scripts/cppcheck.suppress --cppcheck-build-dir="$OUT/cppcheck-build" \
    -j "$JOBS" --quiet --error-exitcode=1 \
    --template='{file}:{line}:{column}: {severity}: {message} [{id}]' 2>"$OUT/cppcheck.txt" >"$OUT/cppcheck.log" \
    || rc=$?
  echo "   $((SECONDS - start)) s"
  if [ "${rc:-0}" -ne 0 ] && [ ! -s "$OUT/cppcheck.txt" ]; then
    cat "$OUT/cppcheck.log"
    echo "cppcheck failed to run (exit ${rc})"
    return 1
  fi
  if [ -s "$OUT/cppcheck.txt" ]; then
    cat "$OUT/cppcheck.txt"
    echo "cppcheck: $(grep -c ': ' "$OUT/cppcheck.txt") finding(s)"
    return 1
  fi
  echo "   cppcheck: clean"
}

run_clang_tidy() {
  local tidy runner
  tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
  runner=$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)
  [ -n "$tidy" ] && [ -n "$runner" ] || { echo "clang-tidy not installed (apt-get install clang-tidy)"; return 1; }
  echo "== $("$tidy" --version | grep -o 'LLVM version [0-9.]*')"
  local start=$SECONDS
  # Only our translation units; headers are filtered by HeaderFilterRegex in .clang-tidy.
  "$runner" -clang-tidy-binary "$tidy" -p "$BUILD_DIR" -j "$JOBS" -quiet "$ROOT/(src|tools)/.*\\.cpp\$" \
    >"$OUT/tidy.txt" 2>&1 || true
  echo "   $((SECONDS - start)) s"
  sed -r 's/\x1b\[[0-9;]*m//g' "$OUT/tidy.txt" | grep -E '^/.*: (warning|error): ' | sort -u >"$OUT/tidy-findings.txt" || true
  if [ -s "$OUT/tidy-findings.txt" ]; then
    sed -r 's/\x1b\[[0-9;]*m//g' "$OUT/tidy.txt" | grep -v -E '^(clang-tidy|[0-9]+ warnings? (and [0-9]+ errors? )?generated|Suppressed|Use -header-filter|Enabled checks|Running clang-tidy)' || true
    echo "clang-tidy: $(wc -l <"$OUT/tidy-findings.txt") finding(s)"
    return 1
  fi
  echo "   clang-tidy: clean"
}

case "$WHAT" in
  cppcheck) run_cppcheck || status=1 ;;
  clang-tidy) run_clang_tidy || status=1 ;;
  all) run_cppcheck || status=1; run_clang_tidy || status=1 ;;
  *) echo "usage: $0 [cppcheck|clang-tidy|all]"; exit 2 ;;
esac
[ "$status" -eq 0 ] && echo "static analysis: clean" || echo "static analysis: FINDINGS"
exit "$status"
