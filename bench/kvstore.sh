#!/usr/bin/env bash
# kvstore under redis-benchmark: the program compiled as is with gcc (no flexc), the fcall build,
# and proc builds with 1, 2 and 3 compartments and the solver's choice, measured one after the
# other in the same run (GET and SET, 50 clients, loopback). Usage: bench/kvstore.sh [REQUESTS]
# Prints a table of requests per second and each build's ratio to the plain program.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
requests=${1:-100000}
work=$(mktemp -d "${TMPDIR:-/tmp}/flexc-kvstore-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
app=$root/examples/kvstore
"$root/scripts/install-dependencies.sh"

gcc -O2 -o "$work/plain" "$app"/app/kvstore.c "$app"/net/net.c "$app"/resp/resp.c "$app"/script/script.c \
  "$app"/store/store.c "$app"/alloc/alloc.c
# 1 and 2 keep script with app, which isolate: [script] forbids: built anyway, to measure them.
echo '{"compartments": [["app", "net", "resp", "store", "alloc", "script"]]}' >"$work/1.json"
echo '{"compartments": [["app", "net", "resp", "script"], ["store", "alloc"]]}' >"$work/2.json"
echo '{"compartments": [["app", "net", "resp"], ["store", "alloc"], ["script"]]}' >"$work/3.json"
"$root/flexc" build "$app" --backend fcall --quiet -o "$work/fcall" >/dev/null
for split in 1 2 3; do
  "$root/flexc" build "$app" --config "$work/$split.json" --allow-policy-violations --quiet -o "$work/proc-$split" \
    >/dev/null
done
"$root/flexc" build "$app" --quiet -o "$work/proc-solver" >/dev/null
solver=$(head -1 "$work/proc-solver/summary.txt")

port=6479
measure() { # name program
  KVSTORE_PORT=$port "$2" >"$work/$1.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do grep -q listening "$work/$1.log" && break; sleep 0.05; done
  redis-benchmark -p $port -q -t get,set -n "$requests" | tr '\r' '\n' | grep 'per second' |
    sed -E "s/^([A-Z]+): ([0-9.]+) requests per second.*/$1 \1 \2/"
  kill -TERM $pid
  wait $pid
}
{
  measure plain "$work/plain"
  measure fcall "$work/fcall/bin/kvstore"
  for split in 1 2 3 solver; do measure "proc-$split" "$work/proc-$split/bin/kvstore"; done
} >"$work/results"
echo "kvstore, redis-benchmark -q -t get,set -n $requests (50 clients), $(nproc) cores; solver: $solver"
awk '{ rps[$1 " " $2] = $3; if (!($1 in seen)) { seen[$1] = 1; order[n++] = $1 } }
  END {
    printf "%-12s %12s %12s %10s %10s\n", "build", "SET rps", "GET rps", "SET ratio", "GET ratio"
    for (i = 0; i < n; i++) {
      b = order[i]
      printf "%-12s %12.0f %12.0f %10.2f %10.2f\n", b, rps[b " SET"], rps[b " GET"],
        rps[b " SET"] / rps["plain SET"], rps[b " GET"] / rps["plain GET"]
    }
  }' "$work/results"
