#!/usr/bin/env bash
# The mpk backend in a kernel (DESIGN.md, "Backends and gates": Linux user space and a
# Unikraft-style kernel build): examples/keyring, transformed by flexc for mpk with shared stacks,
# linked into one freestanding x86-64 kernel with the generated gates (gates/mpk_gates_<lib>.c),
# start-up (gates/flexc_mpk_kernel.c) and linker script (link/kernel.ld), on the minimal platform
# in scripts/mpk-kernel/ (multiboot, long mode, ring 0, user-mode pages so that protection keys
# apply, CR4.PKE). Boots it under qemu-system-x86_64 -cpu max, whose emulated CPU has
# protection keys, three times, and checks on the serial console that
#   (1) the program prints byte for byte what the same sources print as a plain Linux program, and
#       main returns 0 (the calls into the secret and its callback into the program cross
#       compartments through the gates, each side writing only its own data);
#   (2) booted with `violate`, the program's write into the secret's key ends in a page fault whose
#       error code has the protection-key bit (5) set, at the key's address, reported as memory of
#       compartment 1 (secret), and the write does not go through;
#   (3) booted with `borrow`, the secret's call of the program's own gate into the secret (which
#       would bring it back with the program's rights) stops at the gate's origin check: the
#       platform reports flexc_mpk_violation's message and halts.
# Installs qemu-system-x86 when missing (as root; scripts/qemu-harness.sh).
# Exit 0 when all hold; the work directory (objects, kernel, console logs) is removed on exit, its
# logs kept after a failure.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
name=mpk-kernel-in-qemu
work=$(mktemp -d "${TMPDIR:-/tmp}/flexc-mpk-kernel.XXXXXX")
qemu_only=1
source "$root/scripts/qemu-harness.sh"
example=$root/examples/keyring
platform=$root/scripts/mpk-kernel
echo "$name: work directory $work" >&2

echo '{"compartments": [["app"], ["secret"]]}' >"$work/split.json"
"$root/flexc" transform "$example" --backend mpk --mpk-stacks shared --config "$work/split.json" \
  -o "$work/out" >"$work/transform.txt"

gcc -O2 -Wall -Wextra -Werror -o "$work/plain" "$example/app/main.c" "$example/secret/secret.c" \
  "$platform/print-linux.c"
"$work/plain" >"$work/plain.out"

# The kernel's objects, named as link/kernel.ld names them (objects/<library>/<file>.o) when ld runs
# in $work/kernel.
kernel_flags=(-ffreestanding -mno-red-zone -fno-pic -nostdlib -fno-stack-protector -fno-asynchronous-unwind-tables
  -ffunction-sections -fdata-sections -O2 -Wall -Wextra -Werror)
