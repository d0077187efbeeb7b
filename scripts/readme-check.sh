#!/usr/bin/env bash
# Runs the README's commands as a new user reads them: every ```sh block, top to bottom, in a fresh
# clone of the repository (its committed HEAD: git clone REPO into a temporary directory, removed on
# exit), in one bash session (a variable set by one command is there for the next), with standard
# input from /dev/null. Stops at the first command that does not do what the README says.
#
# How a command line of the README is read:
#   - A line of a ```sh block that is blank or starts with `#` is prose, not a command. Every other
#     line is one command, run as bash runs it (`a && b`, `x=1`, `cmd & pid=$!` all work).
#   - Text after the first ` #` is the command's comment: free text, unless it starts with a marker:
#       # exit N     the command must exit with status N (without a marker it must exit 0)
#       # server P   a server that runs until Ctrl-C: it is started in the background, in a process
#                    group of its own, and must accept connections on 127.0.0.1:P (within 15 min:
#                    the first one also builds flexc); then it gets SIGINT, as Ctrl-C sends it, and
#                    it must stop within 30 s, every process it started with it
#       # qemu       boots QEMU (minutes, and QEMU, a kernel and busybox installed): skipped with a
#                    note unless --qemu is given
#       # slow       takes many minutes (./run-tests, the bench/ scripts): skipped with a note
#                    unless --slow is given
#   - A server the README starts itself (`cmd & server=$!`) needs no marker: the README waits for
#     it and stops it in its own commands, which are checked like any other.
# Any command still running after 20 minutes is stopped and fails the check.
#
# Usage: scripts/readme-check.sh [--qemu] [--slow] [REPO]   (REPO: default this repository)
# Prints one line per command (status and seconds), the output of the one that failed, and how long
# it all took. Exit 0 when every command that was run did what the README says, 1 otherwise.
set -uo pipefail

qemu=0
slow=0
repo=
for argument in "$@"; do
  case $argument in
    --qemu) qemu=1 ;;
    --slow) slow=1 ;;
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "readme-check: unknown option $argument (try --help)" >&2; exit 2 ;;
    *) repo=$argument ;;
  esac
