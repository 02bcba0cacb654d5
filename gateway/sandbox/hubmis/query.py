"""HUBmis query-string conventions: ``page[number]``/``page[size]``, ``filter[...]``, ``sort[field]``, ``search``.

Errors follow Laravel (spatie/laravel-query-builder) habits: a filter or sort field the endpoint does
not allow is a 400 naming the allowed ones; a value of the wrong type is a 422 with an ``errors`` map.
Lists are bare JSON arrays (contracts 2.3): a page shorter than ``page[size]`` is the last one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from gateway.sandbox.simulator import SandboxError

T = TypeVar("T")

DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 25, 100

# filter value kinds: "int", "bool", "str", "date", "datetime-range", "id-or-code", or a tuple of allowed strings
Kind = str | tuple[str, ...]


def invalid(field: str, message: str) -> SandboxError:
    """A 422 in Laravel's validation shape."""
    return SandboxError(422, message, body={"message": message, "errors": {field: [message]}})


def _bracket(key: str, prefix: str) -> list[str] | None:
    """``filter[dateTime][from]`` -> ``["dateTime", "from"]``; None when the key is not ``prefix[...]``."""
    if not key.startswith(prefix + "[") or not key.endswith("]"):
        return None
    return key[len(prefix) + 1:-1].split("][")


def parse_filters(params: Any, allowed: Mapping[str, Kind]) -> dict[str, Any]:
    """The endpoint's filters, typed; raises 400 for a filter it does not allow and 422 for a bad value."""
    found: dict[str, Any] = {}
    unknown = []
    for key, raw in params.multi_items():
        parts = _bracket(key, "filter")
        if parts is None:
            continue
        name = parts[0]
        if name not in allowed:
            unknown.append(name)
            continue
        kind = allowed[name]
        field = "filter." + ".".join(parts)
        if kind == "datetime-range":
            if len(parts) != 2 or parts[1] not in ("from", "to"):
                raise invalid(field, f"The filter[{name}] filter takes [from] and [to].")
            found.setdefault(name, {})[parts[1]] = _datetime(field, raw, end=parts[1] == "to")
        elif len(parts) != 1:
            raise invalid(field, f"The filter[{name}] filter takes a single value.")
        else:
            found[name] = _value(field, raw, kind)
    if unknown:
        raise SandboxError(400, f"Requested filter(s) `{', '.join(unknown)}` are not allowed. "
                                f"Allowed filter(s) are `{', '.join(allowed)}`.")
    return found


def _value(field: str, raw: str, kind: Kind) -> Any:
    if isinstance(kind, tuple):
        if raw not in kind:
            raise invalid(field, f"The selected {field} is invalid; expected one of: {', '.join(kind)}.")
        return raw
    if kind == "int":
        if not raw.strip().lstrip("-").isdigit():
            raise invalid(field, f"The {field} must be an integer.")
        return int(raw)
    if kind == "bool":
        if raw.lower() not in ("true", "false", "1", "0"):
            raise invalid(field, f"The {field} field must be true or false.")
        return raw.lower() in ("true", "1")
    if kind == "date":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise invalid(field, f"The {field} is not a valid date (YYYY-MM-DD).") from None
    if kind == "id-or-code":
        return int(raw) if raw.isdigit() else raw
    return raw


def _datetime(field: str, raw: str, *, end: bool) -> datetime:
    """A date-time (``Z``/offset or naive UTC) or a bare date (start of day, or end of day for ``[to]``)."""
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)
        # An unencoded "+hh:mm" offset arrives as a space after form-decoding the query string.
        text = raw.replace("Z", "+00:00").replace(" ", "+") if "T" in raw else raw
        value = datetime.fromisoformat(text)
    except ValueError:
        raise invalid(field, f"The {field} is not a valid date-time (ISO 8601).") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_sort(params: Any, allowed: Mapping[str, Callable[[Any], Any]]) -> list[tuple[Callable[[Any], Any], bool]]:
    """``sort[field]=asc|desc`` in query order -> [(key function, descending)]."""
    keys = []
    for key, raw in params.multi_items():
        parts = _bracket(key, "sort")
        if parts is None:
            continue
        if len(parts) != 1 or parts[0] not in allowed:
            raise SandboxError(400, f"Requested sort(s) `{'.'.join(parts)}` is not allowed. " + (
                f"Allowed sort(s) are `{', '.join(allowed)}`." if allowed else "This list cannot be sorted."))
        if raw.lower() not in ("asc", "desc"):
            raise invalid(f"sort.{parts[0]}", f"The sort[{parts[0]}] direction must be asc or desc.")
        keys.append((allowed[parts[0]], raw.lower() == "desc"))
    return keys


def apply_sort(items: list[T], keys: Sequence[tuple[Callable[[T], Any], bool]]) -> list[T]:
    """Stable multi-key sort (first key wins); missing values sort last either way."""
    for key, descending in reversed(keys):
        present = [i for i in items if key(i) is not None]
        missing = [i for i in items if key(i) is None]
        items = sorted(present, key=key, reverse=descending) + missing
    return items


def parse_page(params: Any) -> tuple[int, int]:
    """(page number from 1, page size): defaults 1 and 25; sizes above 100 are refused, not clipped,
    so a client cannot mistake a clipped page for the last one."""
    values = []
    for name, default, top in (("number", 1, None), ("size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)):
        raw = params.get(f"page[{name}]")
        if raw is None or raw == "":
            values.append(default)
            continue
        if not raw.isdigit() or int(raw) < 1:
            raise invalid(f"page.{name}", f"The page.{name} must be an integer of at least 1.")
        if top is not None and int(raw) > top:
            raise invalid(f"page.{name}", f"The page.{name} must not be greater than {top}.")
        values.append(int(raw))
    return values[0], values[1]


def paginate(items: Sequence[T], page: tuple[int, int]) -> list[T]:
    number, size = page
    return list(items[(number - 1) * size: number * size])


def search_terms(params: Any) -> list[str]:
    """``search`` split into lower-case words; a record matches when its text contains every word."""
    return (params.get("search") or "").lower().split()


def matches(text: str, terms: Iterable[str]) -> bool:
    return all(term in text for term in terms)


def date_window(params: Any, longest_days: int) -> tuple[date, date]:
    """Timetable calendars: ``filter[date]``, or ``filter[dateFrom]`` with ``filter[dateTo]`` (one is required)."""
    found = parse_filters(params, {"date": "date", "dateFrom": "date", "dateTo": "date"})
    if "date" in found and not ({"dateFrom", "dateTo"} & found.keys()):
        return found["date"], found["date"]
    if "date" in found:
        raise invalid("filter.date", "Send either filter[date] or filter[dateFrom] with filter[dateTo], not both.")
    for name in ("dateFrom", "dateTo"):
        if name not in found:
            raise invalid(f"filter.{name}", f"The filter.{name} field is required when filter.date is not present.")
    start, end = found["dateFrom"], found["dateTo"]
    if end < start:
        raise invalid("filter.dateTo", "The filter.dateTo must be a date after or equal to filter.dateFrom.")
    if (end - start).days >= longest_days:
        raise invalid("filter.dateTo", f"The calendar covers at most {longest_days} days per call.")
    return start, end
