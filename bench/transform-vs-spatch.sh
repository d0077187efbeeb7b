#!/usr/bin/env bash
# flexc against Coccinelle (spatch 1.1.1, the tool FlexOS rewrites with), in the same run, on the
# same rewrite: every call from the other libraries to the functions of one library becomes a call
# to its gate, flexc_gate_c0_<function>. lwip: the functions of `core` called from ipv4, ipv6, api
# and netif; redis: the functions of `lua` called from the server, hiredis and hdr_histogram.
# The function set is the one flexc's analysis finds referenced; both tools get the same list.
# Prints, per application, the best-of-N wall time of each tool as a command (flexc through its
# launcher, JVM start-up included), flexc's warm in-process time (io.flexc.benchmarks.
# TransformBenchmark), the ratios, and whether the two rewrote the same call sites (file, line,
# function); details go to target/real/results/spatch.
# Usage: bench/transform-vs-spatch.sh [RUNS]   (default 3)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-3}
real=${FLEXC_REAL_DIR:-$root/target/real}
[[ -f "$real/apps/redis/flexc.yaml" && -f "$real/results/redis-analyze.json" ]] || "$root/bench/real-sources.sh" >&2
out=$real/results/spatch
rm -rf "$out"
mkdir -p "$out"
"$root/flexc" --version >/dev/null  # builds the jar once, outside the timings
source "$root/scripts/select-jdk.sh"
classpath=$("$root/scripts/benchmark-classpath.sh")

# best_of RUNS COMMAND...: the fastest of RUNS wall times, in milliseconds.
best_of() {
  local n=$1 best=
  shift
  for _ in $(seq "$n"); do
    local start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    local elapsed=$((($(date +%s%N) - start) / 1000000))
    [[ -z "$best" || $elapsed -lt $best ]] && best=$elapsed
  done
  echo "$best"
}

