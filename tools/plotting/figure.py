"""Figures without pyplot's global state, saved so that the same data gives the same file: no
dates in SVG or PDF metadata, fixed SVG ids. PNG is the default; SVG and PDF on request.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)

from .inputs import PlotInputError  # noqa: E402

FORMATS = ("png", "svg", "pdf")

matplotlib.rcParams["svg.hashsalt"] = "leptonsim"
matplotlib.rcParams["axes.grid"] = True
matplotlib.rcParams["grid.alpha"] = 0.3
matplotlib.rcParams["axes.spines.top"] = False
matplotlib.rcParams["axes.spines.right"] = False

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
}


def new_figure(width, height, rows=1, sharex=False):
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    axes = figure.subplots(rows, 1, sharex=sharex, squeeze=False)[:, 0]
    return figure, list(axes)


def output_path(out, fmt, default):
    """Where to write, and in which format: --format wins, then the extension of --out, then PNG."""
    if out:
        out = Path(out)
        extension = out.suffix.lower().lstrip(".")
        if extension and extension not in FORMATS:
            raise PlotInputError(f"--out {out}: unknown image format '{extension}' (png, svg or pdf)")
        if fmt and extension and extension != fmt:
            raise PlotInputError(f"--out {out}: the extension says {extension} but --format says {fmt}")
        fmt = fmt or extension or "png"
        if not extension:
            out = out.with_name(out.name + "." + fmt)
        return out, fmt
    fmt = fmt or "png"
    return Path(f"{default}.{fmt}"), fmt


def save(figure, path, fmt):
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise PlotInputError(f"--out {path}: the folder {path.parent} does not exist")
    try:
        figure.savefig(path, format=fmt, dpi=110, metadata=_METADATA[fmt])
    except OSError as error:
        raise PlotInputError(f"--out {path}: cannot write: {error.strerror or error}") from None
    return path
