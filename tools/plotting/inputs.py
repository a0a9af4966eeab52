"""Reading leptonsim's results (CSV and JSON) for plots, so that every problem a user can cause
becomes a PlotInputError whose message names the file and the column or key, never a traceback.
"""

import json
import math
from pathlib import Path

import pandas as pd

from .pointer import resolve


class PlotInputError(Exception):
    """A problem with the files or arguments the user gave; the message says where and what."""


def read_csv(path, required=(), hint=""):
    """Reads a CSV file and checks that it has the `required` columns."""
    path = Path(path)
    if not path.is_file():
        raise PlotInputError(f"{path}: no such file{(' (' + hint + ')') if hint else ''}")
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=str)
    except pd.errors.EmptyDataError:
        raise PlotInputError(f"{path}: the file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise PlotInputError(f"{path}: not a readable CSV file: {first_line}") from None
    require_columns(frame, path, required)
    return frame


def require_columns(frame, path, columns):
    for column in columns:
        if column not in frame.columns:
            raise PlotInputError(f"{path}: no column '{column}' (columns: {', '.join(frame.columns)})")


def numeric(frame, path, columns, allow_empty=False):
    """Converts `columns` to floats in place; a cell that is not a number, or is empty unless
    `allow_empty` (empty cells then become NaN), is an error naming its line. Python's float() and
    not pandas' faster parser, which rounds 1.9999999999999998 to 2.0 and would move tasks across
    a time window's edge."""
    for column in columns:
        values = []
        for line, cell in enumerate(frame[column], start=2):  # line 1 is the header
            if isinstance(cell, float):  # an empty cell: NaN already
                if not allow_empty:
                    raise PlotInputError(f"{path}: column '{column}', line {line}: the cell is empty")
                values.append(cell)
                continue
            try:
                values.append(float(cell))
            except ValueError:
                raise PlotInputError(f"{path}: column '{column}', line {line}: '{cell}' is not a number") from None
        frame[column] = values
    return frame


def read_json(path, hint=""):
    path = Path(path)
    if not path.is_file():
        raise PlotInputError(f"{path}: no such file{(' (' + hint + ')') if hint else ''}")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PlotInputError(f"{path}: not valid JSON: {error}") from None


def pointer_get(document, pointer, path, required=True):
    """The value at a JSON pointer (RFC 6901), or None when absent and not required."""
    try:
        return resolve(document, pointer)
    except KeyError:
        if required:
            raise PlotInputError(f"{path}: no value at {pointer}") from None
        return None


def pointer_number(document, pointer, path):
    value = pointer_get(document, pointer, path)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise PlotInputError(f"{path}: {pointer} is {json.dumps(value)}, not a finite number")
    return float(value)


def read_summary(run_dir, required=False):
    """A run's summary.json as a dict; {} when it is absent and not required."""
    path = Path(run_dir) / "summary.json"
    if not path.is_file() and not required:
        return {}
    document = read_json(path, hint="is it a leptonsim results folder?")
    if not isinstance(document, dict):
        raise PlotInputError(f"{path}: not a leptonsim summary (the document is not a JSON object)")
    return document


def optional_value(document, pointer, default=None):
    value = pointer_get(document, pointer, "", required=False)
    return default if value is None else value
