#!/usr/bin/env bash
# Redis's own test suite against Debian's Redis 7.0.15 built three ways: plainly (its Makefile),
# with flexc on fcall and with flexc on proc, Lua alone in its compartment ({lua} against the
# server, hiredis and hdr_histogram). Each build gets a copy of the test tree whose src/redis-server
# is that build's binary; `runtest --single UNIT` runs each unit the issue names (or those given
# as arguments, e.g. `bench/redis-tests.sh unit/type/string`), then redis-benchmark measures
# SET, GET, INCR, LPUSH, EVAL "return 1", EVALSHA and an EVAL calling redis.call against each
# build, in the same run. FLEXC_REDIS_BUILDS picks the builds (default: plain fcall proc-profile
# proc-shared: on proc, sharing measured by a profile over the same units, then used; also proc:
# static sharing alone, which faults at the first script).
# Results: target/real/results/redis-tests/{summary.md, BUILD-UNIT.log, BUILD-build.txt, ...}.
# Sources are fetched with apt-get source (bench/fetch-real-sources.sh), never committed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
redis=$("$root/bench/redis-plain.sh")
real=$(dirname "$redis")
results=$real/results/redis-tests
rm -rf "$results"
mkdir -p "$results"

units=("$@")
((${#units[@]})) || units=(unit/type/string unit/type/list unit/type/hash unit/type/set unit/type/zset unit/type/incr
  unit/scripting unit/functions unit/keyspace unit/expire unit/multi unit/info)
read -r -a builds <<<"${FLEXC_REDIS_BUILDS:-plain fcall proc-profile proc-shared}"

apps=$results/apps
python3 "$root/bench/real/make-apps.py" "$root/bench/real" "$real" "$apps"

# One test tree per build: the tests, runtest and the tools as Debian's build made them, and the
# build's own redis-server.
tree() { # build binary
  local dir=$results/tree-$1
  mkdir -p "$dir/src"
  cp -r "$redis/tests" "$redis/runtest" "$dir/"
  for tool in redis-cli redis-benchmark redis-check-aof redis-check-rdb; do
    ln -sf "$redis/src/$tool" "$dir/src/$tool"
  done
  cp "$2" "$dir/src/redis-server"
}

# proc-profile records, with --profile-sharing, every access of one compartment to another's
# memory while its units run (the profile merges across runs and processes); proc-shared is built
# after it with --sharing from that profile; proc alone shares what the transformer sees.
profile=$results/sharing-profile.txt
export FLEXC_SHARING_PROFILE=$profile
declare -A built
build() { # build
  local name=$1 options=()
  case $name in
    plain) built[plain]=1; tree plain "$redis/src/redis-server"; return ;;
    proc-profile) options=(--backend proc --profile-sharing) ;;
    proc-shared) options=(--backend proc --sharing "$profile") ;;
    *) options=(--backend "$name") ;;
  esac
  echo "redis-tests: flexc build redis ${options[*]}, Lua alone" >&2
  local start=$(date +%s)
  if "$root/flexc" build "$apps/redis" "${options[@]}" --config "$apps/redis/lua-alone.json" \
      -o "$results/$name-out" >"$results/$name-build.txt" 2>&1; then
    echo "$name: built in $(($(date +%s) - start)) s" >>"$results/builds.txt"
    tree "$name" "$results/$name-out/bin/redis"
    built[$name]=1
  else
    echo "$name: flexc build failed after $(($(date +%s) - start)) s: $(tail -1 "$results/$name-build.txt")" \
      >>"$results/builds.txt"
  fi
}

# A build whose server does not answer PING within 10 s runs no unit (runtest would wait for it for
# each): its lines say so, with the last words the server said.
starts() { # build
  local port=$((20000 + RANDOM % 20000)) data answered=
  data=$(mktemp -d)
  "$results/tree-$1/src/redis-server" --port "$port" --dir "$data" --save '' --appendonly no \
    >"$results/$1-start.log" 2>&1 &
  local server=$!
  for _ in $(seq 100); do
    [[ "$("$redis/src/redis-cli" -p "$port" PING 2>/dev/null)" == PONG ]] && { answered=1; break; }
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  "$redis/src/redis-cli" -p "$port" SHUTDOWN NOSAVE >/dev/null 2>&1 || kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$data"
  [[ -n "$answered" ]]
}

