"""Test fixture: real leptonsim outputs for the plot tests, in $PLOT_WORK. The small shipped
scenarios run exactly as tools/reference-results runs them (so that the committed reference
results can be compared), plus a shortened overload stream, a short stream with one node failing, and
a small sweep of stream_stable made by `leptonsim sweep` (stream_stable_sweep.json).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import common
import make_results

SMALL = ["batch_balanced", "batch_contention", "batch_heterogeneous", "seed_example_4_3", "stream_overload",
         "stream_stable"]


def run(command):
    print("+ " + " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=common.SOURCE)


def main():
    work = common.WORK
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for command in make_results.run_commands():
        if command[:2] != [make_results.LEPTONSIM, "run"] or Path(command[2]).stem not in SMALL:
            continue  # the city and its sweep take minutes: not in the test suite
        command = [str(common.LEPTONSIM)] + [c.replace(make_results.REFERENCE, str(work / "reference"))
                                             for c in command[1:]]
        run(command)
    run([str(common.LEPTONSIM), "run", "scenarios/stream_overload.json", "--out", str(work / "overload"),
         "--set", "/workload/duration=4s", "--quiet"])
    # One edge node fails from 1 s to 2 s; heartbeats every 0.1 s, declared down after 0.3 s of silence.
    run([str(common.LEPTONSIM), "run", "scenarios/stream_stable.json", "--out", str(work / "failure"),
         "--set", "/workload/duration=3s", "--set",
         '/faults={"detection": {"heartbeat": "0.1s", "timeout": "0.3s"}, "recovery": {"strategy": "retry"}, '
         '"events": [{"target": "edge.node-1", "down": "1s", "up": "2s"}]}', "--quiet"])
    # 3 node counts x 2 policies x 3 replications of 2 s; every run's folder is kept.
    run([str(common.LEPTONSIM), "sweep", "tests/plot/stream_stable_sweep.json", "--out", str(work / "sweep"),
         "-j", "2", "--quiet"])
    return 0


if __name__ == "__main__":
    os.chdir(common.SOURCE)
    sys.exit(main())