compare() {
  local app=$1 callee=$2 includes=$3
  shift 3
  local dirs=("$@") work=$out/$app
  mkdir -p "$work"
  python3 - "$real/results/$app-analyze.json" "$callee" "$real/apps/$app/flexc.yaml" "$work" <<'PY'
import json, os, sys, re
analysis, callee, config, work = sys.argv[1:]
report = json.load(open(analysis))
functions = sorted({s["function"] for s in report["gateSites"] if s["calleeLibrary"] == callee and s["kind"] != "callback"})
open(f"{work}/functions.txt", "w").write("\n".join(functions) + "\n")
libraries = list(report["assignment"])
others = [l for l in libraries if l != callee]
json.dump({"compartments": [others, [callee]]}, open(f"{work}/config.json", "w"))
with open(f"{work}/gates.cocci", "w") as cocci:
    cocci.write("@r@\nidentifier f =~ \"^(" + "|".join(functions) + ")$\";\nexpression list es;\n"
                "fresh identifier g = \"flexc_gate_c0_\" ## f;\n@@\n- f(es)\n+ g(es)\n")
files = sorted({os.path.abspath(f["original"]) for f in report["files"] if f["library"] != callee})
open(f"{work}/caller-files.txt", "w").write("\n".join(files) + "\n")
PY
  local include_flags=()
  for dir in $includes; do include_flags+=(-I "$dir"); done
  run_spatch() {
    for dir in "${dirs[@]}"; do
      spatch --sp-file "$work/gates.cocci" --very-quiet --jobs 2 --timeout 120 "${include_flags[@]}" --dir "$dir"
    done
  }
  run_flexc() {
    "$root/flexc" transform "$real/apps/$app" --config "$work/config.json" --source-only -o "$work/flexc-out"
  }
  local flexc_ms spatch_ms warm_ms
  flexc_ms=$(best_of "$runs" run_flexc)
  spatch_ms=$(best_of "$runs" run_spatch)
  warm_ms=$("$JAVA_HOME/bin/java" -cp "$classpath" io.flexc.benchmarks.TransformBenchmark \
    "$real/apps/$app" "$work/config.json" 10 | awk '{print $1}')
  run_flexc >/dev/null
  : >"$work/spatch.diff"
  for dir in "${dirs[@]}"; do
    # spatch names files relative to --dir: make them absolute for the comparison.
    spatch --sp-file "$work/gates.cocci" --very-quiet --jobs 2 --timeout 120 "${include_flags[@]}" --dir "$dir" \
      2>>"$work/spatch.log" | sed -E "s#^(---|\+\+\+) [ab]/#\1 $dir/#" >>"$work/spatch.diff" || true
  done
  python3 - "$work" "$app" "$flexc_ms" "$spatch_ms" "$warm_ms" <<'PY'
import json, os, re, sys
work, app, flexc_ms, spatch_ms = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
warm_ms = float(sys.argv[5])
functions = set(open(f"{work}/functions.txt").read().split())
callers = set(open(f"{work}/caller-files.txt").read().split())
report = json.load(open(f"{work}/flexc-out/report.json"))
flexc = {(s["file"], s["line"], s["function"]) for s in report["gateSites"]
         if s["level"] == "source" and s["kind"] == "call" and s["function"] in functions
         and s["file"] in callers}
spatch = set()
file = line = None
removed = []
def flush():
    for number, text in removed:
        for name in functions:
            if re.search(r"\b" + re.escape(name) + r"\s*\(", text):
                spatch.add((file, number, name))
    removed.clear()
for text in open(f"{work}/spatch.diff", errors="replace"):
    if text.startswith("diff "):
        flush(); file = None
    elif text.startswith("--- "):
        file = os.path.normpath(text[4:].split("\t")[0].strip())
    elif text.startswith("@@"):
        flush(); line = int(re.match(r"@@ -(\d+)", text).group(1))
    elif text.startswith("+++"):
        pass
    elif text.startswith("-"):
        removed.append((line, text[1:])); line += 1
    elif text.startswith("+"):
        pass
    else:
        flush(); line = (line or 0) + 1
flush()
spatch = {site for site in spatch if site[0] in callers}
both = flexc & spatch
only_flexc = sorted(flexc - spatch)
only_spatch = sorted(spatch - flexc)
ratio = spatch_ms / flexc_ms if flexc_ms else float("inf")
summary = (f"| {app} | {len(functions)} | {spatch_ms / 1000:.2f} s | {flexc_ms / 1000:.2f} s | {ratio:.1f}x | "
           f"{warm_ms:.0f} ms | {spatch_ms / warm_ms:.0f}x | "
           f"{len(flexc)} | {len(spatch)} | {len(both)} | {len(only_flexc)} | {len(only_spatch)} |")
open(f"{work}/summary.md", "w").write(summary + "\n")
with open(f"{work}/differences.txt", "w") as out:
    out.write(f"only flexc ({len(only_flexc)}):\n")
    out.writelines(f"  {f}:{l}: {n}\n" for f, l, n in only_flexc)
    out.write(f"only spatch ({len(only_spatch)}):\n")
    out.writelines(f"  {f}:{l}: {n}\n" for f, l, n in only_spatch)
print(summary)
PY
}

lwip=$real/lwip-2.1.3
redis=$real/redis-7.0.15
echo "| application | functions | spatch | flexc (command) | spatch/flexc | flexc (warm) | spatch/flexc warm | flexc sites | spatch sites | both | only flexc | only spatch |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
compare lwip core "$lwip/src/include $lwip/port/include" \
  "$lwip/src/core/ipv4" "$lwip/src/core/ipv6" "$lwip/src/api" "$lwip/src/netif"
compare redis lua "$redis/src $redis/deps/lua/src $redis/deps/hiredis $redis/deps/hdr_histogram" \
  "$redis/src" "$redis/deps/hiredis" "$redis/deps/hdr_histogram"
