"""Shared by the plot tests: where the sources, the leptonsim binary and the fixture's runs are
(set by CTest, see tests/CMakeLists.txt), and helpers to run tools/plot as a user does.
"""

import os
import subprocess
import sys
from pathlib import Path

SOURCE = Path(os.environ.get("LEPTONSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
LEPTONSIM = Path(os.environ.get("LEPTONSIM_BIN", SOURCE / "build" / "leptonsim"))
WORK = Path(os.environ.get("PLOT_WORK", SOURCE / "build" / "tests" / "plot-work"))
PLOT = SOURCE / "tools" / "plot"

sys.path.insert(0, str(SOURCE / "tools"))
sys.path.insert(0, str(SOURCE / "tools" / "reference"))


def plot(*args):
    """Runs tools/plot; returns (exit code, stdout, stderr)."""
    done = subprocess.run([str(PLOT), *map(str, args)], capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def png_size(path):
    """(width, height) of a PNG file, from its header; fails on anything that is not a PNG."""
    with open(path, "rb") as f:
        header = f.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG file"
    assert header[12:16] == b"IHDR"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def by_gid(axes, prefix):
    """Artists of the axes whose gid starts with prefix."""
    artists = list(axes.lines) + list(axes.collections) + list(axes.patches)
    return [a for a in artists if (a.get_gid() or "").startswith(prefix)]