done
repo=${repo:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
readme=$repo/README.md
[[ -f $readme ]] || { echo "readme-check: $readme does not exist" >&2; exit 2; }

limit=1200
exec 4>&2
started=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/flexc-readme-check.XXXXXX")
servers=()
watchdog=
checker=$BASHPID

# On exit: stops what the README's commands left running (their process groups), removes the clone.
# Only the checking shell does: a subshell of it (the watchdog, a command's) may run it on its way out.
cleanup() {
  [[ $BASHPID == "$checker" ]] || return 0
  local group
  [[ -z $watchdog ]] || kill -TERM "$watchdog" 2>/dev/null
  for group in "${servers[@]}" $(jobs -p); do
    kill -TERM -- "-$group" 2>/dev/null || kill -TERM "$group" 2>/dev/null
  done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The commands: line number, command and comment, tab-separated, from the ```sh blocks.
commands() {
  awk '
    /^```sh[[:space:]]*$/ { inside = 1; next }
    /^```/ { inside = 0; next }
    !inside || /^[[:space:]]*(#|$)/ { next }
    {
      command = $0; comment = ""
      if (match($0, /[[:space:]]+#/)) {
        command = substr($0, 1, RSTART - 1)
        comment = substr($0, RSTART + RLENGTH)
        sub(/^[[:space:]]+/, "", comment)
      }
      printf "%d\t%s\t%s\n", NR, command, comment
    }' "$readme"
}

# fail LINE WHAT OUTPUT: says which command did not do what the README says, with its output's end.
fail() {
  echo "readme-check: README.md:$1: $2" >&2
  if [[ -s $3 ]]; then
    echo "readme-check: its output (last 40 lines):" >&2
    tail -n 40 "$3" | sed 's/^/  | /' >&2
  fi
  echo "readme-check: FAILED after $((SECONDS - started)) s" >&2
  exit 1
}

# listening PORT: something accepts connections on 127.0.0.1:PORT.
listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# serve LINE COMMAND PORT OUTPUT: a `# server PORT` command: started, reached, stopped with SIGINT.
serve() {
  local line=$1 command=$2 port=$3 output=$4 group waited
  if listening "$port"; then
    fail "$line" "port $port is taken before the server starts; stop what listens there" /dev/null
  fi
  set -m
  eval "$command" </dev/null >"$output" 2>&1 &
  group=$!
  set +m
  servers+=("$group")
  for ((waited = 0; waited < 900 * 5; waited++)); do
    listening "$port" && break
    kill -0 "$group" 2>/dev/null || fail "$line" "the server ended before accepting connections on port $port" "$output"
    sleep 0.2
  done
  listening "$port" || fail "$line" "the server does not accept connections on port $port after 15 min" "$output"
  kill -INT -- "-$group"
  for ((waited = 0; waited < 30 * 5; waited++)); do
    kill -0 -- "-$group" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 -- "-$group" 2>/dev/null; then
    fail "$line" "the server (or a process it started) still runs 30 s after SIGINT" "$output"
  fi
  wait "$group" 2>/dev/null
  servers=("${servers[@]/$group}")
}

# run LINE COMMAND OUTPUT: runs COMMAND in this shell, stopped by a watchdog after $limit s; its status.
# The watchdog waits with read's timeout on a FIFO nobody writes: one process, no sleep to leave behind.
run() {
  local status
  (
    read -r -t "$limit" <>"$work/never"
    echo "readme-check: README.md:$1: still running after $limit s, stopped" >&4
    for child in $(ps -o pid= --ppid $$); do
      [[ $child == "$BASHPID" ]] || kill -TERM "$child" 2>/dev/null
    done
  ) 2>/dev/null &
  watchdog=$!
  eval "$2" </dev/null >"$3" 2>&1
  status=$?
  # SIGKILL: a SIGTERM that reaches the subshell as its read begins can be left pending, and the wait below never ends.
  kill -KILL "$watchdog" 2>/dev/null
  wait "$watchdog" 2>/dev/null
  watchdog=
  return $status
}

echo "readme-check: cloning $repo into $work/flexc"
git clone -q "$repo" "$work/flexc" || { echo "readme-check: git clone $repo failed" >&2; exit 1; }
cd "$work/flexc" || exit 1
mkfifo "$work/never"
echo "readme-check: at commit $(git rev-parse --short HEAD); running the \`\`\`sh blocks of README.md"

passed=0
skipped=()
while IFS=$'\t' read -r line command comment <&3; do
  output=$work/output-$line.txt
  expected=0
  marker=${comment%%[: ]*}
  case $marker in
    exit) expected=${comment#exit } ; expected=${expected%%[!0-9]*} ;;
    qemu|slow)
      if { [[ $marker == qemu ]] && ((!qemu)); } || { [[ $marker == slow ]] && ((!slow)); }; then
        echo "skip   README.md:$line: $command   (# $marker: run with --$marker)"
        skipped+=("$line")
        continue
      fi ;;
  esac
  begun=$SECONDS
  if [[ $marker == server ]]; then
    port=${comment#server } ; port=${port%%[!0-9]*}
    [[ -n $port ]] || fail "$line" "'# server' needs the port it listens on: '# server 6399'" /dev/null
    serve "$line" "$command" "$port" "$output"
    echo "ok     README.md:$line: $command   (served on $port, stopped by SIGINT; $((SECONDS - begun)) s)"
  else
    [[ -n $expected ]] || fail "$line" "'# exit' needs a status: '# exit 3'" /dev/null
    run "$line" "$command" "$output"
    status=$?
    if [[ $status != "$expected" ]]; then
      fail "$line" "\`$command\` exited with status $status, the README says $expected" "$output"
    fi
    echo "ok     README.md:$line: $command   (exit $status; $((SECONDS - begun)) s)"
  fi
  passed=$((passed + 1))
done 3< <(commands)

echo "readme-check: passed: $passed commands did what the README says, ${#skipped[@]} skipped; $((SECONDS - started)) s"
