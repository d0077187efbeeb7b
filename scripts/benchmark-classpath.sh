#!/usr/bin/env bash
# Builds the benchmarks module and prints its runtime classpath (sourced by the benchmark scripts).
# Maven's output goes to stderr, so that a benchmark's stdout is its results alone.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mvn -q -B -Dstyle.color=never -DskipTests install -pl benchmarks -am >&2
classpath_file="$root/benchmarks/target/runtime-classpath.txt"
mvn -q -B -Dstyle.color=never dependency:build-classpath -pl benchmarks -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$classpath_file" >&2
echo "$root/benchmarks/target/classes:$(cat "$classpath_file")"
