#!/usr/bin/env bash
# Interleaved benchmark rounds: each round runs the selected craton_bench rows once per
# configuration (default: audit log off, then on), so that a slow phase of a shared host lands on
# every configuration alike; prints per-row medians over the rounds of craton's time, the raw
# floor's time and their ratio, and for thread rows the scaling over the 1-thread row.
# Usage: scripts/bench-rounds.sh [-n ROUNDS] [-b BUILD_DIR] FILTER [CONFIG_LINE ...]
# Example: scripts/bench-rounds.sh -n 5 '^encrypt/aes256gcm/4k|threads/' \
#            'audit.enabled = false' 'audit.sync = batch'
set -euo pipefail
rounds=5
build=build-bench
while getopts "n:b:" opt; do
  case $opt in
    n) rounds=$OPTARG ;;
    b) build=$OPTARG ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { sed -n '2,9p' "$0"; exit 2; }
filter=$1
shift
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=("audit.enabled = false" "audit.sync = batch")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((r = 1; r <= rounds; r++)); do
  for i in "${!configs[@]}"; do
    "$build/bench/craton_bench" --module "craton=$build/libcratonhsm.so" --filter "$filter" --threads 1 2 \
      --repetitions 1 --min-time 0.3 --config "${configs[$i]}" --out "$out/$r-$i" > /dev/null 2>&1
  done
done
/usr/bin/env python3 - "$out" "$rounds" "${configs[@]}" <<'PY'
import json, statistics, sys
out, rounds, configs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for i, cfg in enumerate(configs):
    rows = {}
    for r in range(1, rounds + 1):
        for row in json.load(open(f"{out}/{r}-{i}/results.json"))["rows"]:
            res = row["results"]
            rows.setdefault(row["id"], []).append((res["craton"]["us_per_op"], res.get("raw", {}).get("us_per_op")))
    print(f"== {cfg} ({rounds} rounds; medians)")
    for rid, v in rows.items():
        c = statistics.median(x[0] for x in v)
        line = f"  {rid:32} craton {c:10.3f} us"
        if all(x[1] for x in v):
            line += f"   raw {statistics.median(x[1] for x in v):10.3f} us   ratio {statistics.median(x[0] / x[1] for x in v):.2f}x"
        one = rid.rsplit("/", 1)[0] + "/1"
        if rid.startswith("threads/") and rid != one and one in rows:
            line += f"   scaling {statistics.median(a[0] / b[0] for a, b in zip(rows[one], v)):.2f}x"
            if all(x[1] for x in v + rows[one]):
                line += f" (raw {statistics.median(a[1] / b[1] for a, b in zip(rows[one], v)):.2f}x)"
        print(line)
PY
