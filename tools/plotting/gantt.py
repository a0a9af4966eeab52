"""`plot gantt RUN_DIR`: every task of tasks.csv as a bar on its node's core, over simulated time,
coloured by its source (sensor group or batch job). Periods when a node was down, read from an
optional events.csv (time_s,node,event with event down, up, declared_down or declared_up), are
shaded across its lanes, and the moments the failure detector declared a node down are marked.
"""

import fnmatch
from pathlib import Path

import matplotlib.lines as mlines
import matplotlib.patches as mpatches

from .figure import new_figure
from .inputs import PlotInputError, numeric, optional_value, read_csv, read_summary
from .palette import colours

TASK_COLUMNS = ("node", "source", "started_s", "finished_s")
EVENT_COLUMNS = ("time_s", "node", "event")
MAX_LEGEND_SOURCES = 12


class Lanes:
    """The rows of the chart: one per core (or per node), in the platform's order."""

    def __init__(self):
        self.keys = []      # (node, core or None)
        self.labels = []
        self.index = {}
        self.of_node = {}   # node -> list of lane indices

    def add(self, node, core, label):
        self.index[(node, core)] = len(self.keys)
        self.of_node.setdefault(node, []).append(len(self.keys))
        self.keys.append((node, core))
        self.labels.append(label)


def _node_order(run_dir, tasks):
    """Nodes in the platform's order with their core counts (nodes.csv), else as tasks name them."""
    path = Path(run_dir) / "nodes.csv"
    if path.is_file():
        nodes = read_csv(path, ("node", "cores", "kind"))
        numeric(nodes, path, ["cores"])
        return [(row.node, int(row.cores)) for row in nodes.itertuples() if row.kind != "qpu"]
    return [(node, None) for node in sorted(tasks["node"].unique())]


def _make_lanes(order, tasks, by_core, node_pattern):
    lanes = Lanes()
    used_cores = {}
    if by_core:
        for node, core in zip(tasks["node"], tasks["core"]):
            used_cores.setdefault(node, set()).add(int(core))
    for node, cores in order:
        if node_pattern and not fnmatch.fnmatchcase(node, node_pattern):
            continue
        if not by_core:
            lanes.add(node, None, node)
            continue
        count = cores if cores is not None else max(used_cores.get(node, {0})) + 1
        for core in range(count):
            lanes.add(node, core, f"{node} #{core}" if count > 1 else node)
    return lanes


EVENT_KINDS = ("down", "up", "declared_down", "declared_up")


def read_events(path):
    """Down periods per node from an events file, {node: [(down_s, up_s or None), ...]}, and the
    times the failure detector declared each node down, {node: [time_s, ...]}."""
    events = read_csv(path, EVENT_COLUMNS)
    numeric(events, path, ["time_s"])
    periods = {}
    declared = {}
    down_since = {}
    for line, row in enumerate(events.itertuples(), start=2):
        kind = str(row.event).strip().lower()
        if kind not in EVENT_KINDS:
            raise PlotInputError(f"{path}: column 'event', line {line}: '{row.event}' is not one of "
                                 + ", ".join(EVENT_KINDS))
        if kind == "declared_down":
            declared.setdefault(row.node, []).append(row.time_s)
        elif kind == "declared_up":
            continue
        elif kind == "down":
            down_since.setdefault(row.node, row.time_s)
        elif row.node in down_since:
            periods.setdefault(row.node, []).append((down_since.pop(row.node), row.time_s))
    for node, since in down_since.items():
        periods.setdefault(node, []).append((since, None))
    return periods, declared


