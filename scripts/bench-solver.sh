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
classpath=$(scripts/benchmark-classpath.sh)
exec "$JAVA_HOME/bin/java" -cp "$classpath" io.flexc.benchmarks.SolverBenchmark "$@"
