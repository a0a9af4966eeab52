"""Regenerates the reference results under results/reference/ and the figures under
results/figures/ that README.md shows, by running the commands listed in results/README.md (this
list is the source; a test checks that the two agree). Run from anywhere; works in the repository.
"""

import argparse
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LEPTONSIM = "build/leptonsim"
REFERENCE = "results/reference"
FIGURES = "results/figures"
# Small enough to commit, and every task of the small batch runs that the Gantt chart shows.
MAX_TASK_ROWS = 2000

# The city's capacity-planning sweep (its settings are in the sweep file). Only its two tables are
# kept: the figure and results/README.md need nothing else, and the 30 run folders would add about
# 6 MB (a summary.json and a timeline.csv each) to the repository.
CITY_CAPACITY = f"{REFERENCE}/city_capacity"
CITY_CAPACITY_SWEEP = [
    [LEPTONSIM, "sweep", "tools/reference/city_capacity.json", "--out", CITY_CAPACITY, "-j", "2"],
    ["rm", "-r", f"{CITY_CAPACITY}/runs", f"{CITY_CAPACITY}/scenario", f"{CITY_CAPACITY}/sweep.json"],
]


# The shipped scenarios whose results README.md and the model figure show.
SCENARIOS = ["batch_balanced", "batch_contention", "batch_heterogeneous", "seed_example_4_3", "smart_city_5m",
             "stream_overload", "stream_stable"]


def run_commands():
    commands = []
    for name in SCENARIOS:
        command = [LEPTONSIM, "run", f"scenarios/{name}.json", "--out", f"{REFERENCE}/{name}",
                   "--set", f'/output={{"max_task_rows": {MAX_TASK_ROWS}}}', "--quiet"]
        if name == "batch_heterogeneous":
            command += ["--trace", f"{REFERENCE}/{name}/trace.json"]
        commands.append(command)
    commands += CITY_CAPACITY_SWEEP
    return commands


def figure_commands(figures):
    return [
        ["tools/plot", "model", REFERENCE, "--out", f"{figures}/model_vs_simulation.png"],
        ["tools/plot", "gantt", f"{REFERENCE}/batch_heterogeneous", "--out",
         f"{figures}/gantt_batch_heterogeneous.png"],
        ["tools/plot", "timeline", f"{REFERENCE}/stream_overload", "--out", f"{figures}/timeline_stream_overload.png"],
        ["tools/plot", "sweep", CITY_CAPACITY, "--x", "edge_boxes", "--y", "sensor_p99_s", "--hue", "policy",
         "--logy", "--target", "0.1", "--title",
         "smart_city_5m: p99 latency of a district's sensors against its edge boxes (3 replications, 95% CI)",
         "--out", f"{figures}/city_capacity_p99.png"],
    ]


def main(argv=None):
    p = argparse.ArgumentParser(prog="tools/reference-results", description=__doc__.split("\n\n")[0])
    p.add_argument("--figures-only", action="store_true",
                   help="only redraw the figures from the results already in results/reference (seconds)")
    p.add_argument("--figures-dir", default=FIGURES, help=f"where the figures go (default {FIGURES})")
    p.add_argument("--dry-run", action="store_true", help="print the commands without running them")
    args = p.parse_args(argv)
    commands = [] if args.figures_only else run_commands()
    commands += [["mkdir", "-p", args.figures_dir]] + figure_commands(args.figures_dir)
    for command in commands:
        print(shlex.join(command), flush=True)
        if args.dry_run:
            continue
        done = subprocess.run(command, cwd=ROOT)
        if done.returncode != 0:
            print(f"reference-results: the command above failed with exit code {done.returncode}", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
