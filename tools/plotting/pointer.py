"""JSON pointers (RFC 6901) into leptonsim's summary.json, where the plots find the values they
draw (docs/outputs.md names them by pointer).
"""

_MISSING = object()


def resolve(document, pointer, default=_MISSING):
    """The value at `pointer`; `default` when there is none (KeyError if no default is given)."""
    value = document
    for raw in pointer.lstrip("/").split("/") if pointer else []:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        elif default is _MISSING:
            raise KeyError(pointer)
        else:
            return default
    return value
