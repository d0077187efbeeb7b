#!/usr/bin/env bash
# Runs flexc on real, unmodified C: Debian's lwip 2.1.3 and redis 7.0.15 (fetched, never committed).
#  1. fetches the sources and tools (bench/fetch-real-sources.sh), builds redis under bear for its
#     compile_commands.json, and writes the application directories (bench/real/make-apps.py);
#  2. `flexc analyze` on both: function definitions found in the sources versus defined in the
#     objects, and cross-library references rewritten at source level versus present in the objects;
#  3. `flexc transform` of lwip's 3-compartment split with fcall gates: every object compiles;
#  4. `flexc build` of redis with Lua alone ({server, hiredis, hdr_histogram} {lua}, issue 16) on
#     fcall, proc, ept and mpk, each timed, each outcome recorded (linked; ept: every image linked as
#     a Linux program over the tests' fake KVM platform; mpk: linked and its PKRU scan passed; or the
#     message it stopped with), one backend's failure not stopping the others;
#  5. the fcall build must answer redis-cli PING, SET, GET and EVAL as redis does; the proc build is
#     run the same way and what it did is recorded (what it answered, or where it stopped and its
#     stderr's last lines).
# FLEXC_REAL_DIR (default target/real) holds the sources; FLEXC_REAL_RESULTS (default
# $FLEXC_REAL_DIR/results) the results: summary.md holds the lines BENCHMARKS.md records.
# FLEXC_REAL_BACKENDS (default "fcall proc ept mpk") chooses the backends; FLEXC_REAL_ANALYZE=0 skips
# steps 2 and 3 (their results of an earlier run stay in the summary); FLEXC_REAL_NO_CACHE=1
# builds without flexc's compile cache (a first build's time). Exit status 1 when the fcall build or
# its redis-cli session fails, or, with FLEXC_REAL_STRICT=1, when any backend's build fails.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
real=$("$root/bench/fetch-real-sources.sh") || exit 1
results=${FLEXC_REAL_RESULTS:-$real/results}
backends=${FLEXC_REAL_BACKENDS:-fcall proc ept mpk}
mkdir -p "$results"
command -v python3 >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >&2; }
command -v redis-cli >/dev/null || true

redis=$real/redis-7.0.15
if [[ ! -s "$redis/compile_commands.json" || ! -x "$redis/src/redis-cli" ]]; then
  echo "real-sources: building redis under bear (libc malloc, bundled deps)" >&2
  (cd "$redis" && bear -- make -j"$(nproc)" MALLOC=libc BUILD_TLS=no USE_SYSTEMD=no >"$results/redis-build.log" 2>&1) \
    || { tail -20 "$results/redis-build.log" >&2; exit 1; }
fi
apps=$results/apps
python3 "$root/bench/real/make-apps.py" "$root/bench/real" "$real" "$apps" || exit 1

flexc() { "$root/flexc" "$@"; }
milliseconds() { echo $((($(date +%s%N) - $1) / 1000000)); }
seconds() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
failed=0

for app in lwip redis; do
  [[ ${FLEXC_REAL_ANALYZE:-1} == 1 ]] || break
  echo "real-sources: flexc analyze $app" >&2
  start=$(date +%s%N)
  flexc analyze "$apps/$app" --json "$results/$app-analyze.json" >"$results/$app-analyze.txt" || failed=1
  echo "$app analyze milliseconds: $(milliseconds "$start")" >"$results/$app-analyze.time"
done
if [[ ${FLEXC_REAL_ANALYZE:-1} == 1 ]]; then
  echo "real-sources: flexc transform lwip --config split.json" >&2
  flexc transform "$apps/lwip" --config "$apps/lwip/split.json" -o "$results/lwip-split" >"$results/lwip-split.txt" \
    || failed=1
fi

# One line per backend in outcomes.tsv: backend, outcome, seconds, load before, cache line, detail.
outcomes=$results/outcomes.tsv
: >"$outcomes"
cache=()
[[ ${FLEXC_REAL_NO_CACHE:-0} == 1 ]] && cache=(--no-cache)

