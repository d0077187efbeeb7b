#!/usr/bin/env bash
# Debian's Redis 7.0.15 fetched (bench/fetch-real-sources.sh) and built plainly under bear (its
# Makefile, libc malloc, bundled deps), once: prints the source directory, whose
# compile_commands.json and src/redis-server the Redis benchmarks use. Installs tcl for runtest.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
real=$("$root/bench/fetch-real-sources.sh")
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
command -v tclsh >/dev/null || { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq tcl >&2; }

redis=$real/redis-7.0.15
if [[ ! -s "$redis/compile_commands.json" || ! -x "$redis/src/redis-server" ]]; then
  echo "redis-plain: building redis under bear (libc malloc, bundled deps)" >&2
  log=$(mktemp)
  (cd "$redis" && bear -- make -j"$(nproc)" MALLOC=libc BUILD_TLS=no USE_SYSTEMD=no >"$log" 2>&1) \
    || { tail -20 "$log" >&2; exit 1; }
  rm -f "$log"
fi
echo "$redis"
