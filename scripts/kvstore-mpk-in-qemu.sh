#!/usr/bin/env bash
# examples/kvstore under the mpk backend, for real, in QEMU (whose -cpu max emulates protection
# keys): builds kvstore for fcall and for mpk (the solver's 3 compartments, private stacks with a
# data shadow stack, a heap per compartment), both static, boots Debian's kernel with a busybox
# initramfs holding them and Debian's redis-cli, and checks on the serial console that
#   (1) a redis-cli session gets the same replies from both servers;
#   (2) the malicious script plug-in's write into the store's entry count (EVAL "poke(...)")
#       makes DBSIZE 42 under fcall, and under mpk dies of SIGSEGV with SEGV_PKUERR, reported by
#       flexc's fault handler, before the store is touched.
# Installs QEMU, a kernel and busybox when missing (scripts/qemu-harness.sh). Exit 0 when both hold.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
name=kvstore-mpk-in-qemu
work=$(mktemp -d "${TMPDIR:-/tmp}/flexc-kvstore-qemu.XXXXXX")
source "$root/scripts/qemu-harness.sh"
for backend in fcall mpk; do
  "$root/flexc" build "$root/examples/kvstore" --backend "$backend" --quiet -o "$work/$backend" >"$work/$backend.txt"
done
# The initramfs has no shared libraries for kvstore: the fcall build is linked again, static, by its Makefile.
rm "$work/fcall/bin/kvstore" && make -s -C "$work/fcall" LDFLAGS=-static

initramfs=$work/initramfs
mkdir -p "$initramfs/bin" "$initramfs/proc" "$initramfs/dev"
cp /bin/busybox "$initramfs/bin/"
cp "$work/fcall/bin/kvstore" "$initramfs/kvstore-fcall"
cp "$work/mpk/bin/kvstore" "$initramfs/kvstore-mpk"
cp "$(command -v redis-cli)" "$initramfs/bin/redis-cli"
for library in $(ldd "$(command -v redis-cli)" | grep -o '/[^ ]*'); do
  mkdir -p "$initramfs$(dirname "$library")"
  cp -L "$library" "$initramfs$library"
done
for build in fcall mpk; do # the store's entry count, where the malicious script writes
  nm "$work/$build/bin/kvstore" | awk '$3 == "entries" { print "0x" $1 }' >"$initramfs/entries-$build"
done
cat >"$initramfs/session" <<'SESSION'
PING
SET greeting hello
GET greeting
GET missing
SET counter 41
INCR counter
INCRBY counter 100
MSET a 1 b 2 c 3
MGET a b c missing
EXISTS a b missing
DEL a b missing
DBSIZE
EVAL "get(counter) * 2 + 1" 0
EVAL "1 / 0" 0
ECHO "spaces and more"
CONFIG GET save
NOSUCH command
FLUSHALL
DBSIZE
SESSION
cat >"$initramfs/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t devtmpfs dev /dev
ip link set lo up
serve() { # build: start it on 6399, wait until it answers
  KVSTORE_PORT=6399 /kvstore-$1 >/server-$1.log 2>&1 &
  for i in $(seq 50); do redis-cli -p 6399 PING >/dev/null 2>&1 && return; sleep 0.2; done
}
for build in fcall mpk; do
  serve $build
  redis-cli -p 6399 <session >/$build.out 2>&1
  printf 'SET greeting hello\nEVAL "poke(%s, 42)" 0\nDBSIZE\n' "$(cat /entries-$build)" | redis-cli -p 6399 >/$build-attack.out 2>&1
  sleep 0.5
  if kill -0 $! 2>/dev/null; then echo "FLEXC-KVSTORE $build alive"; kill -TERM $!; fi
  wait $!
  echo "FLEXC-KVSTORE $build exit=$?"
  echo "FLEXC-KVSTORE $build attack: $(tr '\n' ' ' </$build-attack.out)"
  cat /server-$build.log
done
if cmp -s /fcall.out /mpk.out; then echo "FLEXC-KVSTORE session same"; else echo "FLEXC-KVSTORE session different"; cat /mpk.out; fi
poweroff -f
INIT
chmod +x "$initramfs/init"
boot "$initramfs" 512
tr -d '\r' <"$work/console.log" | grep -E "^(FLEXC-|flexc:|kvstore:)" || true

expect "FLEXC-KVSTORE session same" "the mpk build's replies differ from the fcall build's (or are missing)"
expect "FLEXC-KVSTORE fcall attack: OK 0 42" "under fcall, the malicious script did not corrupt the store"
expect "FLEXC-KVSTORE mpk exit=139" "under mpk, the malicious script's write did not end the server with SIGSEGV"
expect "SEGV_PKUERR" "no protection-key fault reported"
finish
