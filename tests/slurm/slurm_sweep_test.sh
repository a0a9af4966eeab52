#!/bin/bash
# A real single-node Slurm cluster (Debian's slurm-wlm and munge) runs a sweep as a job array and
# a dependent gather job; the sweep.csv it gathers must equal the one a local run writes. The
# daemons run from a private folder, on their own ports and munge socket, and are stopped at the end.
#
# Usage: slurm_sweep_test.sh LEPTONSIM SWEEP_FILE WORK_DIR
# Exit 77 (CTest: skipped) when Slurm cannot be started here (not root, packages missing), unless
# LEPTONSIM_REQUIRE_SLURM=1 (as .ci/run sets), which makes that a failure.
set -u

leptonsim=$1
sweep=$2
work=$3

say() { echo "slurm test: $*" >&2; }
fail() {
  say "FAILED: $*"
  exit 1
}
cannot_start() {
  if [ "${LEPTONSIM_REQUIRE_SLURM:-0}" = 1 ]; then
    fail "$* (LEPTONSIM_REQUIRE_SLURM=1, so this test may not be skipped)"
  fi
  say "skipped: $*"
  exit 77
}

[ "$(id -u)" -eq 0 ] || cannot_start "needs root to start munged, slurmctld and slurmd"
for program in munged munge slurmctld slurmd sbatch scontrol sinfo; do
  command -v "$program" >/dev/null 2>&1 || cannot_start "$program is missing: apt-get install slurm-wlm munge"
done

rm -rf "$work"
mkdir -p "$work/state" "$work/spool" "$work/log"
work=$(cd "$work" && pwd)
# munged refuses a socket or key below a folder that others cannot traverse (a checkout in
# /root, or in a mktemp -d folder), so its files live in a folder of their own under /tmp.
munge=$(mktemp -d /tmp/leptonsim-munge.XXXXXX)
chmod 0755 "$munge"

socket=$munge/munge.socket
export SLURM_CONF=$work/slurm.conf

stop_cluster() {
  if [ -f "$work/slurmctld.pid" ] || [ -f "$work/slurmd.pid" ]; then
    scontrol shutdown >/dev/null 2>&1
    for _ in $(seq 50); do
      alive=0
      for pidfile in "$work/slurmctld.pid" "$work/slurmd.pid"; do
        [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && alive=1
      done
      [ $alive -eq 0 ] && break
      sleep 0.1
    done
    for pidfile in "$work/slurmctld.pid" "$work/slurmd.pid"; do
      [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && kill -KILL "$(cat "$pidfile")"
    done
  fi
  if [ -S "$socket" ]; then
    munged --stop --socket="$socket" >/dev/null 2>&1
  fi
  rm -rf "$munge"
}
show_logs() {
  for log in "$work"/log/*.log "$munge"/munged.log; do
    [ -f "$log" ] && { echo "--- $log (last lines)"; tail -n 20 "$log"; } >&2
  done
}
trap 'status=$?; [ $status -ne 0 ] && [ $status -ne 77 ] && show_logs; stop_cluster; exit $status' EXIT

# munge: a fresh key, a private socket.
head -c 1024 /dev/urandom >"$munge/munge.key"
chmod 0400 "$munge/munge.key"
munged --socket="$socket" --key-file="$munge/munge.key" --pid-file="$munge/munged.pid" \
  --log-file="$munge/munged.log" --seed-file="$munge/munged.seed" ||
  fail "munged did not start"

host=$(hostname -s)
cat >"$SLURM_CONF" <<EOF
ClusterName=leptonsim-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=26817
SlurmdPort=26818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=leptonsim-node NodeHostname=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF

slurmctld -i || fail "slurmctld did not start"
slurmd -N leptonsim-node || fail "slurmd did not start"
for _ in $(seq 300); do
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -n 1)
  [ "$state" = idle ] && break
  sleep 0.1
done
[ "$state" = idle ] || fail "the node never became idle (state: '${state:-none}')"
say "single-node cluster up: $(sinfo -h -o '%P %D nodes %c cpus %T')"

# The same sweep, locally and as a job array.
"$leptonsim" sweep "$sweep" --out "$work/local" -j 2 -q || fail "the local sweep failed"
submitted=$("$leptonsim" sweep "$sweep" --out "$work/cluster" --slurm --shards 3 --submit) ||
  fail "leptonsim sweep --slurm --submit failed"
echo "$submitted" >&2
array=$(echo "$submitted" | sed -n 's/^submitted array job \([0-9]*\) .*/\1/p')
gather=$(echo "$submitted" | sed -n 's/.* and gather job \([0-9]*\),.*/\1/p')
[ -n "$array" ] && [ -n "$gather" ] || fail "no job ids in: $submitted"

job_state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1; }
for _ in $(seq 1800); do
  state=$(job_state "$gather")
  case "$state" in
    COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) break ;;
  esac
  sleep 0.1
done
[ "$state" = COMPLETED ] || fail "the gather job $gather ended as '${state:-unknown}'"

# Every array task ran its shard on the cluster, and the gather job built the tables there.
for task in 1 2 3; do
  log=$work/cluster/slurm/shard-$task.log
  [ -f "$log" ] || fail "array task $task left no log"
  grep -q "shard $task/3" "$log" || fail "array task $task did not run shard $task/3: $(cat "$log")"
done
tasks=$(scontrol show job "$array" 2>/dev/null | grep -c 'JobState=COMPLETED')
[ "$tasks" -eq 3 ] || fail "$tasks of the 3 array tasks completed"
grep -q "12 runs: 12 ok" "$work/cluster/slurm/gather.log" || fail "gather: $(cat "$work/cluster/slurm/gather.log")"

cmp "$work/local/sweep.csv" "$work/cluster/sweep.csv" || fail "sweep.csv differs between the local run and Slurm"
cmp "$work/local/sweep_summary.csv" "$work/cluster/sweep_summary.csv" ||
  fail "sweep_summary.csv differs between the local run and Slurm"
[ "$(wc -l <"$work/cluster/sweep.csv")" -eq 13 ] || fail "sweep.csv does not have 12 rows"
say "ok: array job $array (3 tasks) and gather job $gather gave the local run's sweep.csv, byte for byte"