count() { sed 's/\x1b\[[0-9;]*m//g' "$2" | grep -c "$1" || true; }
for build in "${builds[@]}"; do
  build "$build"
  [[ -n "${built[$build]:-}" ]] || continue
  if ! starts "$build"; then
    echo "$build: the server did not answer PING: $(grep -m1 '^flexc:' "$results/$build-start.log" || tail -1 "$results/$build-start.log")" \
      >>"$results/builds.txt"
    unset "built[$build]"
    continue
  fi
  for unit in "${units[@]}"; do
    log=$results/$build-${unit//\//_}.log
    echo "redis-tests: $build $unit" >&2
    start=$(date +%s)
    # A test's time limit of 600 s, not 120: on proc every call into Lua is a round trip between two
    # processes, and Redis's busy-script tests run a script for as many calls as it takes to notice.
    (cd "$results/tree-$build" && timeout 3600 ./runtest --single "$unit" --clients 2 --timeout 600 \
      --dont-clean >"$log" 2>&1) || true
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$build" "$unit" "$(count '\[ok\]' "$log")" "$(count '\[err\]' "$log")" \
      "$(count '\[exception\]' "$log")" "$(($(date +%s) - start))" >>"$results/units.tsv"
  done
done

# redis-benchmark against each build, one after the other in this run.
sha=
bench() { # build
  local port=$((20000 + RANDOM % 20000)) data
  data=$(mktemp -d)
  "$results/tree-$1/src/redis-server" --port "$port" --dir "$data" --save '' --appendonly no \
    >"$results/$1-benchmark-server.log" 2>&1 &
  local server=$!
  local cli=("$redis/src/redis-cli" -p "$port")
  for _ in $(seq 100); do [[ "$("${cli[@]}" PING 2>/dev/null)" == PONG ]] && break; sleep 0.1; done
  sha=$("${cli[@]}" SCRIPT LOAD "return 1")
  local b=("$redis/src/redis-benchmark" -p "$port" -q -n 100000 -c 50)
  {
    "${b[@]}" -t set,get,incr,lpush --csv | tail -n +2
    "${b[@]}" --csv EVAL "return 1" 0 | tail -n +2 | sed 's/^"[^"]*"/"EVAL return 1"/'
    "${b[@]}" --csv EVALSHA "$sha" 0 | tail -n +2 | sed 's/^"[^"]*"/"EVALSHA return 1"/'
    "${b[@]}" --csv EVAL "return redis.call('INCR', KEYS[1])" 1 counter | tail -n +2 |
      sed 's/^"[^"]*"/"EVAL redis.call INCR"/'
  } | cut -d, -f1,2 | tr -d '"' | sed "s/^/$1,/" >>"$results/benchmark.csv" || true
  "${cli[@]}" SHUTDOWN NOSAVE >/dev/null 2>&1 || kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$data"
}
for build in "${builds[@]}"; do
  [[ -n "${built[$build]:-}" ]] && bench "$build"
done

# Crossings per EVAL on the proc builds: the gate calls every process counts (FLEXC_PROFILE) over
# 1000 EVALs of one client, less those of a run without any (start-up and shutdown).
calls() { # build script evals: total gate calls of a server run
  local port=$((20000 + RANDOM % 20000)) data counts
  data=$(mktemp -d)
  counts=$data/calls.csv
  FLEXC_PROFILE=$counts "$results/tree-$1/src/redis-server" --port "$port" --dir "$data" --save '' \
    --appendonly no >/dev/null 2>&1 &
  local server=$!
  for _ in $(seq 100); do [[ "$("$redis/src/redis-cli" -p "$port" PING 2>/dev/null)" == PONG ]] && break; sleep 0.1; done
  if (($3 > 0)); then
    "$redis/src/redis-benchmark" -p "$port" -q -n "$3" -c 1 EVAL "$2" 1 counter >/dev/null 2>&1 || true
  fi
  "$redis/src/redis-cli" -p "$port" SHUTDOWN NOSAVE >/dev/null 2>&1 || kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  awk -F, '{ total += $NF } END { print total + 0 }' "$counts" 2>/dev/null || echo 0
  rm -rf "$data"
}
for build in "${builds[@]}"; do
  [[ -n "${built[$build]:-}" && $build == proc* ]] || continue
  for script in "return 1" "return redis.call('INCR', KEYS[1])"; do
    base=$(calls "$build" "$script" 0)
    with=$(calls "$build" "$script" 1000)
    printf '%s\t%s\t%s\n' "$build" "$script" "$(((with - base) / 1000))" >>"$results/crossings.tsv"
  done
done

python3 - "$results" "${builds[@]}" >"$results/summary.md" <<'PY'
import csv, sys
from collections import defaultdict
from pathlib import Path
results, builds = Path(sys.argv[1]), sys.argv[2:]
built = results / "builds.txt"
print("Builds: " + ("; ".join(built.read_text().splitlines()) if built.exists() else "plain only"))
print()
units = defaultdict(dict)
path = results / "units.tsv"
for row in (csv.reader(open(path), delimiter="\t") if path.exists() else []):
    units[row[1]][row[0]] = row
print("| unit | " + " | ".join(f"{b} ok / err / exception (s)" for b in builds) + " |")
print("|---|" + "---|" * len(builds))
for unit, by in units.items():
    cells = [f"{by[b][2]} / {by[b][3]} / {by[b][4]} ({by[b][5]})" if b in by else "not run" for b in builds]
    print(f"| {unit} | " + " | ".join(cells) + " |")
print()
rates = defaultdict(dict)
path = results / "benchmark.csv"
for row in (csv.reader(open(path)) if path.exists() else []):
    rates[row[1]][row[0]] = float(row[2])
print("| redis-benchmark (requests/s) | " + " | ".join(builds) + " |")
print("|---|" + "---|" * len(builds))
for test, by in rates.items():
    plain = by.get("plain")
    cells = [f"{by[b]:.0f}" + (f" ({by[b] / plain:.2f}×)" if plain and b != "plain" else "") if b in by else "-"
             for b in builds]
    print(f"| {test} | " + " | ".join(cells) + " |")
path = results / "crossings.tsv"
if path.exists():
    print()
    print("| gate crossings per EVAL (FLEXC_PROFILE, 1000 EVALs) | script | crossings |")
    print("|---|---|---|")
    for row in csv.reader(open(path), delimiter="\t"):
        print(f"| {row[0]} | `{row[1]}` | {row[2]} |")
PY
cat "$results/summary.md"
