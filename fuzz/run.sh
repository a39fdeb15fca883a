#!/usr/bin/env bash
# Builds the libFuzzer targets into build-fuzz/ (clang-14) and runs each one for SECONDS (default 60)
# on a working copy of its seed corpus (fuzz/corpus/<target>, plus fuzz/dict/<target>.dict where one
# exists). Fails as soon as a target reports a crash, leak, sanitizer error or timeout; the input
# that triggered it is left in build-fuzz/fuzz-artifacts/<target>/.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      e.g. fuzz/run.sh 20   or   fuzz/run.sh 300 fuzz_template
# Environment: BUILD_DIR (build-fuzz), CC/CXX (clang-14/clang++-14), FUZZ_FLAGS (extra libFuzzer flags).
set -euo pipefail

SECONDS_PER_TARGET=${1:-60}
shift || true
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-fuzz}
ALL_TARGETS=(fuzz_object_codec fuzz_config fuzz_template fuzz_pin_vault fuzz_module_api fuzz_key_der)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL_TARGETS[@]}")

if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  CC=${CC:-clang-14} CXX=${CXX:-clang++-14} cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCRATON_BUILD_FUZZERS=ON -DCRATON_BUILD_TESTS=OFF \
    -DCRATON_BUILD_TOOLS=OFF -DCRATON_BUILD_BENCH=OFF
fi
cmake --build "$BUILD_DIR" --target "${TARGETS[@]}" -j "${JOBS:-2}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
summary=""
for t in "${TARGETS[@]}"; do
  work="$BUILD_DIR/fuzz-corpus/$t"
  artifacts="$BUILD_DIR/fuzz-artifacts/$t"
  mkdir -p "$work" "$artifacts"
  [ -d "$ROOT/fuzz/corpus/$t" ] && cp -n "$ROOT/fuzz/corpus/$t"/* "$work"/ 2>/dev/null || true
  dict=()
  [ -f "$ROOT/fuzz/dict/$t.dict" ] && dict=(-dict="$ROOT/fuzz/dict/$t.dict")
  log="$BUILD_DIR/fuzz-artifacts/$t.log"
  echo "== $t: ${SECONDS_PER_TARGET}s (log: $log)"
  if ! "$BUILD_DIR/fuzz/$t" "$work" "${dict[@]}" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
       -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" ${FUZZ_FLAGS:-} >"$log" 2>&1; then
    grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -20 || true
    echo "fuzz/run.sh: $t FAILED (reproduce: $BUILD_DIR/fuzz/$t <artifact>)"
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  summary+=$(printf '  %-18s %10s execs in %ss' "$t" "${runs:-?}" "$SECONDS_PER_TARGET")$'\n'
done
echo "fuzz/run.sh: no crashes"
printf '%s' "$summary"
