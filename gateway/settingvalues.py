"""The values of settings, each read from its text or refused with a reason in words: numbers (finite, with bounds),
ports, URLs, origins, flags and the allow-list of persisted operations. ``gateway.settings`` says which setting
takes which; these know nothing of the environment."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from gateway.security.guard import operation_hash

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
T = TypeVar("T")


def number(kind: type[T], raw: str) -> T:
    """``raw`` as an int or a float, or a ValueError that says so in words (Python's own says "invalid literal for
    int() with base 10"); a duration is a number of seconds, without a unit. ``inf`` and ``nan`` are refused: Python
    reads them as floats, and a timeout of ``inf`` never fires, a ``nan`` passes a check such as ``value < 0``
    (every comparison with it is false) and then breaks the arithmetic it reaches."""
    try:
        value = kind(raw)  # type: ignore[call-arg]
    except ValueError:
        unit = re.fullmatch(r"([0-9.]+)\s*(s|sec|secs|seconds|ms|m|min|h)", raw.strip().lower())
        if unit is not None:
            raise ValueError(f"{raw!r} is not a number: give seconds without a unit (10, 0.5)") from None
        raise ValueError(f"{raw!r} is not {'a whole number' if kind is int else 'a number'}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{raw!r} is not a finite number")
    return value


def positive(kind: type[T]) -> Callable[[str], T]:
    def parse(raw: str) -> T:
        value = number(kind, raw)
        if value < 0:  # type: ignore[operator]
            raise ValueError("must not be negative")
        return value

    return parse


def above_zero(kind: type[T]) -> Callable[[str], T]:
    """For a setting that 0 would break rather than turn off: a rate, a size, a page, a timeout, a limit every
    request must fit under (0 would refuse every request, or divide by zero at start-up)."""
    def parse(raw: str) -> T:
        value = number(kind, raw)
        if not value > 0:  # type: ignore[operator]
            raise ValueError("must be above 0")
        return value

    return parse


def port_number(raw: str) -> int:
    """A TCP port to listen on: uvicorn took 99999 and said it was running there."""
    value = number(int, raw)
    if not 0 < value < 65536:
        raise ValueError("must be a port number, 1 to 65535")
    return value


REDIS_URL_FORM = "must be redis://[[user]:password@]host[:port][/db] (rediss:// for TLS)"


def redis_url(raw: str) -> str:
    """``redis://[[user]:password@]host[:port][/db]``, or ``rediss://`` for TLS: the response cache reads these parts
    itself, so a URL it cannot read failed at start-up with a traceback, and a scheme it ignores (a Unix socket)
    would leave it never answering."""
    url = urlsplit(raw)
    if url.scheme not in ("redis", "rediss") or not url.hostname:
        raise ValueError(REDIS_URL_FORM)
    try:
        url.port  # noqa: B018 - raises on a port that is not a number up to 65535
    except ValueError:
        raise ValueError(f"{REDIS_URL_FORM}, with a port number up to 65535") from None
    if not url.path.strip("/").isdigit() and url.path.strip("/") != "":
        raise ValueError(f"{REDIS_URL_FORM}, with the db a number")
    return raw


def origins(raw: str) -> tuple[str, ...]:
    """Comma-separated browser origins, ``scheme://host[:port]`` each, as a browser sends them in ``Origin`` (a
    trailing ``/`` is dropped). ``*`` is refused: any web page could then read the demo's GraphiQL page, which
    carries a token, and call the gateway with whatever token its visitor's browser holds for it."""
    origins = tuple(dict.fromkeys(o.strip().rstrip("/") for o in raw.split(",") if o.strip()))
    for origin in origins:
        if origin == "*":
            raise ValueError("* is not taken: name each origin (scheme://host[:port]) whose pages may call")
        url = urlsplit(origin)
        try:
            url.port  # noqa: B018 - raises on a port that is not a number up to 65535
        except ValueError:
            raise ValueError(f"{origin!r} has no valid port") from None
        if url.scheme not in ("http", "https") or not url.hostname or url.path or url.query or url.fragment \
                or url.username is not None:
            raise ValueError(f"{origin!r} is not an origin: scheme://host[:port], no path")
    return origins


def environment(raw: str) -> str:
    if raw not in ("development", "production"):
        raise ValueError("must be development or production")
    return raw


def persisted_operations(text: str) -> dict[str, str]:
    """A JSON list of operation texts (or an object of id -> text): the allow-list, keyed by sha256."""
    document = json.loads(text)
    operations = list(document.values()) if isinstance(document, dict) else document
    if not isinstance(operations, list) or not all(isinstance(o, str) for o in operations):
        raise ValueError("persisted operations are a JSON list of operation texts")
    return {operation_hash(o): o for o in operations}


def template(raw: str) -> str:
    if raw.count("{key}") != 1:
        raise ValueError("must contain {key} exactly once")
    if "{" in raw.replace("{key}", "", 1) or "}" in raw.replace("{key}", "", 1):
        # {key}@{domain} would fail every username it makes, {{key}} make the one username "{key}" for all
        raise ValueError("must contain {key} exactly once and no other brace")
    return raw


def share(raw: str) -> float:
    value = number(float, raw)
    if not 0 < value <= 1:
        raise ValueError("must be above 0 and at most 1")
    return value


def endpoint(raw: str) -> str:
    if urlsplit(raw).scheme not in ("http", "https"):
        raise ValueError("must be an http(s) URL")
    return raw.rstrip("/")


def poll_interval(raw: str) -> float:
    value = number(float, raw)
    if not 0 < value <= 60:
        raise ValueError("must be above 0 and at most 60")
    return value


def log_level(value: str) -> str:
    level = value.strip().upper()
    if level not in LOG_LEVELS:
        raise ValueError(f"must be one of {', '.join(LOG_LEVELS).lower()}")
    return level


def boolean(raw: str) -> bool:
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be true or false")
