#!/bin/sh
# Runs a scenario again with the same seed and compares the results folder byte for byte with a
# first run (the "scenario:" test's folder, or a run of its own), then runs it with another seed.
#
# usage: determinism_test.sh LEPTONSIM SCENARIO WORK FIRST SEED_MATTERS [LEPTONSIM_RUN_ARGS...]
#   FIRST         the first run's results folder; "-" runs it here
#   SEED_MATTERS  "yes": the scenario draws random numbers, so another seed must change its results;
#                 "no": it draws none, so another seed must change nothing but the recorded seed (and digest)
set -eu
bin=$1 scenario=$2 work=$3 first=$4 seed_matters=$5
shift 5
other_seed=918273645  # no shipped scenario uses it

rm -rf "$work"
mkdir -p "$work"
if [ "$first" = "-" ]; then
  first=$work/first
  "$bin" run "$scenario" --quiet --out "$first" "$@"
fi
[ -f "$first/summary.json" ] || { echo "no first run at $first" >&2; exit 1; }

"$bin" run "$scenario" --quiet --out "$work/again" "$@"
if ! diff -r "$first" "$work/again" >"$work/same-seed.diff"; then
  echo "the same scenario and seed gave different results:" >&2
  head -c 4000 "$work/same-seed.diff" >&2
  exit 1
fi
echo "same seed: $(ls "$first" | wc -l) files byte-identical ($(cat "$first"/* | wc -c) bytes)"

"$bin" run "$scenario" --quiet --out "$work/other" --seed $other_seed "$@"
grep -q "\"seed\": $other_seed" "$work/other/summary.json" || { echo "summary.json does not record the seed" >&2; exit 1; }
# Everything but the lines that record the seed, and the scenario's digest, which covers the seed.
changed=0
for f in "$first"/*; do
  name=$(basename "$f")
  if [ "$name" = summary.json ]; then
    grep -v -e '"seed"' -e '"digest"' "$f" >"$work/first-summary"
    grep -v -e '"seed"' -e '"digest"' "$work/other/$name" >"$work/other-summary"
    cmp -s "$work/first-summary" "$work/other-summary" || changed=$((changed + 1))
  else
    cmp -s "$f" "$work/other/$name" || changed=$((changed + 1))
  fi
done
echo "seed $other_seed: $changed files differ beyond the seed itself"
if [ "$seed_matters" = yes ] && [ $changed -eq 0 ]; then
  echo "another seed left every result as it was, but this scenario draws random numbers" >&2
  exit 1
fi
if [ "$seed_matters" = no ] && [ $changed -ne 0 ]; then
  echo "another seed changed the results of a scenario that draws no random numbers" >&2
  exit 1
fi
