"""`plot sweep DIR --x PARAM --y METRIC [--hue PARAM]`: a metric's mean against a parameter, one
line per value of --hue, with its 95% confidence band, from sweep_summary.csv: one row per point,
parameters as columns named by JSON pointer, and <metric>_mean, _ci95_low, _ci95_high per metric.
"""

import math
import sys
from pathlib import Path

import numpy as np
from matplotlib.ticker import MaxNLocator

from .figure import new_figure
from .inputs import PlotInputError, numeric, read_csv
from .palette import colours
from .units import label, unit_of

SUMMARY_FILE = "sweep_summary.csv"
STATISTICS = ("_mean", "_std", "_ci95_low", "_ci95_high")


def summary_path(where):
    where = Path(where)
    return where if where.is_file() else where / SUMMARY_FILE


def _metric_name(y):
    for suffix in STATISTICS:
        if y.endswith(suffix):
            return y[: -len(suffix)]
    return y


def _parameters(frame):
    """Columns that are parameters: every column that is not a statistic of a metric."""
    return [c for c in frame.columns if not c.endswith(STATISTICS) and c not in ("replications", "points")]


def _as_numbers(values):
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        return None
    return numbers if all(math.isfinite(n) for n in numbers) else None


def _parse_where(where, frame, path):
    filters = []
    for condition in where or []:
        if "=" not in condition:
            raise PlotInputError(f"--where {condition}: expected PARAM=VALUE")
        column, value = condition.split("=", 1)
        if column not in frame.columns:
            raise PlotInputError(f"{path}: no column '{column}' (for --where; parameters: "
                                 f"{', '.join(_parameters(frame))})")
        filters.append((column, value))
    return filters


def _matches(cell, value):
    if cell == value:
        return True
    a, b = _as_numbers([cell]), _as_numbers([value])
    return a is not None and b is not None and a[0] == b[0]


def build(where, x, y, hue=None, filters=None, logx=False, logy=False, target=None, title=None, warn=sys.stderr):
    path = summary_path(where)
    metric = _metric_name(y)
    mean, low, high = metric + "_mean", metric + "_ci95_low", metric + "_ci95_high"
    frame = read_csv(path, hint="a sweep's folder holds sweep_summary.csv, see docs/plots.md")
    parameters = _parameters(frame)
    if x not in frame.columns:
        raise PlotInputError(f"{path}: no column '{x}' for --x (parameters: {', '.join(parameters) or 'none'})")
    if hue is not None and hue not in frame.columns:
        raise PlotInputError(f"{path}: no column '{hue}' for --hue (parameters: {', '.join(parameters) or 'none'})")
    if mean not in frame.columns:
        metrics = sorted({c[: -len('_mean')] for c in frame.columns if c.endswith("_mean")})
        raise PlotInputError(f"{path}: no column '{mean}' for --y {y} (metrics: {', '.join(metrics) or 'none'})")
    bands = low in frame.columns and high in frame.columns
    if not bands:
        missing = low if low not in frame.columns else high
        print(f"plot: {path}: no column '{missing}': drawing means without confidence bands", file=warn)

    # Empty: no interval with a single replication, no mean where every run failed.
    numeric(frame, path, [mean] + ([low, high] if bands else []), allow_empty=True)
    for column, value in _parse_where(filters, frame, path):
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

    x_numbers = _as_numbers(frame[x])
    categories = None if x_numbers is not None else list(dict.fromkeys(frame[x]))
    hue_values = list(dict.fromkeys(frame[hue])) if hue else [None]
    figure, (ax,) = new_figure(9, 5.5)
    for colour, value in zip(colours(len(hue_values)), hue_values):
        rows = frame if value is None else frame[frame[hue] == value]
        xs = np.array([float(v) for v in rows[x]]) if categories is None else np.array(
            [categories.index(v) for v in rows[x]], dtype=float)
        order = np.argsort(xs, kind="stable")
        xs = xs[order]
        means = rows[mean].to_numpy(dtype=float)[order]
        name = "mean" if value is None else f"{hue} = {value}"
        ax.plot(xs, means, marker="o", color=colour, label=name, gid=f"mean:{value}")
        if bands:
            lows = rows[low].to_numpy(dtype=float)[order]
            highs = rows[high].to_numpy(dtype=float)[order]
            finite = np.isfinite(lows) & np.isfinite(highs)
            if finite.any():
                band = ax.fill_between(xs, lows, highs, where=finite, color=colour, alpha=0.18, linewidth=0,
                                       interpolate=False)
                band.set_gid(f"ci95:{value}")
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
    replications = ""
    if "replications" in frame.columns:
        counts = sorted({str(v) for v in frame["replications"]})
        replications = f", {'/'.join(counts)} replications per point"
    band_text = " with 95% confidence bands" if bands else ""
    ax.set_title(title or f"{metric}: mean{band_text}{replications}", fontsize=11)
    ax.legend(fontsize=8)
    return figure


def default_name(where, y):
    folder = Path(where).parent if Path(where).is_file() else Path(where)
    slug = _metric_name(y).strip("/").replace("/", "_") or "metric"
    return folder / f"sweep-{slug}"
