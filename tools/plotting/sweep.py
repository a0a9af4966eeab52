"""`plot sweep DIR --x PARAM --y METRIC [--hue PARAM]`: a metric's mean against a parameter, one
line per value of --hue, with its 95% confidence band, from the sweep_summary.csv that
`leptonsim sweep` writes (docs/sweeps.md): one row per point, the columns `point`, one per
parameter (by its name in the sweep file), `runs`, `ok_runs`, and per metric `<metric>_n`,
`_mean`, `_sd`, `_ci95_low` and `_ci95_high`.
"""

import csv
import math
import re
import sys
from pathlib import Path

import numpy as np
from matplotlib.ticker import MaxNLocator

from .figure import new_figure
from .inputs import PlotInputError, numeric, read_csv
from .palette import colours
from .units import label, unit_of

SUMMARY_FILE = "sweep_summary.csv"
STATISTICS = ("_n", "_mean", "_sd", "_ci95_low", "_ci95_high")
FORMAT = ("the columns point, one per parameter, runs, ok_runs, then <metric>_n, _mean, _sd, _ci95_low and "
          "_ci95_high per metric, as leptonsim sweep writes them (docs/sweeps.md)")


def summary_path(where):
    where = Path(where)
    return where if where.is_file() else where / SUMMARY_FILE


def _header(path):
    with open(path, newline="", encoding="utf-8") as f:
        return next(csv.reader(f), [])


def layout(columns, path):
    """(parameters, metrics) of a sweep_summary.csv header, read from its end: five columns per
    metric, then ok_runs and runs; the parameters lie between point and runs."""
    seen = set()
    for column in columns:
        if column in seen:
            raise PlotInputError(f"{path}: the column '{column}' appears twice: give the parameter or metric "
                                 "another \"name\" in the sweep file")
        seen.add(column)
    metrics = []
    end = len(columns)
    while end >= 5 and columns[end - 5].endswith("_n"):
        name = columns[end - 5][: -len("_n")]
        if list(columns[end - 5:end]) != [name + s for s in STATISTICS]:
            break
        metrics.insert(0, name)
        end -= 5
    if end < 3 or columns[0] != "point" or list(columns[end - 2:end]) != ["runs", "ok_runs"]:
        raise PlotInputError(f"{path}: not a sweep's summary table: expected {FORMAT}; it has "
                             f"{', '.join(columns) or 'no columns'}")
    return list(columns[1:end - 2]), metrics


def _metric(y, metrics, path):
    if y in metrics:
        return y
    if y.endswith("_mean") and y[: -len("_mean")] in metrics:
        return y[: -len("_mean")]
    raise PlotInputError(f"{path}: no metric '{y}' for --y (metrics: {', '.join(metrics) or 'none'})")


def _parameter(name, option, parameters, path):
    if name not in parameters:
        raise PlotInputError(f"{path}: no parameter '{name}' for {option} (parameters: "
                             f"{', '.join(parameters) or 'none: the sweep has a single point'})")
    return name


def _as_numbers(values):
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        return None
    return numbers if all(math.isfinite(n) for n in numbers) else None


def _parse_where(where, parameters, path):
    filters = []
    for condition in where or []:
        if "=" not in condition:
            raise PlotInputError(f"--where {condition}: expected PARAM=VALUE")
        column, value = condition.split("=", 1)
        filters.append((_parameter(column, "--where", parameters, path), value))
    return filters


def _matches(cell, value):
    if cell == value:
        return True
    a, b = _as_numbers([cell]), _as_numbers([value])
    return a is not None and b is not None and a[0] == b[0]


def _check_counts(frame, path, columns):
    """Counts (runs, <metric>_n) must be whole and not negative; the lines are the file's."""
    for column in columns:
        for line, value in enumerate(frame[column], start=2):
            if not (value >= 0 and float(value).is_integer()):
                raise PlotInputError(f"{path}: column '{column}', line {line}: {value:g} is not a count")


def _replications_text(runs, counts):
    """'3 replications per point', or '2 to 3 of 3 ...' when some runs failed or had no value."""
    planned = "/".join(str(r) for r in sorted(set(runs)))
    plural = "" if planned == "1" else "s"
    if counts == runs:
        return f"{planned} replication{plural} per point"
    low, high = min(counts), max(counts)
    have = str(low) if low == high else f"{low} to {high}"
    return f"{have} of {planned} replications per point"


