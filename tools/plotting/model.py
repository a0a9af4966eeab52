"""`plot model DIR...`: simulated time against the analytic prediction, one point per batch job
and form (balanced T/sum(C) + S*eta, refined max(load_i/C_i) + S*eta, literal N*T/sum(C) + S*eta)
and one per stream run (its end against max(duration, total work / capacity)), with the y = x
line: points on it are runs the formula predicts. Reads every summary.json under the folders.
"""

from pathlib import Path

import numpy as np

from .figure import new_figure
from .inputs import PlotInputError, pointer_get, pointer_number, read_summary
from .palette import colours

FORMS = {
    "balanced": ("balanced_s", "batch: balanced  T/ΣC + Sη", "o"),
    "refined": ("refined_s", "batch: refined  max(load/C) + Sη", "s"),
    "literal": ("literal_s", "batch: literal  N·T/ΣC + Sη", "x"),
}
STREAM_SERIES = ("stream: max(duration, work/ΣC)", "^")


def find_runs(folders):
    """Every folder holding a summary.json under the given folders, sorted, without duplicates."""
    runs = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            raise PlotInputError(f"{folder}: no such folder")
        found = sorted(p.parent for p in folder.rglob("summary.json"))
        if not found:
            raise PlotInputError(f"{folder}: no summary.json under this folder (no leptonsim run to plot)")
        runs.extend(found)
    return list(dict.fromkeys(runs))


def points(run_dir, forms):
    """[(series, label, predicted_s, simulated_s)] of one run."""
    summary = read_summary(run_dir, required=True)
    path = Path(run_dir) / "summary.json"
    name = pointer_get(summary, "/scenario/name", path)
    workload = pointer_get(summary, "/scenario/workload", path)
    found = []
    if workload == "batch":
        jobs = pointer_get(summary, "/jobs", path)
        if not isinstance(jobs, dict) or not jobs:
            raise PlotInputError(f"{path}: /jobs holds no job")
        for job in jobs:
            escaped = job.replace("~", "~0").replace("/", "~1")
            simulated = pointer_number(summary, f"/jobs/{escaped}/makespan_s", path)
            for form in forms:
                key, series, _ = FORMS[form]
                predicted = pointer_number(summary, f"/jobs/{escaped}/model/{key}", path)
                found.append((series, f"{name}/{job}", predicted, simulated))
    elif workload == "stream":
        simulated = pointer_number(summary, "/metrics/end_time_s", path)
        predicted = max(pointer_number(summary, "/model/arrival_bound_s", path),
                        pointer_number(summary, "/model/seed_balanced_s", path))
        found.append((STREAM_SERIES[0], name, predicted, simulated))
    else:
        raise PlotInputError(f"{path}: /scenario/workload is {workload!r}, not 'batch' or 'stream'")
    return found


def _labels(all_points, low, high, close=0.012):
    """Labels naming each job or run once, at its first point; points closer than `close` (a
    share of the log axis) share one label, e.g. 'seed_example_4_3/case_a, case_b'."""
    span = np.log10(high) - np.log10(low)
    places = []  # [[x, y, [labels]]]
    named = set()
    for _, label, x, y in all_points:
        if label in named:
            continue  # a job is named once, at its first form
        named.add(label)
        for place in places:
            if (abs(np.log10(x) - np.log10(place[0])) < close * span
                    and abs(np.log10(y) - np.log10(place[1])) < close * span):
                if label not in place[2]:
                    place[2].append(label)
                break
        else:
            places.append([x, y, [label]])
    for x, y, labels in places:
        text, previous = [], None
        for label in labels:
            run, _, job = label.partition("/")
            text.append(job if run == previous and job else label)
            previous = run
        yield (x, y), ", ".join(text)


def build(folders, forms=("balanced", "refined"), annotate=None, title=None):
    for form in forms:
        if form not in FORMS:
            raise PlotInputError(f"--forms: unknown form '{form}' (balanced, refined, literal)")
    runs = find_runs(folders)
    all_points = [p for run in runs for p in points(run, forms)]
    figure, (ax,) = new_figure(9, 7)
    markers = {series: marker for _, series, marker in FORMS.values()}
    markers[STREAM_SERIES[0]] = STREAM_SERIES[1]
    series_names = list(dict.fromkeys(p[0] for p in all_points))
    values = np.array([[p[2], p[3]] for p in all_points])
    positive = values[values > 0]
    low = positive.min() / 1.6 if positive.size else 0.1
    high = values.max() * 1.6 if values.size else 1.0
    ax.plot([low, high], [low, high], color="grey", linestyle="--", linewidth=1, label="y = x (prediction holds)",
            gid="identity")
    # A job's forms share its simulated time: a faint segment joins them, so that the distance
    # between the forms reads as how far each is from the simulation.
    for label in dict.fromkeys(p[1] for p in all_points):
        xs = [p[2] for p in all_points if p[1] == label]
        if len(xs) > 1 and max(xs) > min(xs):
            y = next(p[3] for p in all_points if p[1] == label)
            ax.plot([min(xs), max(xs)], [y, y], color="#999999", linewidth=0.8, zorder=1)
    palette = colours(len(series_names))
    for colour, series in zip(palette, series_names):
        chosen = [p for p in all_points if p[0] == series]
        style = {"s": 40, "color": colour}
        if series == FORMS["refined"][1]:  # hollow, over the balanced dot when both agree
            style = {"s": 90, "facecolors": "none", "edgecolors": colour}
        ax.scatter([p[2] for p in chosen], [p[3] for p in chosen], marker=markers[series], linewidths=1.5,
                   label=series, gid=f"points:{series}", zorder=3, **style)
    if annotate is None:
        annotate = len(all_points) <= 40
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    ax.set_aspect("equal")
    if annotate:
        for (x, y), text in _labels(all_points, low, high):
            ax.annotate(text, (x, y), textcoords="offset points", xytext=(6, 5), fontsize=7, alpha=0.85)
    ax.set_xlabel("predicted by the cost model (s)")
    ax.set_ylabel("simulated: batch makespan, stream end time (s)")
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(title or f"Simulation against the analytic model: {len(runs)} runs, {len(all_points)} points")
    return figure


def default_name(folders):
    return Path(folders[0]) / "model"
