#!/usr/bin/env bash
# The mpk backend's isolation test, run for real: this machine's CPU has no protection keys, but
# QEMU's software emulation (-cpu max) has. Builds examples/vault with flexc build for fcall, for mpk
# with private stacks and a data shadow stack (the default, --mpk-stacks dss) and for mpk with shared
# stacks, all linked static, boots Debian's kernel with a busybox initramfs that runs them, and checks
# on the serial console that
#   (1) each mpk build prints exactly what the fcall build prints, also with four threads calling
#       the vault at once (`threads`), and the callback from the vault into the program (nested calls);
#   (2) the program's write into the vault's memory (`violate`) and the vault's write into the
#       program's (`smuggle`) each die of SIGSEGV with si_code SEGV_PKUERR, in both stack modes;
#   (3) the vault's write into one of the program's locals (`stack`) dies the same way with private
#       stacks, and goes through with shared ones;
#   (4) the vault's write into a block the program allocated (`heap`) dies the same way: each
#       compartment has a heap of its own;
#   (5) the vault's call of the program's own gate into the vault (`borrow`), which would bring it
#       back with the program's rights, aborts at the gate's origin check (shared stacks), or
#       faults at the program's stack slot before it (private stacks);
#   (6) the vault's write into the runtime's records of the program's compartment (`forge`) dies
#       the same way: the record of the program's heap (at its fixed address), and, with private
#       stacks, the program's stack slot in the thread's TLS (whose offset from the thread pointer
#       is read from the binary, as an attacker would), which says where the next call back into
#       the program runs;
#   (7) the program of cli/src/test/resources/abi-crossing, whose library is C as written (a
#       variadic printf-like function called with int, double and pointer arguments, a K&R
#       definition, export-macro definitions, more int and double arguments than registers),
#       prints in each stack mode exactly what its fcall build prints;
#   (8) flexc.yaml's trust (cli/src/test/resources/trust: lib readable by app), applied by the
#       program's PKRU: app reads lib's global and heap blocks (`global`, `heap`), its write into
#       lib's global faults (`write`), and lib still cannot read app (`reverse`).
# Installs qemu-system-x86, linux-image-amd64, busybox-static and cpio when missing (as root;
# scripts/qemu-harness.sh).
# Exit 0 when all hold; the work directory is removed on exit, its logs kept after a failure.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
name=mpk-in-qemu
work=$(mktemp -d "${TMPDIR:-/tmp}/flexc-mpk-qemu.XXXXXX")
source "$root/scripts/qemu-harness.sh"
echo '{"compartments": [["app"], ["vault"]]}' >"$work/split.json"
abi=$root/cli/src/test/resources/abi-crossing
echo '{"compartments": [["app"], ["fmt"]]}' >"$work/abi-split.json"
for build in fcall mpk-dss mpk-shared; do
  case $build in
    fcall) options=(--backend fcall) ;;
    mpk-dss) options=(--backend mpk --mpk-stacks dss) ;;
    mpk-shared) options=(--backend mpk --mpk-stacks shared) ;;
  esac
  "$root/flexc" build "$root/examples/vault" "${options[@]}" --config "$work/split.json" --quiet \
    -o "$work/$build" >"$work/$build.txt"
  "$root/flexc" build "$abi" "${options[@]}" --config "$work/abi-split.json" --quiet -o "$work/abi-$build" \
    >"$work/abi-$build.txt"
done
echo '{"compartments": [["app"], ["lib"]]}' >"$work/trust-split.json"
"$root/flexc" build "$root/cli/src/test/resources/trust" --backend mpk --config "$work/trust-split.json" --quiet \
  -o "$work/trust-mpk" >"$work/trust-mpk.txt"
# The initramfs has no shared libraries: the fcall builds are linked again, static, by their Makefiles.
rm "$work/fcall/bin/vault" && make -s -C "$work/fcall" LDFLAGS=-static && cp "$work/fcall/bin/vault" "$work/vault-fcall"
rm "$work/abi-fcall/bin/abi" && make -s -C "$work/abi-fcall" LDFLAGS=-static

# The program's stack slot: flexc_mpk_stack[0] in the static TLS block, which ends at the thread pointer.
read -r tls_size tls_align < <(readelf -lW "$work/mpk-dss/bin/vault" | awk '$1 == "TLS" { print $6, $8 }')
slot=0x$(readelf -sW "$work/mpk-dss/bin/vault" | awk '$8 == "flexc_mpk_stack" { print $2 }')
slot_offset=$((slot - (tls_size + tls_align - 1) / tls_align * tls_align))
heap_record=0x600000000000