def build(where, x, y, hue=None, filters=None, logx=False, logy=False, target=None, title=None, warn=sys.stderr):
    path = summary_path(where)
    frame = read_csv(path, hint="a sweep's folder holds sweep_summary.csv, see docs/sweeps.md")
    parameters, metrics = layout(_header(path), path)
    x = _parameter(x, "--x", parameters, path)
    hue = None if hue is None else _parameter(hue, "--hue", parameters, path)
    metric = _metric(y, metrics, path)
    count, mean, low, high = (metric + s for s in ("_n", "_mean", "_ci95_low", "_ci95_high"))

    # Empty: no mean where no replication gave a value, no interval below two values.
    numeric(frame, path, [mean, low, high], allow_empty=True)
    numeric(frame, path, ["runs", count])
    _check_counts(frame, path, ["runs", count])
    for column, value in _parse_where(filters, parameters, path):
        frame = frame[[_matches(cell, value) for cell in frame[column]]]
    if frame.empty:
        raise PlotInputError(f"{path}: no row left after --where {' '.join(filters or [])}")

    # One row per point of each line: another parameter that varies would mix points on a line.
    keys = [x] + ([hue] if hue else [])
    duplicated = frame.duplicated(subset=keys, keep=False)
    if duplicated.any():
        varying = [p for p in parameters if p not in keys and frame.loc[duplicated, p].nunique(dropna=False) > 1]
        hint = f"; {', '.join(varying)} also varies: choose it with --hue or fix it with --where" if varying else ""
        raise PlotInputError(f"{path}: several rows share the same {' and '.join(keys)}{hint}")

    runs = [int(v) for v in frame["runs"]]
    counts = [int(v) for v in frame[count]]
    short = [str(p) for p, n, r in zip(frame["point"], counts, runs) if n < r]
    if short:
        print(f"plot: {path}: {metric} has a value in fewer than all replications at point "
              f"{', '.join(short)}: their means are over fewer runs (sweep.csv says why)", file=warn)

    x_numbers = _as_numbers(frame[x])
    categories = None if x_numbers is not None else list(dict.fromkeys(frame[x]))
    hue_values = list(dict.fromkeys(frame[hue])) if hue else [None]
    figure, (ax,) = new_figure(9, 5.5)
    banded = False
    for colour, value in zip(colours(len(hue_values)), hue_values):
        rows = frame if value is None else frame[frame[hue] == value]
        xs = np.array([float(v) for v in rows[x]]) if categories is None else np.array(
            [categories.index(v) for v in rows[x]], dtype=float)
        order = np.argsort(xs, kind="stable")
        xs = xs[order]
        means = rows[mean].to_numpy(dtype=float)[order]
        name = "mean" if value is None else f"{hue} = {value}"
        ax.plot(xs, means, marker="o", color=colour, label=name, gid=f"mean:{value}")
        lows = rows[low].to_numpy(dtype=float)[order]
        highs = rows[high].to_numpy(dtype=float)[order]
        finite = np.isfinite(lows) & np.isfinite(highs)
        if finite.any():
            band = ax.fill_between(xs, lows, highs, where=finite, color=colour, alpha=0.18, linewidth=0,
                                   interpolate=False)
            band.set_gid(f"ci95:{value}")
            banded = True
    if target is not None:
        ax.axhline(target, color="#d62728", linestyle="--", linewidth=1,
                   label=f"target {target:g} {unit_of(metric)}".rstrip(), gid="target")
    if categories is not None:
        ax.set_xticks(range(len(categories)))
        ax.set_xticklabels(categories)
    elif all(float(v).is_integer() for v in x_numbers):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 4.5 nodes
    if logx and categories is None:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(label(x))
    ax.set_ylabel(label(metric))
    band_text = " with 95% confidence bands" if banded else ""
    ax.set_title(title or f"{metric}: mean{band_text}, {_replications_text(runs, counts)}", fontsize=11)
    ax.legend(fontsize=8)
    return figure


def default_name(where, y):
    folder = Path(where).parent if Path(where).is_file() else Path(where)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", y).strip("_.") or "metric"
    return folder / f"sweep-{slug}"