# The message a failed build stopped with, on one line: its first "flexc: " line that is not
# progress or a note, and the first of the lines that follow it when it ends with a colon.
stop_message() {
  tr '\r' '\n' <"$1" | grep -v ' \.\.\. [0-9.]* s$\| \.\.\. $\|^flexc: note: \|nothing was written to\|^$' \
    | awk '/^flexc: / && !found { found = 1; line = $0; if ($0 !~ /:$/) { print line; exit } next }
           found { sub(/^ +/, ""); print line " " $0; exit }
           END { if (found && line ~ /:$/) print line }' | head -1 | cut -c1-600
}

# Links each ept image as a Linux program over the fake KVM platform the tests use; empty when all link.
link_ept_images() {
  local out=$1 k script objects
  for script in "$out"/link/image_c*.ld; do
    k=${script##*image_c}; k=${k%.ld}
    mapfile -t objects < <(grep -o '"objects/[^"]*"' "$script" | tr -d '"' | awk '!seen[$0]++')
    if ! (cd "$out" && gcc -no-pie -DFLEXC_EPT_KVM -I gates -o "image_c$k" -T "link/image_c$k.ld" \
        "$root/cli/src/test/resources/ept/linux_threads.c" "$root/cli/src/test/resources/ept/fake_ivshmem.c" \
        "${objects[@]}" -lm -ldl -lpthread -lrt) >"$out.image_c$k.log" 2>&1; then
      echo "image $k does not link: $(grep -m1 -i 'error\|undefined' "$out.image_c$k.log" | cut -c1-300)"
      return
    fi
  done
}

for backend in $backends; do
  out=$results/redis-$backend
  echo "real-sources: flexc build redis --config lua-alone.json --backend $backend" >&2
  before=$(load)
  start=$(date +%s%N)
  flexc build "$apps/redis" --config "$apps/redis/lua-alone.json" --backend "$backend" -o "$out" "${cache[@]}" \
    >"$results/redis-$backend.out" 2>"$results/redis-$backend.err"
  status=$?
  took=$(seconds "$(milliseconds "$start")")
  cached=$(grep -o 'compile cache: .*' "$results/redis-$backend.out" || echo "compile cache: no summary")
  if ((status != 0)); then
    outcome=refused detail=$(stop_message "$results/redis-$backend.err")
    [[ $backend == fcall ]] && failed=1
  else
    case $backend in
      ept)
        detail=$(link_ept_images "$out")
        if [[ -z $detail ]]; then outcome=linked detail="every image linked as a Linux program (fake KVM)"
        else outcome="built, not linked"; fi ;;
      mpk)
        detail=$(grep -o 'PKRU writes: .*' "$results/redis-$backend.out")
        if [[ -n $detail ]]; then outcome=linked
        else outcome="linked, not scanned" detail="no PKRU scan in the summary"; fi ;;
      *) outcome=linked detail=$(head -1 "$results/redis-$backend.out") ;;
    esac
  fi
  [[ $outcome == linked ]] || { [[ ${FLEXC_REAL_STRICT:-0} == 1 ]] && failed=1; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$backend" "$outcome" "$took" "$before" "$cached" "$detail" >>"$outcomes"
  echo "real-sources: $backend: $outcome in $took s${detail:+: $detail}" >&2
done

# Starts OUT/bin/redis on a free port in its own process group, waits up to 20 s for an answer to
# PING, asks PING, SET, GET and EVAL (5 s each), stops every process of the group; prints one line
# per command, "COMMAND: reply", then "exit: ..." and, when it stopped by itself, its stderr's tail.
ask_redis() {
  local out=$1 log=$2 port data server command got
  port=$((20000 + RANDOM % 20000))
  data=$(mktemp -d)
  setsid "$out/bin/redis" --port "$port" --dir "$data" --save '' --appendonly no >"$log" 2>&1 &
  server=$!
  cli() { timeout 5 "$redis/src/redis-cli" -p "$port" "$@" 2>&1; }
  for _ in $(seq 100); do
    [[ "$(cli PING 2>/dev/null)" == PONG ]] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.2
  done
  for command in "PING" "SET greeting hello" "GET greeting"; do
    # shellcheck disable=SC2086
    got=$(cli $command | head -3 | tr '\n' ' '); echo "${command%% *}: ${got% }"
  done
  got=$(cli EVAL "return redis.call('GET', KEYS[1]) .. ARGV[1]" 1 greeting -lua | head -3 | tr '\n' ' ')
  echo "EVAL: ${got% }"
  if kill -0 "$server" 2>/dev/null; then
    cli SHUTDOWN NOSAVE >/dev/null 2>&1
    sleep 1
    kill -TERM -- -"$server" 2>/dev/null
    wait "$server" 2>/dev/null
    echo "exit: still running after the commands; stopped"
  else
    wait "$server"
    echo "exit: stopped by itself with status $? before the commands ended"
    echo "stderr tail:"
    tail -8 "$log" | cut -c1-300 | sed 's/^/  /'
  fi
  kill -KILL -- -"$server" 2>/dev/null
  rm -rf "$data"
}

smoke=$results/redis-smoke.txt
: >"$smoke"
for backend in fcall proc; do
  [[ -x $results/redis-$backend/bin/redis ]] || { echo "$backend: not built, not run" >>"$smoke"; continue; }
  echo "real-sources: asking the $backend build PING, SET, GET, EVAL" >&2
  ask_redis "$results/redis-$backend" "$results/redis-$backend-server.log" >"$results/redis-$backend-run.txt"
  expected=$'PING: PONG\nSET: OK\nGET: hello\nEVAL: hello-lua\nexit: still running after the commands; stopped'
  if [[ "$(cat "$results/redis-$backend-run.txt")" == "$expected" ]]; then
    echo "$backend: PING, SET, GET, EVAL answered as redis answers them" >>"$smoke"
  else
    [[ $backend == fcall ]] && failed=1
    { echo "$backend: did not answer as redis does:"; sed 's/^/  /' "$results/redis-$backend-run.txt"; } >>"$smoke"
  fi
done

python3 - "$results" >"$results/summary.md" <<'PY'
import json, sys
from pathlib import Path
results = Path(sys.argv[1])
print("| application | functions found in sources / in objects | cross-library references through source gates / in objects | redirected at object level | left | analyze time |")
print("|---|---|---|---|---|---|")
for app in ("lwip", "redis"):
    try:
        check = json.loads((results / f"{app}-analyze.json").read_text())["objectCheck"]
    except (OSError, KeyError, ValueError):
        print(f"| {app} | analyze failed | | | | |")
        continue
    time = int((results / f"{app}-analyze.time").read_text().split(":")[1]) / 1000
    pct = lambda a, b: f"{100.0 * a / b:.2f}%" if b else "n/a"
    print(f"| {app} | {check['foundFunctions']} / {check['objectFunctions']} ({pct(check['foundFunctions'], check['objectFunctions'])})"
          f" | {check['handledAtSource']} / {check['crossReferences']} ({pct(check['handledAtSource'], check['crossReferences'])})"
          f" | {check['redirected']} | {check['remaining']} | {time:.1f} s |")
print()
print("Redis 7.0.15 with Lua alone ({server, hiredis, hdr_histogram} {lua}), `flexc build --config`:")
print()
print("| backend | outcome | build time | load before (1, 5, 15 min) | compile cache | detail |")
print("|---|---|---|---|---|---|")
for line in (results / "outcomes.tsv").read_text().splitlines():
    backend, outcome, took, load, cache, detail = (line.split("\t") + [""] * 6)[:6]
    detail = detail.replace("|", "\\|")
    print(f"| {backend} | {outcome} | {took} s | {load} | {cache.removeprefix('compile cache: ')} | {detail} |")
PY
{ echo; cat "$smoke"; } >>"$results/summary.md"
cat "$results/summary.md"
exit "$failed"
