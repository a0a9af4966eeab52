"""A small parameter sweep as a loop of `leptonsim run --set` calls, one process at a time: every
combination of the --vary values, each run once per seed, then sweep.csv (one row per run) and
sweep_summary.csv (one row per point: mean, standard deviation, 95% confidence interval), in the
format docs/plots.md describes for `plot sweep`. Until `leptonsim sweep` exists, this is what
produces the city's capacity-planning curve (tools/reference-results).
"""

import argparse
import csv
import itertools
import json
import math
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tools/, for the plotting package
from plotting.pointer import resolve  # noqa: E402

# Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom.
T_975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
         2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
         2.045, 2.042]


def t_975(degrees):
    # Beyond the table, 1.96 + 2.4 / df is within 0.002 of the exact quantile.
    return T_975[degrees - 1] if degrees <= len(T_975) else 1.96 + 2.4 / degrees


def statistics(values):
    """mean, sample standard deviation, 95% CI low and high (None where undefined)."""
    n = len(values)
    if n == 0:
        return None, None, None, None
    mean = sum(values) / n
    if n == 1:
        return mean, None, None, None
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = t_975(n - 1) * std / math.sqrt(n)
    return mean, std, mean - half, mean + half


def text(value):
    if value is None:
        return ""
    return repr(float(value)) if isinstance(value, float) else str(value)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="sweep_loop.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--leptonsim", required=True, help="the leptonsim binary")
    p.add_argument("--scenario", required=True, help="the base scenario")
    p.add_argument("--out", required=True, help="folder for sweep.csv and sweep_summary.csv")
    p.add_argument("--vary", action="append", required=True, metavar="/POINTER=V1,V2,...",
                   help="a parameter and its values (repeatable; every combination runs)")
    p.add_argument("--seeds", default="1", help="comma-separated seeds, one run per seed and point (default 1)")
    p.add_argument("--metric", action="append", required=True, metavar="/POINTER",
                   help="a number in summary.json to collect (repeatable)")
    p.add_argument("--set", action="append", default=[], metavar="/POINTER=VALUE",
                   help="passed to every run unchanged (repeatable)")
    p.add_argument("--keep", choices=("none", "summaries", "runs"), default="none",
                   help="what to keep of each run under OUT/runs (default none)")
    p.add_argument("--dry-run", action="store_true", help="print the commands without running them")
    args = p.parse_args(argv)
    args.parameters = []
    for vary in args.vary:
        pointer, sep, values = vary.partition("=")
        if not sep or not pointer.startswith("/") or not values:
            p.error(f"--vary {vary}: expected /json/pointer=V1,V2,...")
        args.parameters.append((pointer, values.split(",")))
    try:
        args.seed_list = [int(s) for s in args.seeds.split(",")]
    except ValueError:
        p.error(f"--seeds {args.seeds}: expected comma-separated integers")
    return args


def main(argv=None):
    args = parse_args(argv)
    out = Path(args.out)
    names = [pointer for pointer, _ in args.parameters]
    points = list(itertools.product(*[values for _, values in args.parameters]))
    rows = []
    failures = 0
    if not args.dry_run:
        out.mkdir(parents=True, exist_ok=True)
    for index, point in enumerate(points):
        for seed in args.seed_list:
            run_dir = out / "runs" / f"p{index:03d}-s{seed}"
            command = [args.leptonsim, "run", args.scenario, "--out", str(run_dir), "--seed", str(seed), "--quiet"]
            # Overrides apply in order: the fixed ones first, so that a point's values win.
            for setting in args.set:
                command += ["--set", setting]
            for pointer, value in zip(names, point):
                command += ["--set", f"{pointer}={value}"]
            print("+ " + shlex.join(command), flush=True)
            if args.dry_run:
                continue
            done = subprocess.run(command, capture_output=True, text=True)
            row = dict(zip(names, point), seed=seed)
            if done.returncode != 0:
                failures += 1
                first = (done.stderr.strip().splitlines() or ["no message"])[0]
                row["status"] = f"exit {done.returncode}: {first}"
                print(f"  failed: {row['status']}", file=sys.stderr)
            else:
                with open(run_dir / "summary.json", encoding="utf-8") as f:
                    summary = json.load(f)
                for metric in args.metric:
                    value = resolve(summary, metric, None)
                    if isinstance(value, bool) or not isinstance(value, (int, float)):
                        print(f"sweep_loop: {run_dir / 'summary.json'}: {metric} is {json.dumps(value)}, "
                              "not a number", file=sys.stderr)
                        return 2
                    row[metric] = float(value)
                row["status"] = "ok"
                if args.keep == "none":
                    shutil.rmtree(run_dir)
                elif args.keep == "summaries":
                    for item in run_dir.iterdir():
                        if item.name != "summary.json":
                            item.unlink()
            rows.append(row)
    if args.dry_run:
        return 0
    if args.keep == "none":
        shutil.rmtree(out / "runs", ignore_errors=True)

    with open(out / "sweep.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(names + ["seed"] + args.metric + ["status"])
        for row in rows:
            writer.writerow([row[n] for n in names] + [row["seed"]] + [text(row.get(m)) for m in args.metric]
                            + [row["status"]])
    with open(out / "sweep_summary.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        header = list(names)
        for metric in args.metric:
            header += [metric + "_mean", metric + "_std", metric + "_ci95_low", metric + "_ci95_high"]
        writer.writerow(header + ["replications"])
        for point in points:
            done = [r for r in rows if r["status"] == "ok" and all(r[n] == v for n, v in zip(names, point))]
            line = list(point)
            for metric in args.metric:
                line += [text(v) for v in statistics([r[metric] for r in done])]
            writer.writerow(line + [len(done)])
    print(f"sweep_loop: {len(rows) - failures} of {len(rows)} runs ok; wrote {out / 'sweep.csv'} and "
          f"{out / 'sweep_summary.csv'}")
    return 0 if failures == 0 else 3


if __name__ == "__main__":
    sys.exit(main())
