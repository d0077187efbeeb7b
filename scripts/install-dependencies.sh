#!/usr/bin/env bash
# Installs what flexc needs on a fresh Debian machine and is not there yet: Maven, a JDK 21+ when
# the distribution packages one, gcc, binutils (objcopy) and make, with which the transformer and
# flexc build compile, check and link, clang, with which the backends' tests compile the runtimes'
# C a second time, and redis-tools (redis-cli, redis-benchmark), with which
# the kvstore example is tested and measured, and graphviz (dot), with which flexc explore --measure
# draws the measured safety order. Idempotent: does nothing when everything is present.
set -euo pipefail

packages=()
command -v mvn >/dev/null || packages+=(maven)
command -v gcc >/dev/null || packages+=(gcc)
command -v clang >/dev/null || packages+=(clang)
command -v objcopy >/dev/null || packages+=(binutils)
command -v make >/dev/null || packages+=(make)
command -v redis-cli >/dev/null || packages+=(redis-tools)
command -v dot >/dev/null || packages+=(graphviz)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ! (source "$root/scripts/select-jdk.sh") 2>/dev/null; then
  packages+=(openjdk-21-jdk-headless)
fi

if ((${#packages[@]} == 0)); then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "flexc: missing ${packages[*]}; install them (sudo apt-get install ${packages[*]}) and retry" >&2
  exit 1
fi
echo "flexc: installing ${packages[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >&2
