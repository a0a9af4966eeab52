"""Units of leptonsim's column and metric names, which carry them as suffixes (docs/outputs.md):
`latency_s` is in seconds, `bytes_B` in bytes. Axis labels append the unit in parentheses.
"""

# Longest suffixes first: `_flops_per_s` must not be read as `_s`.
_SUFFIXES = [
    ("_flops_per_s", "flop/s"),
    ("_per_s", "1/s"),
    ("_flops", "flop"),
    ("_tasks", "tasks"),
    ("_s", "s"),
    ("_B", "B"),
    ("_J", "J"),
]

_WHOLE_NAMES = {
    "flops": "flop",
    "count": "count",
    "cores": "count",
    "sensors": "count",
    "readings": "count",
    "rounds": "count",
    "chunks": "count",
    "replications": "count",
    "seed": "",
    "utilisation": "fraction",
    "rho": "fraction",
    "rho_max": "fraction",
    "speed": "flop/s",
    "bandwidth": "B/s",
    "latency": "s",
    "duration": "s",
    "period": "s",
    "rate": "1/s",
}


def unit_of(name):
    """The unit of a column or JSON pointer name, from its last token that tells; '' if none."""
    for token in reversed([t for t in str(name).split("/") if t]):
        if token in _WHOLE_NAMES:
            return _WHOLE_NAMES[token]
        for suffix, unit in _SUFFIXES:
            if token.endswith(suffix):
                return unit
    return ""


def label(name, unit=None):
    unit = unit_of(name) if unit is None else unit
    return f"{name} ({unit})" if unit else str(name)
