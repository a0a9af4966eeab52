"""Shared by the ecosystem tests: where the sources, the build, the leptonsim binary and a scratch
folder are (set by CTest, see tests/CMakeLists.txt)."""

import os
import shutil
import subprocess
from pathlib import Path

SOURCE = Path(os.environ.get("LEPTONSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BUILD = Path(os.environ.get("LEPTONSIM_BUILD_DIR", SOURCE / "build"))
LEPTONSIM = Path(os.environ.get("LEPTONSIM_BIN", BUILD / "leptonsim"))
WORK = Path(os.environ.get("ECOSYSTEM_WORK", BUILD / "tests" / "ecosystem-work"))


def fresh(name):
    """An empty folder for one test."""
    folder = WORK / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def leptonsim(*args, binary=None):
    """Runs leptonsim; returns the CompletedProcess (text output captured)."""
    return subprocess.run([str(binary or LEPTONSIM), *map(str, args)], capture_output=True, text=True)
