# What the QEMU test scripts share (sourced, not run): installing QEMU, a kernel and busybox from
# Debian when missing (as root), booting an initramfs with -cpu max (whose emulated CPU has
# protection keys) with its serial console in a log, and checking that log. The sourcing script
# sets `name` (for messages) and `work` (its work directory, made with mktemp just before) first;
# `qemu_only=1` if it boots a kernel of its own (no Debian kernel, busybox or cpio then), and
# `console` whenever the log to check is not $work/console.log.
#
# The work directory (builds, initramfs: 10-30 MB) is removed when the script exits, however it
# exits; after a failure its logs (*.log, *.txt) are kept there to read why, the rest removed.

# cleanup: on exit, stops the script's own background VMs and removes the work directory.
cleanup() {
  local status=$?
  local running
  running=$(jobs -p)
  [[ -z $running ]] || kill $running 2>/dev/null || true
  wait 2>/dev/null || true
  if [[ $status == 0 ]]; then
    rm -rf "$work"
  else
    find "$work" -depth -mindepth 1 \( -type f ! -name '*.log' ! -name '*.txt' -o -type l \) -delete 2>/dev/null || true
    find "$work" -depth -mindepth 1 -type d -empty -delete 2>/dev/null || true
    echo "$name: logs kept in $work" >&2
  fi
}
trap cleanup EXIT

need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
if [[ ${qemu_only:-0} != 1 ]]; then
  compgen -G '/boot/vmlinuz-*' >/dev/null || need+=(linux-image-amd64)
  [[ -x /bin/busybox ]] && /bin/busybox --list 2>/dev/null | grep -qx poweroff || need+=(busybox-static)
  command -v cpio >/dev/null || need+=(cpio)
fi
if ((${#need[@]})); then
  echo "$name: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi
[[ ${qemu_only:-0} == 1 ]] || kernel=$(ls /boot/vmlinuz-* | sort -V | tail -1)
console=${console:-$work/console.log}
verdict=0

# pack DIRECTORY: DIRECTORY (with its /init) as the initramfs $work/initramfs.gz.
pack() {
  (cd "$1" && find . | cpio -o -H newc 2>/dev/null | gzip >"$work/initramfs.gz")
}

# vm LOG MEMORY_MB KERNEL_ARGUMENTS [QEMU_OPTIONS...]: boots $work/initramfs.gz; console in LOG.
vm() {
  local log=$1 memory=$2 arguments=$3
  shift 3
  timeout 300 qemu-system-x86_64 -cpu max -m "$memory" -nographic -no-reboot -kernel "$kernel" \
    -initrd "$work/initramfs.gz" -append "console=ttyS0 quiet panic=-1 $arguments" "$@" \
    </dev/null >"$log" 2>&1 || true
}

# boot DIRECTORY MEMORY_MB: packs DIRECTORY and boots it; console in $console.
boot() {
  pack "$1"
  echo "$name: booting $kernel under qemu-system-x86_64 -cpu max" >&2
  vm "$console" "$2" ""
}

# expect PATTERN WHAT: the console must show PATTERN, or WHAT is reported and the verdict fails.
expect() {
  grep -q "$1" "$console" || { echo "$name: $2" >&2; verdict=1; }
}

# refuse PATTERN WHAT: the console must not show PATTERN, or WHAT is reported and the verdict fails.
refuse() {
  ! grep -q "$1" "$console" || { echo "$name: $2" >&2; verdict=1; }
}

# finish: says how it went and exits with the verdict.
finish() {
  echo "$name: $([[ $verdict == 0 ]] && echo passed || echo "FAILED; console log in $console")" >&2
  exit $verdict
}
