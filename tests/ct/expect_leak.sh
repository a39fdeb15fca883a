#!/usr/bin/env bash
# Runs a deliberately leaky self-check under valgrind and passes only if memcheck reported it:
# valgrind exits with the --error-exitcode given in the command, the log names the expected error
# kind, and the error is located in tests/ct/selfcheck.cpp.
#   usage: expect_leak.sh <error exit code> <expected memcheck message> <valgrind command...>
set -uo pipefail
code=$1 kind=$2
shift 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$@" >"$log" 2>&1
rc=$?
cat "$log"
fail() { echo "expect_leak: $*; the constant-time checks would pass vacuously" >&2; exit 1; }
((rc == code)) || fail "valgrind exit status $rc, expected $code (memcheck errors reported)"
grep -q -- "$kind" "$log" || fail "no '$kind' report"
grep -q "selfcheck.cpp" "$log" || fail "the report does not point into selfcheck.cpp"
grep -Eq 'ERROR SUMMARY: [1-9][0-9]* errors' "$log" || fail "no error in valgrind's summary"
echo "expect_leak: memcheck reported the deliberate leak ('$kind'), as it must"
