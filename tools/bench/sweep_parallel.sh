#!/bin/sh
# How much faster a sweep runs with -j 2 than with -j 1 on this machine: the same 20 runs of the
# smart city (tools/bench/sweep_parallel.json), timed in one go, best of REPEAT tries each, as a
# ratio. Checks that both give the same sweep.csv, and reports the processor time that other
# processes took meanwhile: on a shared machine, they take processors the -j 2 sweep would use.
# Exit 1 when the ratio is under 1.6.
#
# Usage: tools/bench/sweep_parallel.sh [LEPTONSIM] [REPEAT]   (defaults: build/leptonsim, 1)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
leptonsim=$(realpath "${1:-$here/../../build/leptonsim}")
repeat=${2:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
# Busy processor-seconds of the whole machine so far, from /proc/stat (in USER_HZ ticks).
machine_busy() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / { print ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat; }
# Prints "WALL OTHERS": the sweep's wall time and the processor-seconds other processes used
# meanwhile (the machine's busy time less the sweep's own, which `times` gives once the sweep has
# ended: this function runs in a subshell of its own, whose only child is the sweep).
timed_sweep() {
  rm -rf "$work/j$1"
  busy=$(machine_busy)
  start=$(now)
  "$leptonsim" sweep "$here/sweep_parallel.json" --out "$work/j$1" -j "$1" -q
  end=$(now)
  busy_end=$(machine_busy)
  times >"$work/times"
  awk -v a="$end" -v b="$start" -v busy="$busy_end" -v busy0="$busy" '
    NR == 2 { mine = 0; for (i = 1; i <= 2; ++i) { split($i, t, /[ms]/); mine += t[1] * 60 + t[2] } }
    END { others = busy - busy0 - mine; print a - b, (others > 0 ? others : 0) }' "$work/times"
}

echo "machine: $(nproc) processors, load average $(cut -d' ' -f1-3 /proc/loadavg)"
best1=""
best2=""
i=0
while [ "$i" -lt "$repeat" ]; do
  for j in 1 2; do
    result=$(timed_sweep $j)
    printf -- '-j %s: %.2f s of wall time; other processes used %.1f processor-seconds meanwhile\n' $j $result
    wall=${result% *}
    if [ $j = 1 ]; then
      best1=$(printf '%s\n' $best1 "$wall" | sort -g | head -n 1)
    else
      best2=$(printf '%s\n' $best2 "$wall" | sort -g | head -n 1)
    fi
  done
  i=$((i + 1))
done
cmp -s "$work/j1/sweep.csv" "$work/j2/sweep.csv" || {
  echo "sweep.csv differs between -j 1 and -j 2" >&2
  exit 1
}
ratio=$(awk -v a="$best1" -v b="$best2" 'BEGIN { print a / b }')
printf 'sweep of 20 runs: -j 1 %.2f s, -j 2 %.2f s (best of %s): -j 2 is %.2fx faster\n' "$best1" "$best2" "$repeat" "$ratio"
if awk -v r="$ratio" 'BEGIN { exit !(r >= 1.6) }'; then
  echo "holds: at least 1.6x"
else
  echo "does not hold: under 1.6x"
  exit 1
fi
