#!/usr/bin/env bash
# Isolation shown on real code: Debian's Redis 7.0.15 on proc with Lua alone in its compartment,
# and a deliberately buggy C function in that compartment: a test-only copy of Lua's bit library
# (deps/lua/src/lua_bit.c, unchanged otherwise) with bit.poke(NAME), which writes into the
# program's global NAME found with dlsym, as a stray pointer would. The script
#   1. builds it with --profile-sharing and records a sharing profile on a small workload,
#   2. builds it with --sharing from that profile (and flexc.yaml's trust: the server reads Lua),
#   3. runs it under FLEXC_PROC_ON_CRASH=fail-calls and checks, command by command, that scripts
#      work, that `EVAL "bit.poke('server')"` kills Lua's process with flexc's report naming the
#      function, the owner and the global, and that the server answers afterwards: EVAL refused
#      with an error (lua.meta: luaL_loadbuffer and lua_pcall answer errors once Lua's
#      compartment is gone), GET still served. Scripts Redis has cached are not run again after the
#      crash: Redis asserts they are still functions and ends (lua.meta says why).
# Exit 0 when every check holds; results in target/real/results/redis-isolation/ (server.log).
# Sources are fetched with apt-get source (bench/fetch-real-sources.sh), never committed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
redis=$("$root/bench/redis-plain.sh")
real=$(dirname "$redis")
results=$real/results/redis-isolation
rm -rf "$results"
mkdir -p "$results/lua-bug"
apps=$results/apps
python3 "$root/bench/real/make-apps.py" "$root/bench/real" "$real" "$apps"

# The test-only bit library: the original file, one function more, registered with the others.
lua=$redis/deps/lua/src
bug=$results/lua-bug/lua_bit.c
sed 's|^static const struct luaL_Reg bit_funcs\[\] = {$|static int bit_poke(lua_State *L);\n&\n  { "poke", bit_poke },|' \
  "$lua/lua_bit.c" >"$bug"
cat >>"$bug" <<'C'

#include <dlfcn.h>

/* The bug: a write through a pointer into memory that is not Lua's (here the global it names). */
static int bit_poke(lua_State *L)
{
  volatile long *target = dlsym(RTLD_DEFAULT, luaL_checkstring(L, 1));

  if (target != NULL)
    *target = 0x5eed;
  return 0;
}
C
python3 - "$redis/compile_commands.json" "$results/compile_commands.json" "$lua/lua_bit.c" "$bug" <<'PY'
import json, sys
database, written, original, copy = sys.argv[1:]
entries = json.load(open(database))
entry = dict(next(e for e in entries if e["file"] == original))
entry["arguments"] = [a if a != "lua_bit.c" else copy for a in entry["arguments"]] + ["-I" + entry["directory"]]
entry["file"] = copy
entry["output"] = copy[:-2] + ".o"
json.dump(entries + [entry], open(written, "w"), indent=1)
PY
sed -i -e "s|\"$lua/lua_bit.c\"|\"$bug\"|" -e "s|compile-commands: .*|compile-commands: \"$results/compile_commands.json\"|" \
  "$apps/redis/flexc.yaml"

build() { # name options...
  local name=$1
  shift
  "$root/flexc" build "$apps/redis" "$@" --config "$apps/redis/lua-alone.json" -o "$results/$name" \
    >"$results/$name-build.txt" 2>&1 || { tail -5 "$results/$name-build.txt" >&2; exit 1; }
}

port=$((20000 + RANDOM % 20000))
cli=("$redis/src/redis-cli" -p "$port")
server=
start() { # build [environment...]
  local binary=$results/$1/bin/redis
  shift
  mkdir -p "$results/data"
  env "$@" "$binary" --port "$port" --dir "$results/data" --save '' --appendonly no >>"$results/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do [[ "$("${cli[@]}" PING 2>/dev/null)" == PONG ]] && return; sleep 0.1; done
  echo "redis-isolation: the server did not answer PING; see $results/server.log" >&2
  exit 1
}
stop() {
  "${cli[@]}" SHUTDOWN NOSAVE >/dev/null 2>&1 || kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
workload() {
  "${cli[@]}" SET greeting hello >/dev/null
  "${cli[@]}" EVAL "return bit.band(6, 3)" 0 >/dev/null
  "${cli[@]}" EVAL "return redis.call('GET', KEYS[1])" 1 greeting >/dev/null
  "${cli[@]}" FUNCTION LOAD "#!lua name=double
redis.register_function('double', function(keys, args) return 2 * args[1] end)" >/dev/null
  "${cli[@]}" FCALL double 0 21 >/dev/null
}

echo "redis-isolation: profiling build and its workload" >&2
build profile --backend proc --profile-sharing
start profile FLEXC_SHARING_PROFILE="$results/sharing-profile.txt"
workload
stop
echo "redis-isolation: build with --sharing $results/sharing-profile.txt" >&2
build shared --backend proc --sharing "$results/sharing-profile.txt"

failed=0
check() { # what expected command...
  local what=$1 expected=$2 got
  shift 2
  got=$("${cli[@]}" "$@" 2>&1 | head -1)
  if [[ "$got" == $expected ]]; then
    printf 'ok      %-44s %s\n' "$what" "$got"
  else
    printf 'FAILED  %-44s %s (expected %s)\n' "$what" "$got" "$expected"
    failed=1
  fi
}
start shared FLEXC_PROC_ON_CRASH=fail-calls
check "SET" "OK" SET greeting hello
check "a script" "2" EVAL "return bit.band(6, 3)" 0
check "a script calling the server" "hello" EVAL "return redis.call('GET', KEYS[1])" 1 greeting
check "a function library" "double" FUNCTION LOAD "#!lua name=double
redis.register_function('double', function(keys, args) return 2 * args[1] end)"
check "a function" "42" FCALL double 0 21
check "the buggy function: Lua's process dies" "*ERR*" EVAL "return bit.poke('server')" 0
check "the server answers" "PONG" PING
check "its data intact" "hello" GET greeting
check "a new script refused with an error" "*ERR*" EVAL "return 1" 0
check "a new function library refused" "*ERR*" FUNCTION LOAD "#!lua name=triple
redis.register_function('triple', function(keys, args) return 3 * args[1] end)"
check "the server still answers" "hello" GET greeting
stop

report=$(grep -m1 'in bit_poke, touched' "$results/server.log" || true)
if [[ "$report" == *"memory of compartment 0 (hdr_histogram+hiredis+server): the global server"* ]]; then
  printf 'ok      %-44s %s\n' "flexc's report" "$report"
else
  printf 'FAILED  %-44s %s\n' "flexc's report" "${report:-none in $results/server.log}"
  failed=1
fi
exit "$failed"
