"""`plot timeline RUN_DIR`: from timeline.csv, three panels over simulated time: tasks in transit,
queued and running; throughput; and utilisation, the share of the scope's cores busy at each
sample (cores from nodes.csv). One scope (all, or a site), or every site at once.
"""

import math
from pathlib import Path

from .figure import new_figure
from .inputs import PlotInputError, numeric, optional_value, read_csv, read_summary
from .palette import colours

TIMELINE_COLUMNS = ("time_s", "scope", "in_transit_tasks", "queued_tasks", "running_tasks", "throughput_per_s")
COUNTS = (("in_transit_tasks", "in transit"), ("queued_tasks", "queued"), ("running_tasks", "running"))


def _cores_per_scope(run_dir):
    path = Path(run_dir) / "nodes.csv"
    nodes = read_csv(path, ("node", "site", "kind", "cores"), hint="needed for utilisation: cores per site")
    numeric(nodes, path, ["cores"])
    compute = nodes[nodes["kind"] != "qpu"]
    cores = {"all": float(compute["cores"].sum())}
    for site, group in compute.groupby("site", sort=False):
        cores[site] = float(group["cores"].sum())
    return cores


def build(run_dir, scope="all", title=None):
    run_dir = Path(run_dir)
    path = run_dir / "timeline.csv"
    timeline = read_csv(path, TIMELINE_COLUMNS, hint="is it a leptonsim results folder?")
    numeric(timeline, path, ["time_s", "throughput_per_s"] + [c for c, _ in COUNTS]
            + (["dropped_tasks"] if "dropped_tasks" in timeline else []))
    scopes = list(dict.fromkeys(timeline["scope"]))
    cores = _cores_per_scope(run_dir)
    # Sites without compute nodes (gateways, routers) process nothing: every site means the others.
    sites = [s for s in scopes if s != "all" and cores.get(s)]
    if scope == "each":
        if not sites:
            raise PlotInputError(f"{path}: the run has a single site; use --scope all")
        chosen = sites
    elif scope in scopes:
        chosen = [scope]
    else:
        raise PlotInputError(f"{path}: no scope '{scope}' in column 'scope' (it has: {', '.join(scopes)}; "
                             "or 'each' for every site)")
    if not cores.get(chosen[0]):
        raise PlotInputError(f"{run_dir / 'nodes.csv'}: no compute node at site '{chosen[0]}'")

    figure, (counts_ax, throughput_ax, utilisation_ax) = new_figure(10, 8, rows=3, sharex=True)
    several = len(chosen) > 1
    palette = colours(len(chosen))
    for colour, s in zip(palette, chosen):
        rows = timeline[timeline["scope"] == s]
        t = rows["time_s"].to_numpy()
        if several:
            in_system = sum(rows[c].to_numpy() for c, _ in COUNTS)
            counts_ax.plot(t, in_system, color=colour, label=s, linewidth=1, gid=f"in_system:{s}")
        else:
            for (column, name), c in zip(COUNTS, colours(3)):
                counts_ax.plot(t, rows[column].to_numpy(), color=c, label=name, linewidth=1.2, gid=f"{column}:{s}")
            # Runs with failures: executions thrown away so far (lost with a node, cancelled, broken transfers).
            if "dropped_tasks" in rows and rows["dropped_tasks"].max() > 0:
                counts_ax.plot(t, rows["dropped_tasks"].to_numpy(), color="#d62728", label="dropped (so far)",
                               linewidth=1, linestyle=":", gid=f"dropped_tasks:{s}")
        # A sample's throughput counts the completions since the previous sample: a step back.
        throughput_ax.plot(t, rows["throughput_per_s"].to_numpy(), color=colour, label=s, linewidth=1.2,
                           drawstyle="steps-pre", gid=f"throughput:{s}")
        utilisation_ax.plot(t, rows["running_tasks"].to_numpy() / cores[s], color=colour, label=s, linewidth=1.2,
                            gid=f"utilisation:{s}")

    summary = read_summary(run_dir)
    name = optional_value(summary, "/scenario/name", run_dir.name)
    stream = optional_value(summary, "/scenario/workload") == "stream"
    arrivals_end = optional_value(summary, "/model/arrival_bound_s") if stream else None
    if isinstance(arrivals_end, (int, float)) and not isinstance(arrivals_end, bool):
        for ax in (counts_ax, throughput_ax, utilisation_ax):
            ax.axvline(arrivals_end, color="grey", linestyle="--", linewidth=1,
                       label="arrivals end" if ax is counts_ax else None)

    counts_ax.set_ylabel("tasks in the system (count)" if several else "tasks (count)")
    throughput_ax.set_ylabel("throughput (tasks/s)")
    throughput_ax.set_ylim(bottom=0)  # a zoomed axis would make a 2% dip look like a collapse
    utilisation_ax.set_ylabel("busy cores (fraction)")
    utilisation_ax.set_ylim(0, 1.05)
    utilisation_ax.set_xlabel("simulated time (s)")
    # One legend for the three panels (the colours are the same), in columns short enough to
    # stay beside the first panel however many sites there are.
    entries = len(counts_ax.get_legend_handles_labels()[0])
    counts_ax.legend(fontsize=7 if several else 8, loc="upper left", bbox_to_anchor=(1.01, 1),
                     ncol=max(1, math.ceil(entries / 8)))
    where = "every site" if several else ("all sites" if chosen == ["all"] else f"site {chosen[0]}")
    counts_ax.set_title(title or f"{name}: tasks, throughput and utilisation over time ({where})")
    return figure


def default_name(run_dir):
    return Path(run_dir) / "timeline"
