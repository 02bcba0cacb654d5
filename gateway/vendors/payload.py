"""Tolerant readers of vendor JSON, shared by the payload models: dates, numbers, flags, lists and required keys."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from gateway.vendors.errors import VendorProtocolError

T = TypeVar("T")
Payload = dict[str, Any]


def obj(value: Any) -> Payload:
    """The value if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def text(value: Any) -> str | None:
    """A string; numbers become their text (ids sometimes arrive as numbers), anything else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def integer(value: Any) -> int | None:
    """An int from an int, an integral float or a string of digits; anything else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def number(value: Any) -> float | None:
    """A float from a number or numeric text ("3.14" and 3.14 alike); NaN, booleans and the rest None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return result if math.isfinite(result) else None


def flag(value: Any) -> bool | None:
    """A boolean from a boolean or "true"/"false" text; anything else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def day(value: Any) -> date | None:
    """A calendar date from ``YYYY-MM-DD`` or the date part of an ISO 8601 date-time; else None.

    Dartmouth writes dates as local midnight in UTC (``2017-05-25T04:00:00Z``), so the date part is the date.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def moment(value: Any, *, assume_utc: bool = False) -> datetime | None:
    """A date-time from ISO 8601 text (``Z``, an offset, a space for ``T``, or a bare date); else None.

    ``assume_utc`` gives a naive value UTC, for vendors that document their timestamps as UTC without saying so.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        raw = value.strip()
        if raw.endswith(("Z", "z")):
            raw = raw[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            return None
    else:
        return None
    return parsed.replace(tzinfo=UTC) if assume_utc and parsed.tzinfo is None else parsed


def clock(value: Any) -> time | None:
    """A time of day from ``HH:MM`` or ``HH:MM:SS``; else None."""
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def records(value: Any) -> list[Payload]:
    """The objects of a JSON array (non-objects skipped); anything but an array gives none."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def envelope(body: Any) -> list[Payload]:
    """The items of a list answer: a bare array, or the ``data`` array of a ``{data, meta, links}`` envelope."""
    if isinstance(body, dict):
        body = body.get("data")
    return records(body)


def texts(value: Any) -> tuple[str, ...]:
    """The strings of an array (numbers as text); anything but an array gives none."""
    if not isinstance(value, list):
        return ()
    return tuple(t for t in (text(v) for v in value) if t is not None)


def nested(factory: Callable[[Payload], T], value: Any) -> T | None:
    """A nested object parsed by ``factory``; None for null, a non-object or ``{}`` (a scrape's lost contents)."""
    return factory(value) if isinstance(value, dict) and value else None


def nested_list(factory: Callable[[Payload], T], value: Any) -> tuple[T, ...]:
    """Each object of a nested array parsed by ``factory``; non-objects and ``{}`` are skipped."""
    return tuple(factory(v) for v in records(value) if v)


def require_object(payload: Any, vendor: str, what: str) -> Payload:
    """The payload as a JSON object; raises VendorProtocolError when it is anything else."""
    if not isinstance(payload, dict):
        raise VendorProtocolError(vendor, f"expected {what} as a JSON object, got {type(payload).__name__}")
    return payload


def required_text(payload: Payload, key: str, vendor: str, what: str) -> str:
    """An identity key as text; raises VendorProtocolError (never KeyError) when it is missing, null or empty."""
    value = text(payload.get(key))
    if not value:
        raise VendorProtocolError(vendor, f"{what} without its {key}")
    return value


def required_int(payload: Payload, key: str, vendor: str, what: str) -> int:
    """An identity key as an int; raises VendorProtocolError (never KeyError) when it is missing or not an integer."""
    value = integer(payload.get(key))
    if value is None:
        raise VendorProtocolError(vendor, f"{what} without an integer {key}")
    return value
