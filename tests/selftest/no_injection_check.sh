#!/usr/bin/env bash
# Build check: the shipped module has no self-test failure injection (docs/SELF_TESTS.md).
#
# Usage: no_injection_check.sh MODULE TESTHOOKS_MODULE
# The injection switch reads the environment variable CRATON_HSM_SELFTEST_INJECT and is the
# function craton::selftest::inject::armed; neither the variable's name nor the function (its
# mangled name, e.g. in debug information) may appear anywhere in MODULE. Both must appear in the
# test module, so that the check cannot pass because the strings changed. Both modules must carry
# a 64-digit integrity value beside them.
set -euo pipefail
export LC_ALL=C

module=${1:?usage: no_injection_check.sh MODULE TESTHOOKS_MODULE}
testhooks=${2:?usage: no_injection_check.sh MODULE TESTHOOKS_MODULE}
failed=0
pass() { echo "ok:   $1"; }
bad() { echo "FAIL: $1"; failed=1; }

for needle in CRATON_HSM_SELFTEST_INJECT 6inject5armed; do
  if grep -aq "$needle" "$module"; then bad "$needle found in $module"; else pass "$needle absent from the module"; fi
  if grep -aq "$needle" "$testhooks"; then pass "$needle present in the test module"; else bad "$needle missing from $testhooks"; fi
done
for m in "$module" "$testhooks"; do
  real=$(readlink -f "$m")
  if [[ -f $real.hmac ]] && grep -Eqx '[0-9a-f]{64}' "$real.hmac"; then pass "integrity value beside $(basename "$real")"
  else bad "no integrity value $real.hmac"; fi
done
exit $failed