initramfs=$work/initramfs
mkdir -p "$initramfs/bin" "$initramfs/proc"
cp /bin/busybox "$initramfs/bin/"
cp "$work/vault-fcall" "$initramfs/"
cp "$work/mpk-dss/bin/vault" "$initramfs/vault-dss"
cp "$work/mpk-shared/bin/vault" "$initramfs/vault-shared"
cp "$work/abi-fcall/bin/abi" "$initramfs/abi-fcall"
cp "$work/abi-mpk-dss/bin/abi" "$initramfs/abi-dss"
cp "$work/abi-mpk-shared/bin/abi" "$initramfs/abi-shared"
cp "$work/trust-mpk/bin/trust" "$initramfs/trust"
echo "$heap_record tp$slot_offset" >"$initramfs/forge-targets"
cat >"$initramfs/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
read -r heap_record slot </forge-targets
/vault-fcall threads >/fcall.out 2>&1
/abi-fcall >/abi-fcall.out 2>&1
for mode in dss shared; do
  /vault-$mode threads >/$mode.out 2>&1
  echo "mpk-$mode exit=$?"
  if cmp -s /fcall.out /$mode.out; then echo "FLEXC-MPK-OUTPUT $mode same"; else echo "FLEXC-MPK-OUTPUT $mode different"; cat /$mode.out; fi
  grep thread /$mode.out
  /abi-$mode >/abi-$mode.out 2>&1
  echo "abi-$mode exit=$?"
  if cmp -s /abi-fcall.out /abi-$mode.out; then echo "FLEXC-MPK-ABI $mode same"; else echo "FLEXC-MPK-ABI $mode different"; cat /abi-$mode.out; fi
  for run in violate smuggle stack heap borrow; do
    /vault-$mode $run >/$run.out 2>&1
    status=$?
    cat /$run.out
    echo "FLEXC-MPK-$run $mode exit=$status"
  done
  /vault-$mode forge $heap_record >/forge.out 2>&1
  status=$?
  cat /forge.out
  echo "FLEXC-MPK-forge-heap $mode exit=$status $(grep -c 'memory of compartment 0 .*SEGV_PKUERR' /forge.out)"
done
for run in global heap write reverse; do
  /trust $run >/trust.out 2>&1
  status=$?
  cat /trust.out
  echo "FLEXC-MPK-trust-$run exit=$status"
done
/vault-dss forge $slot >/forge.out 2>&1
status=$?
cat /forge.out
echo "FLEXC-MPK-forge-slot dss exit=$status $(grep -c 'memory of compartment 0 .*SEGV_PKUERR' /forge.out)"
poweroff -f
INIT
chmod +x "$initramfs/init"
boot "$initramfs" 256
tr -d '\r' <"$work/console.log" | grep -E "^(mpk exit|abi-|FLEXC-|flexc:|writing into|hits|name-)" || true

for mode in dss shared; do
  expect "FLEXC-MPK-OUTPUT $mode same" "the mpk ($mode stacks) build's output differs from fcall's (or is missing)"
  expect "FLEXC-MPK-violate $mode exit=139" "with $mode stacks, the program's write into the vault did not end in SIGSEGV"
  expect "FLEXC-MPK-smuggle $mode exit=139" "with $mode stacks, the vault's write into the program did not end in SIGSEGV"
  expect "FLEXC-MPK-ABI $mode same" "the abi-crossing program's output with $mode stacks differs from fcall's (or is missing)"
done
expect "FLEXC-MPK-stack dss exit=139" "with private stacks, the vault's write into the program's stack did not fault"
expect "FLEXC-MPK-stack shared exit=0" "with shared stacks, the vault's write into the program's stack did not go through"
for mode in dss shared; do
  expect "FLEXC-MPK-heap $mode exit=139" "with $mode stacks, the vault's write into the program's heap did not fault"
done
expect "FLEXC-MPK-borrow shared exit=134" "with shared stacks, the vault's call of the program's gate did not abort"
expect "a PKRU switch did not start from the compartment it leaves" "the gate's origin check was not reported"
expect "FLEXC-MPK-borrow dss exit=139" "with private stacks, the vault's call of the program's gate did not fault"
for mode in dss shared; do
  expect "FLEXC-MPK-forge-heap $mode exit=139 1" "with $mode stacks, the vault's write into the record of the program's heap did not fault"
done
expect "FLEXC-MPK-forge-slot dss exit=139 1" "with private stacks, the vault's write into the program's stack slot did not fault"
expect "thread 3: key4 summed to 400000" "the threads' sums are missing"
expect "FLEXC-MPK-trust-global exit=0" "under trust, the program could not read the library's global"
expect "name-1, then name-2" "under trust, the program did not read the library's heap blocks"
expect "FLEXC-MPK-trust-write exit=139" "under read trust, the program's write into the library's global did not fault"
expect "FLEXC-MPK-trust-reverse exit=139" "trust of the library by the program let the library read the program"
[[ $(grep -c "SEGV_PKUERR" "$work/console.log") -ge 11 ]] ||
  { echo "mpk-in-qemu: fewer than eleven protection-key faults reported" >&2; verdict=1; }
finish