build=$work/kernel
mkdir -p "$build"
cd "$build"
objects=()
for library in app secret; do
  mkdir -p "objects/$library"
  for source in "$work/out/src/$library"/*.c; do
    object=objects/$library/$(basename "$source").o
    gcc "${kernel_flags[@]}" -iquote "$example/$library" -c "$source" -o "$object"
    objects+=("$object")
  done
done
mkdir -p objects/flexc
for library in app secret; do
  gcc "${kernel_flags[@]}" -I "$work/out/gates" -iquote "$example/$library" -c "$work/out/gates/mpk_gates_$library.c" \
    -o "objects/flexc/mpk_gates_$library.c.o"
  objects+=("objects/flexc/mpk_gates_$library.c.o")
done
gcc "${kernel_flags[@]}" -I "$work/out/gates" -c "$work/out/gates/flexc_mpk_kernel.c" -o objects/flexc/flexc_mpk_kernel.c.o
gcc "${kernel_flags[@]}" -I "$work/out/gates" -I "$example/platform" -c "$platform/platform.c" -o platform.o
gcc -ffreestanding -nostdlib -c "$platform/boot.S" -o boot.o
objects+=(objects/flexc/flexc_mpk_kernel.c.o platform.o boot.o)
ld -nostdlib -static -z max-page-size=0x1000 -T "$work/out/link/kernel.ld" -o kernel.elf "${objects[@]}"
# QEMU's multiboot loader takes 32-bit ELF only: the same image, relabelled.
objcopy -O elf32-i386 kernel.elf kernel32.elf

for symbol in flexc_gate_c0_secret_check flexc_gate_c1_flexc_static_app_main_visit flexc_mpk_kernel_start; do
  nm kernel.elf | grep -q " T $symbol$" || { echo "$name: the kernel lacks the generated $symbol" >&2; verdict=1; }
done
address() { # SYMBOL: its address in the kernel, as the platform prints it (0x, no leading zeros)
  printf '0x%x' "0x$(nm kernel.elf | awk -v symbol="$1" '$3 == symbol { print $1 }')"
}
key=$(address key)
((key >= $(address __flexc_c1_data_start) && key < $(address __flexc_c1_data_end))) ||
  { echo "$name: the secret's key ($key) is not in the secret's data range" >&2; verdict=1; }

# A gate's instructions up to its ret, as bench/gate-latency.sh counts them for Linux.
objdump -d --no-show-raw-insn kernel.elf | sed -n '/<flexc_gate_c0_secret_check>:/,/^$/p' | tail -n +2 |
  sed '/\sret/q' >"$work/gate.s"
echo "$name: the gate flexc_gate_c0_secret_check has $(grep -c . "$work/gate.s") instructions up to its ret," \
  "$(grep -c wrpkru "$work/gate.s") of them wrpkru ($work/gate.s)" >&2

# run NAME ARGUMENTS EXPECTED_STATUS: boots the kernel with ARGUMENTS on its command line; console in
# $work/NAME.log. isa-debug-exit makes QEMU's status (2 x the kernel's code) + 1.
run() {
  console=$work/$1.log
  local started status=0
  started=$(date +%s%N)
  timeout 60 qemu-system-x86_64 -cpu max -m 64 -display none -monitor none -no-reboot -serial "file:$console" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$build/kernel32.elf" -append "$2" || status=$?
  echo "$name: boot '$1' took $((($(date +%s%N) - started) / 1000000)) ms, QEMU exit status $status" >&2
  [[ $status == "$3" ]] || { echo "$name: boot '$1' ended with status $status instead of $3" >&2; verdict=1; }
}

run normal "" 33
sed -n '/^flexc-kernel: entering main/,/^flexc-kernel: main returned/p' "$console" | sed '1d;$d' >"$work/kernel.out"
cmp "$work/plain.out" "$work/kernel.out" ||
  { echo "$name: the kernel's output differs from the plain program's (diff $work/plain.out $work/kernel.out)" >&2; verdict=1; }
expect "^flexc-kernel: main returned 0$" "main did not return 0 in the kernel"
grep '^flexc-kernel:' "$console" >&2 || true

run violate violate 65
expect "^keyring: writing into the secret's key$" "the violating boot did not reach the write"
expect "^flexc-kernel: page fault at $key, error code 0x[0-9a-f]* (protection key), rip 0x[0-9a-f]*: memory of compartment 1 (secret)$" \
  "no protection-key page fault at the secret's key ($key) naming compartment 1 (secret)"
refuse "the write went through" "the write into the secret went through"
error=$(sed -n 's/^flexc-kernel: page fault at .*, error code \(0x[0-9a-f]*\) .*/\1/p' "$console")
[[ -n $error ]] && (((error >> 5) & 1)) || { echo "$name: the page fault's error code lacks bit 5 (PK)" >&2; verdict=1; }
grep '^flexc-kernel:' "$console" >&2 || true

run borrow borrow 97
expect "^keyring: letting the secret call the program's gate$" "the borrowing boot did not reach the call"
expect "^flexc: a PKRU switch did not start from the compartment it leaves" \
  "the secret's call of the program's gate was not stopped by the gate's origin check"
refuse "came back with the program's rights" "the secret came back from the program's gate with the program's rights"
grep -E '^(flexc|keyring)' "$console" >&2 || true
finish
