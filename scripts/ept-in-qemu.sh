#!/usr/bin/env bash
# The ept backend across two virtual machines: builds examples/vault with `flexc build --backend
# ept` (one image per compartment, the shared area at the same fixed address in both), links each
# image as a static Linux program with the KVM transport it generates, and boots two QEMU VMs, one
# per image, attached to one ivshmem-plain device (the same memory file). Each image finds the
# device's BARs in sysfs and maps them (cli/src/test/resources/ept/sysfs_ivshmem.c, the platform
# glue a unikernel would provide); calls go by function index through per-thread channels in that
# memory, polled (ivshmem-plain has no doorbells). Here QEMU emulates the CPU (no /dev/kvm); with
# KVM the same images would run under it, one EPT-isolated guest each.
# Checks on the console of the program's VM that
#   (1) the program (`vault threads`: the single-threaded calls, then four threads whose calls and
#       callbacks cross on a channel each) prints what it prints as one program, except that names
#       looked up are string literals of the program's image, which the vault's image does not
#       have: `key3 -> -1` and sums of -1000 (the same as over the fake KVM in BackendsTest);
#   (2) the vault's image stops serving when the program ends (its VM powers off by itself).
# Installs qemu-system-x86, linux-image-amd64, busybox-static and cpio when missing (as root;
# scripts/qemu-harness.sh). Exit 0 when all hold; the work directory is removed on exit, its logs kept
# after a failure.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
name=ept-in-qemu
work=$(mktemp -d "${TMPDIR:-/tmp}/flexc-ept-qemu.XXXXXX")
source "$root/scripts/qemu-harness.sh"
platform=$root/cli/src/test/resources/ept
echo '{"compartments": [["app"], ["vault"]]}' >"$work/split.json"

"$root/flexc" build "$root/examples/vault" --backend fcall --config "$work/split.json" --quiet -o "$work/fcall" \
  >"$work/fcall.txt"
"$root/flexc" build "$root/examples/vault" --backend ept --config "$work/split.json" --quiet -o "$work/ept" \
  >"$work/ept.txt"
"$work/fcall/bin/vault" threads | sed -E 's/^key3 -> 300$/key3 -> -1/; s/summed to [0-9]+/summed to -1000/' \
  >"$work/expected.txt"
initramfs=$work/initramfs
mkdir -p "$initramfs/bin" "$initramfs/proc" "$initramfs/sys"
cp /bin/busybox "$initramfs/bin/"
for k in 0 1; do
  # The image's objects, in the order its linker script names them.
  mapfile -t objects < <(grep -o '"objects/[^"]*"' "$work/ept/link/image_c$k.ld" | tr -d '"' | awk '!seen[$0]++')
  (cd "$work/ept" && gcc -static -no-pie -DFLEXC_EPT_KVM -I gates -o "$initramfs/image_c$k" \
    -T "link/image_c$k.ld" "$platform/linux_threads.c" "$platform/sysfs_ivshmem.c" "${objects[@]}")
done
cat >"$initramfs/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
# An image's last segment is its shared data, 16 MiB below the area: a randomised program break
# (up to 32 MiB above it) can take the area's address, which no unikernel would.
echo 0 >/proc/sys/kernel/randomize_va_space
image=$(sed -n 's/.*flexc\.image=\([0-9]*\).*/\1/p' /proc/cmdline)
if [ "$image" = 1 ]; then
  echo "FLEXC-EPT serving"
  /image_c1 >/out 2>&1
  echo "FLEXC-EPT image 1 exit=$?"
  cat /out
else
  /image_c0 threads >/out 2>&1
  status=$?
  echo "FLEXC-EPT-OUTPUT-BEGIN"
  cat /out
  echo "FLEXC-EPT-OUTPUT-END exit=$status"
fi
poweroff -f
INIT
chmod +x "$initramfs/init"
pack "$initramfs"

# ivshmem's memory: the build's shared area (FLEXC_RPC_AREA_SIZE, which build: {channels: N} sets)
# and a page of peer ids, rounded up to a power of two as the device wants.
area_mib=$(sed -n 's/^#define FLEXC_RPC_AREA_SIZE (\([0-9]*\)UL << 20)$/\1/p' "$work/ept/gates/flexc_rpc.h")
ivshmem_mib=1
while ((ivshmem_mib <= area_mib)); do ivshmem_mib=$((ivshmem_mib * 2)); done
memory=(-object "memory-backend-file,id=area,share=on,mem-path=$work/ivshmem,size=${ivshmem_mib}M"
  -device ivshmem-plain,memdev=area)
echo "$name: booting two VMs under qemu-system-x86_64 -cpu max, sharing one ivshmem device" >&2
start=$(date +%s)
vm "$work/image1.log" 256 flexc.image=1 "${memory[@]}" &
server=$!
for _ in $(seq 1 600); do
  grep -q "FLEXC-EPT serving" "$work/image1.log" 2>/dev/null && break
  sleep 0.1
done
vm "$work/console.log" 256 flexc.image=0 "${memory[@]}"
wait "$server"
echo "$name: both VMs done in $(($(date +%s) - start)) s" >&2

tr -d '\r' <"$work/console.log" | sed -n '/FLEXC-EPT-OUTPUT-BEGIN$/,/^FLEXC-EPT-OUTPUT-END/p' | sed '1d;$d' \
  >"$work/output.txt"
expect "FLEXC-EPT-OUTPUT-END exit=0" "the program's image did not end well"
diff -u "$work/expected.txt" "$work/output.txt" >&2 ||
  { echo "$name: the program's output across the VMs differs from the expected one" >&2; verdict=1; }
grep -q "FLEXC-EPT image 1 exit=0" "$work/image1.log" ||
  { echo "$name: the vault's image did not stop serving when the program ended" >&2; verdict=1; }
expect "thread 3: key4 summed to -1000, the vault's entries to 150000" "the threads' sums are missing"
finish
