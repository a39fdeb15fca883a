#!/usr/bin/env bash
# Test (ctest bench.interleave): craton_bench runs its repetitions interleaved across the modules
# and merges them, and --module-config reaches only the module it names.
#
# Usage: interleave_check.sh CRATON_BENCH MODULE
# Runs one fast row on two module names for the same library (the second with the audit log off)
# with two repetitions and checks the report: every target has exactly two values for the row,
# the console shows the rounds in rotated order, the settings name the per-module line, the
# recorded command can be pasted into a shell, and a malformed --module-config is a usage error (exit 2) before anything runs.
set -euo pipefail
bench=${1:?usage: interleave_check.sh CRATON_BENCH MODULE}
module=${2:?usage: interleave_check.sh CRATON_BENCH MODULE}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

failed=0
pass() { echo "ok:   $1"; }
bad() { echo "FAIL: $1"; failed=1; }

"$bench" --module "on=$module" --module "off=$module" --module-config 'off=audit.enabled = false' \
  --filter '^random/32$' --repetitions 2 --min-time 0.01 --out "$out" > "$out/console.txt" 2>&1 ||
  { cat "$out/console.txt"; echo "FAIL: craton_bench exited with $?"; exit 1; }

rounds=$(grep -o '^-- round [0-9] of 2: [a-z]*' "$out/console.txt" | tr '\n' ',')
if [[ $rounds == "-- round 1 of 2: on,-- round 1 of 2: off,-- round 1 of 2: raw,-- round 2 of 2: off,-- round 2 of 2: raw,-- round 2 of 2: on," ]]; then
  pass "each round measures every target once, the order rotated"
else
  bad "rounds in the wrong order: $rounds"
fi

counts=$(/usr/bin/python3 - "$out/results.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
row = next(r for r in report["rows"] if r["id"] == "random/32")
print(" ".join(f"{name}={len(res.get('repetitions', []))}" for name, res in sorted(row["results"].items())))
PY
)
[[ $counts == "off=2 on=2 raw=2" ]] && pass "two values per target merged ($counts)" || bad "values per target: $counts"

grep -q '2 interleaved repetition(s)' "$out/results.md" && pass "the report says the repetitions were interleaved" ||
  bad "results.md does not mention the interleaved repetitions"
grep -q 'off: audit.enabled = false' "$out/results.md" && pass "the per-module configuration line is in the settings" ||
  bad "results.md does not name the per-module configuration"

grep -qF -- "--module-config 'off=audit.enabled = false'" "$out/results.md" &&
  pass "the recorded command quotes the argument with spaces" || bad "the recorded command is not quoted for the shell"

set +e
"$bench" --module "on=$module" --module-config 'no-equals-sign' --filter '^random/32$' --out "$out/bad" > "$out/bad.txt" 2>&1
rc=$?
set -e
[[ $rc == 2 && ! -e $out/bad/results.json ]] && pass "a malformed --module-config is a usage error" ||
  bad "malformed --module-config: exit $rc"

exit $failed
