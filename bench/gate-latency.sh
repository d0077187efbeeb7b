#!/usr/bin/env bash
# Gate latency, in time-stamp-counter cycles per call (median of 20001 single calls, rdtscp), all
# in the same run: a direct call (the program as written), the fcall gate, the proc gate, and as the
# physical floor of a cross-process call the raw round trip between two processes woken by futex,
# and by busy polling. The mpk gate cannot run on this CPU (no protection keys; under QEMU its
# timings would be emulated): its instructions are counted in the linked binary instead, against
# FlexOS's sequence, for shared stacks and for private ones. Each program runs 3 times; the lowest median is kept.
# Usage: bench/gate-latency.sh   (prints a Markdown table; work files in target/gate-latency)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
app=$root/bench/gates
work=$root/target/gate-latency
rm -rf "$work"
mkdir -p "$work"
echo '{"compartments": [["caller"], ["callee"]]}' >"$work/split.json"

gcc -O2 -o "$work/direct" "$app/caller/main.c" "$app/callee/callee.c"
gcc -O2 -Wall -Wextra -o "$work/pingpong" "$app/pingpong.c"
for build in fcall proc mpk mpk-dss; do
  case $build in
    mpk) options=(--backend mpk --mpk-stacks shared) ;;
    mpk-dss) options=(--backend mpk --mpk-stacks dss) ;;
    *) options=(--backend "$build") ;;
  esac
  "$root/flexc" transform "$app" "${options[@]}" --config "$work/split.json" -o "$work/$build" >/dev/null
  (cd "$work/$build" && mapfile -t objects < <(find objects -name '*.o' | sort) &&
    gcc $([[ $build == mpk* ]] && echo -static) -T link/linux.ld -o "$work/gates-$build" "${objects[@]}" \
      $(ls gates/*.ld 2>/dev/null) $(cat link/flags 2>/dev/null))
done

# best PROGRAM: "median empty" of the run with the lowest median.
best() {
  local best_line= best_value=
  for _ in 1 2 3; do
    local line value
    line=$("$@")
    value=${line%% *}
    if [[ -z "$best_value" || $value -lt $best_value ]]; then best_value=$value; best_line=$line; fi
  done
  echo "$best_line"
}

read -r direct empty < <(best "$work/direct")
read -r fcall _ < <(best "$work/gates-fcall")
read -r proc _ < <(best "$work/gates-proc")
read -r futex busy < <(best "$work/pingpong")

# A gate's instructions up to its ret (the padding after it is not executed), with its thunk's for
# private stacks, which runs on the callee's stack.
listing() { # binary function
  objdump -d --no-show-raw-insn "$1" | sed -n "/<$2>:/,/^\$/p" | tail -n +2 | sed '/\sret/q'
}
listing "$work/gates-mpk" flexc_gate_c0_bench_increment >"$work/mpk-gate.s"
gate=$(grep -c . "$work/mpk-gate.s")
switches=$(grep -c wrpkru "$work/mpk-gate.s")
origins=$(grep -c rdpkru "$work/mpk-gate.s")
clears=$(grep -cE 'xor +%(r(8|9|10|11)d|e(cx|si|di)),%(r(8|9|10|11)d|e(cx|si|di))$' "$work/mpk-gate.s")
{ listing "$work/gates-mpk-dss" flexc_gate_c0_bench_increment; listing "$work/gates-mpk-dss" flexc_thunk_bench_increment; } \
  >"$work/mpk-dss-gate.s"
dss_gate=$(grep -c . "$work/mpk-dss-gate.s")
dss_calls=$(grep -cE '\scall ' "$work/mpk-dss-gate.s")

echo "| call | cycles (median, rdtscp included) | minus rdtscp alone ($empty) | against the floor |"
echo "|---|---:|---:|---|"
echo "| direct call | $direct | $((direct - empty)) | |"
echo "| fcall gate | $fcall | $((fcall - empty)) | = direct: $([[ $fcall == "$direct" ]] && echo yes || echo "no (${fcall} vs ${direct})") |"
echo "| proc gate | $proc | $((proc - empty)) | $(awk -v a="$proc" -v b="$futex" 'BEGIN { printf "%.2f× the futex round trip", a / b }') |"
echo "| futex round trip between two processes | $futex | $((futex - empty)) | floor for proc |"
echo "| busy-poll round trip between two processes | $busy | $((busy - empty)) | |"
echo
echo "mpk gate (flexc_gate_c0_bench_increment in the linked binary, up to its ret): $gate instructions, of which"
echo "$switches wrpkru (each with its value set up and checked), $origins rdpkru (the PKRU each switch comes from, checked),"
echo "$clears register clears; listing in $work/mpk-gate.s."
echo "mpk gate with private stacks (--mpk-stacks dss: frame on the shadow stack, stack switch, thunk): $dss_gate"
echo "instructions in the gate and its thunk, $dss_calls calls (the thunk, and the function from it);"
echo "listing in $work/mpk-dss-gate.s."
