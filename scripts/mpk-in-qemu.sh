#!/usr/bin/env bash
# The mpk backend's isolation test, run for real: this machine's CPU has no protection keys, but
# QEMU's software emulation (-cpu max) has. Builds examples/vault for fcall and for mpk (static),
# boots Debian's kernel with a busybox initramfs that runs both, and checks on the serial console
# that (1) the mpk build prints exactly what the fcall build prints, and (2) the program's write
# into the vault's memory (`violate`) and the vault's write into the program's (`smuggle`) each die
# of SIGSEGV with si_code SEGV_PKUERR.
# Installs qemu-system-x86, linux-image-amd64, busybox-static and cpio when missing (as root).
# Exit 0 when both hold; the console log is kept in the work directory it prints.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
compgen -G '/boot/vmlinuz-*' >/dev/null || need+=(linux-image-amd64)
[[ -x /bin/busybox ]] && /bin/busybox --list 2>/dev/null | grep -qx poweroff || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
if ((${#need[@]})); then
  echo "mpk-in-qemu: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi
kernel=$(ls /boot/vmlinuz-* | sort -V | tail -1)

work=$(mktemp -d "${TMPDIR:-/tmp}/flexc-mpk-qemu.XXXXXX")
echo '{"compartments": [["app"], ["vault"]]}' >"$work/split.json"
for backend in fcall mpk; do
  "$root/flexc" transform "$root/examples/vault" --backend "$backend" --config "$work/split.json" \
    -o "$work/$backend" >"$work/$backend.txt"
  (cd "$work/$backend" && mapfile -t objects < <(find objects -name '*.o' | sort) &&
    gcc -static -T link/linux.ld -o "$work/vault-$backend" "${objects[@]}" $(ls gates/*.ld 2>/dev/null))
done

initramfs=$work/initramfs
mkdir -p "$initramfs/bin"
cp /bin/busybox "$initramfs/bin/"
cp "$work/vault-fcall" "$work/vault-mpk" "$initramfs/"
cat >"$initramfs/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
/vault-fcall >/fcall.out 2>&1
/vault-mpk >/mpk.out 2>&1
echo "mpk exit=$?"
if cmp -s /fcall.out /mpk.out; then echo "FLEXC-MPK-OUTPUT same"; else echo "FLEXC-MPK-OUTPUT different"; cat /mpk.out; fi
/vault-mpk violate >/violate.out 2>&1
status=$?
cat /violate.out
echo "FLEXC-MPK-VIOLATION exit=$status"
/vault-mpk smuggle >/smuggle.out 2>&1
status=$?
cat /smuggle.out
echo "FLEXC-MPK-SMUGGLE exit=$status"
poweroff -f
INIT
chmod +x "$initramfs/init"
(cd "$initramfs" && find . | cpio -o -H newc 2>/dev/null | gzip >"$work/initramfs.gz")

echo "mpk-in-qemu: booting $kernel under qemu-system-x86_64 -cpu max" >&2
timeout 300 qemu-system-x86_64 -cpu max -m 256 -nographic -no-reboot -kernel "$kernel" \
  -initrd "$work/initramfs.gz" -append "console=ttyS0 quiet panic=-1" >"$work/console.log" 2>&1 || true
tr -d '\r' <"$work/console.log" | grep -E "^(mpk exit|FLEXC-|flexc:|writing into)" || true

verdict=0
grep -q "FLEXC-MPK-OUTPUT same" "$work/console.log" || { echo "mpk-in-qemu: the mpk build's output differs from fcall's (or is missing)" >&2; verdict=1; }
grep -q "SEGV_PKUERR" "$work/console.log" || { echo "mpk-in-qemu: no protection-key fault reported" >&2; verdict=1; }
grep -q "FLEXC-MPK-VIOLATION exit=139" "$work/console.log" || { echo "mpk-in-qemu: the program's write into the vault did not end in SIGSEGV (exit 139)" >&2; verdict=1; }
grep -q "FLEXC-MPK-SMUGGLE exit=139" "$work/console.log" || { echo "mpk-in-qemu: the vault's write into the program did not end in SIGSEGV (exit 139)" >&2; verdict=1; }
[[ $(grep -c "SEGV_PKUERR" "$work/console.log") -ge 2 ]] || { echo "mpk-in-qemu: fewer than two protection-key faults reported" >&2; verdict=1; }
echo "mpk-in-qemu: $([[ $verdict == 0 ]] && echo passed || echo FAILED); console log in $work/console.log" >&2
exit $verdict
