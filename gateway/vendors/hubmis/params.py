"""HUBmis query-string conventions (``filter[...]``, ``sort[...]``, ``search``, calendar windows) for the client."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from gateway.vendors.hubmis.models import HubmisGroup

Filters = Mapping[str, Any] | None  # filter[...] values by HUBmis (camelCase) name
Sort = Mapping[str, str] | None  # sort[field] -> "asc" | "desc", applied in order
When = date | datetime | str | None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def query(filters: Filters, more: Mapping[str, Any], search: str | None, sort: Sort) -> dict[str, str]:
    """HUBmis query conventions: ``filter[name]`` (HUBmis names as given, keywords from snake_case to camelCase),
    ``sort[field]=asc|desc`` and ``search``; None values dropped."""
    params = {f"filter[{name}]": _value(v) for name, v in (filters or {}).items() if v is not None}
    params.update({f"filter[{_camel(name)}]": _value(v) for name, v in more.items() if v is not None})
    params.update({f"sort[{field}]": direction for field, direction in (sort or {}).items()})
    if search:
        params["search"] = search
    return params


def as_utc(moment: datetime) -> datetime:
    """A moment in UTC, a naive one taken as UTC (how attendance bounds are sent)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def when(value: When) -> str | None:
    """An attendance bound: a datetime as ISO 8601 (naive taken as UTC), a date as ``YYYY-MM-DD`` (whole day)."""
    if isinstance(value, datetime):
        # isoformat, not strftime: %Y writes year 1 as "1", which is not ISO 8601 (HUBmis answers 422)
        return as_utc(value).replace(tzinfo=None, microsecond=0).isoformat() + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value


def window(date_from: date, date_to: date | None) -> dict[str, str]:
    if date_to is None or date_to == date_from:
        return {"filter[date]": date_from.isoformat()}
    return {"filter[dateFrom]": date_from.isoformat(), "filter[dateTo]": date_to.isoformat()}


def year_path(academic_year_id: int, record_id: int | None = None) -> dict[str, int]:
    path = {"academicYearId": academic_year_id}
    if record_id is not None:
        path["id"] = record_id
    return path


def by_kind(groups: list[HubmisGroup], kind: str) -> list[HubmisGroup]:
    """The groups with ``group_type`` set from the route that listed them, where the payload did not say."""
    return [g if g.group_type else replace(g, group_type=kind) for g in groups]
