#!/usr/bin/env bash
# Runs flexc on real C: Debian's lwip 2.1.3 and redis 7.0.15 (fetched, never committed).
#  1. fetches the sources and tools (bench/fetch-real-sources.sh), builds redis under bear for its
#     compile_commands.json, and writes the application directories (bench/real/make-apps.py);
#  2. `flexc analyze` on both: function definitions found in the sources versus defined in the
#     objects, and cross-library references rewritten at source level versus present in the objects;
#  3. `flexc transform` for a 3-compartment split of each with fcall gates: every lwip object
#     compiles, and the rewritten redis-server is linked and answers redis-cli PING, SET, GET, EVAL.
# Results go to target/real/results (summary.md holds the figures BENCHMARKS.md records).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
real=$("$root/bench/fetch-real-sources.sh")
results=$real/results
mkdir -p "$results"
command -v python3 >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >&2; }

redis=$real/redis-7.0.15
if [[ ! -s "$redis/compile_commands.json" || ! -x "$redis/src/redis-cli" ]]; then
  echo "real-sources: building redis under bear (libc malloc, bundled deps)" >&2
  (cd "$redis" && bear -- make -j"$(nproc)" MALLOC=libc BUILD_TLS=no USE_SYSTEMD=no >"$results/redis-build.log" 2>&1) \
    || { tail -20 "$results/redis-build.log" >&2; exit 1; }
fi
python3 "$root/bench/real/make-apps.py" "$root/bench/real" "$real"

flexc() { "$root/flexc" "$@"; }

for app in lwip redis; do
  echo "real-sources: flexc analyze $app" >&2
  start=$(date +%s%N)
  flexc analyze "$real/apps/$app" --json "$results/$app-analyze.json" >"$results/$app-analyze.txt"
  echo "$app analyze milliseconds: $((($(date +%s%N) - start) / 1000000))" >"$results/$app-analyze.time"
  echo "real-sources: flexc transform $app --config split.json" >&2
  flexc transform "$real/apps/$app" --config "$real/apps/$app/split.json" -o "$results/$app-split" \
    >"$results/$app-split.txt"
done

echo "real-sources: linking the rewritten redis-server and asking it PING, SET, GET, EVAL" >&2
split=$results/redis-split
mapfile -t objects < <(find "$split/objects" -name '*.o' | sort)
gcc -rdynamic -o "$split/redis-server" "${objects[@]}" -lm -ldl -pthread -lrt
port=$((20000 + RANDOM % 20000))
data=$(mktemp -d)
"$split/redis-server" --port "$port" --dir "$data" --save '' --appendonly no >"$results/redis-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
cli() { "$redis/src/redis-cli" -p "$port" "$@"; }
for _ in $(seq 50); do [[ "$(cli PING 2>/dev/null)" == PONG ]] && break; sleep 0.1; done
check() { local got; got=$(cli "${@:2}"); [[ "$got" == "$1" ]] || { echo "real-sources: ${*:2} gave '$got', expected '$1'" >&2; exit 1; }; }
check PONG PING
check OK SET greeting hello
check hello GET greeting
check hello-lua EVAL "return redis.call('GET', KEYS[1]) .. ARGV[1]" 1 greeting -lua
cli SHUTDOWN NOSAVE >/dev/null 2>&1 || true
wait "$server" 2>/dev/null || true
echo "redis smoke test: PING, SET, GET, EVAL answered correctly by $split/redis-server" >"$results/redis-smoke.txt"

python3 - "$results" >"$results/summary.md" <<'PY'
import json, sys
from pathlib import Path
results = Path(sys.argv[1])
print("| application | functions found in sources / in objects | cross-library references through source gates / in objects | redirected at object level | left | analyze time |")
print("|---|---|---|---|---|---|")
for app in ("lwip", "redis"):
    check = json.loads((results / f"{app}-analyze.json").read_text())["objectCheck"]
    time = int((results / f"{app}-analyze.time").read_text().split(":")[1]) / 1000
    pct = lambda a, b: f"{100.0 * a / b:.2f}%" if b else "n/a"
    print(f"| {app} | {check['foundFunctions']} / {check['objectFunctions']} ({pct(check['foundFunctions'], check['objectFunctions'])})"
          f" | {check['handledAtSource']} / {check['crossReferences']} ({pct(check['handledAtSource'], check['crossReferences'])})"
          f" | {check['redirected']} | {check['remaining']} | {time:.1f} s |")
PY
cat "$results/summary.md"
cat "$results/redis-smoke.txt"
