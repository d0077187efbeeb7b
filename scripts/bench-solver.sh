#!/usr/bin/env bash
# The solver benchmark of BENCHMARKS.md: builds the benchmarks module (and what it depends on), then
# runs io.flexc.benchmarks.SolverBenchmark. Not part of the unit tests; takes a few minutes.
#
#   scripts/bench-solver.sh                                  # the run recorded in BENCHMARKS.md
#   scripts/bench-solver.sh --sizes 12,200 --seeds 1 --no-baseline
#
# Arguments go to the benchmark: --sizes, --seeds, --timeout, --baseline-cap, --baseline-sample,
# --no-baseline (see SolverBenchmark's documentation).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/select-jdk.sh

# Maven's output goes to stderr, so that stdout is the benchmark's Markdown alone.
mvn -q -B -Dstyle.color=never -DskipTests install -pl benchmarks -am >&2
classpath_file="$PWD/benchmarks/target/runtime-classpath.txt"
mvn -q -B -Dstyle.color=never dependency:build-classpath -pl benchmarks -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$classpath_file" >&2
classpath="benchmarks/target/classes:$(cat "$classpath_file")"
exec "$JAVA_HOME/bin/java" -cp "$classpath" io.flexc.benchmarks.SolverBenchmark "$@"
