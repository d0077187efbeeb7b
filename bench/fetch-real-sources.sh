#!/usr/bin/env bash
# Fetches Debian's lwip 2.1.3 and redis 7.0.15 source packages into $FLEXC_REAL_DIR
# (default: target/real in the repository, which git ignores) and the tools the real-source
# benchmarks use (bear, coccinelle). Enables deb-src next to the existing Debian sources first.
# Idempotent: a package already unpacked is not fetched again. Their code is never committed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
real=${FLEXC_REAL_DIR:-$root/target/real}
mkdir -p "$real"

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/debian.sources \
    && ! grep -rqs '^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
  echo "fetch-real-sources: enabling deb-src in /etc/apt/sources.list.d/debian.sources" >&2
  as_root sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
  as_root apt-get update -qq
fi

need=()
for tool in bear:bear spatch:coccinelle dpkg-source:dpkg-dev gcc:gcc make:make; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool##*:}")
done
if ((${#need[@]})); then
  echo "fetch-real-sources: installing ${need[*]}" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need[@]}" >&2
fi

cd "$real"
# Debian's directory names carry the repack suffix (lwip-2.1.3+dfsg1); the benchmarks use the
# plain upstream names.
for package in lwip:2.1.3 redis:7.0.15; do
  name=${package%%:*} version=${package##*:}
  if [[ ! -d "$name-$version" ]]; then
    apt-get source -qq "$name" >&2
    unpacked=$(find . -maxdepth 1 -type d -name "$name-$version*" | head -1)
    [[ -n "$unpacked" ]] || { echo "fetch-real-sources: no $name-$version* unpacked" >&2; exit 1; }
    [[ "$unpacked" == "./$name-$version" ]] || mv "$unpacked" "$name-$version"
  fi
done
echo "$real"
