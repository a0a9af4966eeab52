"""The `plot` command line: one subcommand per kind of figure (docs/plots.md). Exit codes as
leptonsim's: 0 ok, 2 bad input or usage (a message naming the file or column), 3 internal error.
"""

import argparse
import sys
import traceback

EXIT_OK = 0
EXIT_INPUT = 2
EXIT_INTERNAL = 3

EPILOG = """examples:
  tools/plot gantt results/reference/batch_heterogeneous
  tools/plot timeline results/reference/stream_overload --format svg
  tools/plot model results/reference --out model.png
  tools/plot sweep results/reference/city_capacity --x edge_boxes --y sensor_p99_s --hue policy \\
      --logy --target 0.1

exit codes: 0 ok, 2 bad input or usage, 3 internal error. See docs/plots.md."""


def _seconds(text):
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None


def _number(text):
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None


def parser():
    p = argparse.ArgumentParser(prog="plot", description="Figures of leptonsim results: Gantt charts, timelines, "
                                "simulation against the cost model, and sweeps.",
                                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def common(sub):
        sub.add_argument("--out", "-o", metavar="FILE",
                         help="image to write (default: beside the data, e.g. RUN_DIR/gantt.png)")
        sub.add_argument("--format", choices=("png", "svg", "pdf"),
                         help="image format (default: from --out's extension, else png)")
        sub.add_argument("--title", help="replace the figure's title")

    gantt = commands.add_parser("gantt", help="tasks per core over simulated time (tasks.csv)",
                                description="Every task of RUN_DIR/tasks.csv as a bar on its core, coloured by "
                                "its source; periods when a node was down (RUN_DIR/events.csv, if present) shaded.")
    gantt.add_argument("run_dir", metavar="RUN_DIR", help="a results folder of leptonsim run")
    gantt.add_argument("--by", choices=("core", "node"), default="core", help="one row per core (default) or node")
    gantt.add_argument("--nodes", metavar="GLOB", help="only nodes whose name matches, e.g. 'district-0.*'")
    gantt.add_argument("--start", type=_seconds, metavar="S", help="from this simulated time (s)")
    gantt.add_argument("--end", type=_seconds, metavar="S", help="up to this simulated time (s)")
    gantt.add_argument("--events", metavar="FILE",
                       help="failure events, CSV time_s,node,event (down|up); default RUN_DIR/events.csv if present")
    common(gantt)

    timeline = commands.add_parser("timeline", help="queues, throughput and utilisation over time (timeline.csv)",
                                   description="Tasks in transit, queued and running, throughput and the share of "
                                   "busy cores over simulated time, from RUN_DIR/timeline.csv and nodes.csv.")
    timeline.add_argument("run_dir", metavar="RUN_DIR", help="a results folder of leptonsim run")
    timeline.add_argument("--scope", default="all",
                          help="'all' (default), a site name, or 'each' for one line per site")
    common(timeline)

    model = commands.add_parser("model", help="simulated against predicted, with the y = x line (summary.json)",
                                description="One point per batch job and form, and per stream run, from every "
                                "summary.json under the folders.")
    model.add_argument("folders", metavar="DIR", nargs="+", help="folders holding results folders")
    model.add_argument("--forms", default="balanced,refined",
                       help="batch forms to plot, comma-separated: balanced, refined, literal "
                       "(default balanced,refined)")
    model.add_argument("--no-labels", action="store_true", help="do not write run names beside the points")
    common(model)

    sweep = commands.add_parser("sweep", help="a metric against a parameter with 95%% confidence bands",
                                description="Lines of a metric's mean against a parameter, one per value of --hue, "
                                "with 95% confidence bands, from the sweep_summary.csv that leptonsim sweep writes "
                                "(docs/sweeps.md).")
    sweep.add_argument("folder", metavar="DIR", help="a sweep's folder, or its sweep_summary.csv")
    sweep.add_argument("--x", required=True, metavar="PARAM", help="a parameter, by its name in the sweep file")
    sweep.add_argument("--y", required=True, metavar="METRIC",
                       help="a metric, by its name in the sweep file: METRIC_mean, _ci95_low and _ci95_high are drawn")
    sweep.add_argument("--hue", metavar="PARAM", help="one line per value of this parameter")
    sweep.add_argument("--where", dest="filters", action="append", metavar="PARAM=VALUE",
                       help="keep only the rows where PARAM has this value (repeatable)")
    sweep.add_argument("--logx", action="store_true", help="logarithmic x axis")
    sweep.add_argument("--logy", action="store_true", help="logarithmic y axis")
    sweep.add_argument("--target", type=_number, metavar="Y", help="draw a horizontal target line at Y")
    common(sweep)
    return p


def run(args):
    from . import figure, gantt, model, sweep, timeline
    from .inputs import PlotInputError

    if args.command == "gantt":
        if args.start is not None and args.end is not None and args.end <= args.start:
            raise PlotInputError(f"--end {args.end:g} must be after --start {args.start:g}")
        fig = gantt.build(args.run_dir, by=args.by, nodes=args.nodes, start=args.start, end=args.end,
                          events=args.events, title=args.title)
        default = gantt.default_name(args.run_dir)
    elif args.command == "timeline":
        fig = timeline.build(args.run_dir, scope=args.scope, title=args.title)
        default = timeline.default_name(args.run_dir)
    elif args.command == "model":
        forms = [f.strip() for f in args.forms.split(",") if f.strip()]
        fig = model.build(args.folders, forms=forms, annotate=False if args.no_labels else None, title=args.title)
        default = model.default_name(args.folders)
    else:
        fig = sweep.build(args.folder, args.x, args.y, hue=args.hue, filters=args.filters, logx=args.logx,
                          logy=args.logy, target=args.target, title=args.title)
        default = sweep.default_name(args.folder, args.y)
    path, fmt = figure.output_path(args.out, args.format, default)
    written = figure.save(fig, path, fmt)
    print(f"plot: wrote {written}")


def main(argv=None):
    args = parser().parse_args(argv)  # usage errors exit 2, as argparse does
    try:  # every module, so that a missing package is reported here and not as an internal error
        from . import figure, gantt, model, sweep, timeline  # noqa: F401
        from .inputs import PlotInputError
    except ImportError as error:
        print(f"plot: {sys.executable} cannot import {error.name or error}: install Debian's python3-matplotlib "
              "and python3-pandas (tools/bootstrap does)", file=sys.stderr)
        return EXIT_INPUT
    try:
        run(args)
    except PlotInputError as error:
        print(f"plot: {error}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception:  # a bug: say so briefly, with the details for a report
        print("plot: internal error (please report it with the lines below)", file=sys.stderr)
        traceback.print_exc(limit=3, file=sys.stderr)
        return EXIT_INTERNAL
    return EXIT_OK