def build(run_dir, by="core", nodes=None, start=None, end=None, events=None, title=None):
    run_dir = Path(run_dir)
    path = run_dir / "tasks.csv"
    tasks = read_csv(path, TASK_COLUMNS, hint="is it a leptonsim results folder?")
    by_core = by == "core" and "core" in tasks.columns
    numeric(tasks, path, ["started_s", "finished_s"] + (["core"] if by_core else []))
    if start is not None:
        tasks = tasks[tasks["finished_s"] >= start]
    if end is not None:
        tasks = tasks[tasks["started_s"] <= end]
    if nodes:
        tasks = tasks[[fnmatch.fnmatchcase(n, nodes) for n in tasks["node"]]]
    if tasks.empty:
        raise PlotInputError(f"{path}: no task to draw" + (" in the chosen window or nodes" if (
            nodes or start is not None or end is not None) else " (output.max_task_rows was 0?)"))

    lanes = _make_lanes(_node_order(run_dir, tasks), tasks, by_core, nodes)
    unknown = sorted(set(tasks["node"]) - set(node for node, _ in lanes.keys))
    if unknown:
        raise PlotInputError(f"{path}: node '{unknown[0]}' is not in {run_dir / 'nodes.csv'}")

    sources = list(dict.fromkeys(tasks["source"]))
    # Many sensor groups (one per site) are told apart by their group name, not their site.
    colour_key = (lambda s: s.rsplit(".", 1)[-1]) if len(sources) > MAX_LEGEND_SOURCES else (lambda s: s)
    keys = list(dict.fromkeys(colour_key(s) for s in sources))
    palette = dict(zip(keys, colours(len(keys))))

    height = min(60.0, max(3.0, 0.28 * len(lanes.keys) + 1.6))
    figure, (ax,) = new_figure(11, height)
    bars = {}
    for node, core, begin, finish, source in zip(tasks["node"], tasks["core"] if by_core else [None] * len(tasks),
                                                 tasks["started_s"], tasks["finished_s"], tasks["source"]):
        lane = lanes.index.get((node, int(core) if by_core else None))
        if lane is None:
            raise PlotInputError(f"{path}: node '{node}' has no core {core:g} in {run_dir / 'nodes.csv'}")
        bars.setdefault((lane, colour_key(source)), []).append((begin, finish - begin))
    for (lane, key), spans in sorted(bars.items()):
        collection = ax.broken_barh(spans, (lane - 0.4, 0.8), facecolors=palette[key], edgecolors="white",
                                    linewidth=0.3)
        collection.set_gid("tasks")

    x_min = start if start is not None else float(tasks["started_s"].min())
    x_max = end if end is not None else float(tasks["finished_s"].max())
    shaded = 0
    marked = 0
    events_path = Path(events) if events else run_dir / "events.csv"
    if events or events_path.is_file():
        down_periods, declared = read_events(events_path)
        for node, times in declared.items():
            if node not in lanes.of_node:
                continue
            rows = lanes.of_node[node]
            for time in times:
                line = ax.vlines(time, min(rows) - 0.5, max(rows) + 0.5, colors="black", linewidth=1.2)
                line.set_gid("detections")
                marked += 1
        for node, periods in down_periods.items():
            if node not in lanes.of_node:
                continue  # not drawn (filtered out, or not a compute node)
            rows = lanes.of_node[node]
            for down, up in periods:
                finish = up if up is not None else x_max
                collection = ax.broken_barh([(down, finish - down)], (min(rows) - 0.5, len(rows)),
                                            facecolors="#d62728", alpha=0.18, hatch="//", edgecolors="#d62728")
                collection.set_gid("failures")
                shaded += 1

    ax.set_ylim(len(lanes.keys) - 0.5, -0.5)
    ax.set_yticks(range(len(lanes.keys)))
    ax.set_yticklabels(lanes.labels, fontsize=8 if len(lanes.keys) <= 60 else 5)
    ax.set_xlim(x_min, x_max + (x_max - x_min) * 0.01 if x_max > x_min else x_min + 1)
    ax.grid(axis="y", alpha=0)
    ax.set_xlabel("simulated time (s)")
    ax.set_ylabel("node #core" if by_core else "node")
    handles = [mpatches.Patch(color=palette[k], label=k) for k in keys]
    if shaded:
        handles.append(mpatches.Patch(facecolor="#d62728", alpha=0.25, hatch="//", label="node down"))
    if marked:
        handles.append(mlines.Line2D([], [], color="black", linewidth=1.2, label="declared down"))
    ax.legend(handles=handles, title="source", loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)

    summary = read_summary(run_dir)
    name = optional_value(summary, "/scenario/name", run_dir.name)
    every = optional_value(summary, "/output/tasks_csv_every", 1)
    sampled = f" (1 task in {every} kept)" if isinstance(every, int) and every > 1 else ""
    ax.set_title(title or f"{name}: {len(tasks)} tasks per {'core' if by_core else 'node'} over time{sampled}")
    return figure


def default_name(run_dir):
    return Path(run_dir) / "gantt"
