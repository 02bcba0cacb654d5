"""Stellic registration times (#29-#31). The gateway does not read them, so no cached read goes stale.

Stellic keeps UTC minutes (``YYYY-MM-DD HH:MM``): an offset is converted, a time without one is taken as UTC.
An end before its start is judged on the instants given, before the seconds are dropped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from gateway.vendors.stellic.models import StellicRegistrationTime
from resolvers.mapping.writes import registration_time_from_stellic
from resolvers.mutations.arguments import (
    NEW_REGISTRATION_TIME_ID,
    REGISTRATION_END,
    REGISTRATION_START,
    REGISTRATION_TIME,
    REGISTRATION_TIME_ID,
)
from resolvers.mutations.common import Checks, attempt, body_of, not_applied, upstreams
from resolvers.mutations.hiding import as_seen
from schema.inputs_write import RegistrationTimeInput
from schema.mutations import RegistrationTimePayload, StellicWritePayload, UserError

STELLIC_TIMESTAMP = "%Y-%m-%d %H:%M"  # UTC, minutes (seed 000, 1.9.10)


def utc_instant(value: datetime) -> datetime:
    """The instant in UTC: an offset is converted, a time without one is taken as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def stellic_timestamp(value: datetime) -> str:
    """UTC ``YYYY-MM-DD HH:MM``: an offset is converted, a time without one is taken as UTC; seconds are dropped."""
    return utc_instant(value).strftime(STELLIC_TIMESTAMP)


def parse_timestamp(checks: Checks, path: list[str], raw: str | None) -> datetime | None:
    """A timestamp argument given as text (Stellic's ``YYYY-MM-DD HH:MM`` or ISO 8601), as its instant in UTC."""
    if raw is None:
        return None
    try:
        return utc_instant(datetime.fromisoformat(raw.strip().replace("Z", "+00:00")))
    except ValueError:
        checks.add(path, "must be a UTC time, YYYY-MM-DD HH:MM or ISO 8601")
        return None


def _registration(result: StellicRegistrationTime | None, errors: list[UserError]) -> RegistrationTimePayload:
    return RegistrationTimePayload(success=result is not None, user_errors=errors,
                                   registration_time=None if result is None else registration_time_from_stellic(result))


PATH = {"registration_time_id": ["id"]}


async def create_registration_time(info: Info[Any, Any], id: Annotated[strawberry.ID, NEW_REGISTRATION_TIME_ID],
                                   input: Annotated[RegistrationTimeInput, REGISTRATION_TIME],
                                   ) -> RegistrationTimePayload:
    """``POST .../registration_times/{registration_time_id}`` (#29)."""
    checks = Checks()
    checks.text(["id"], id)
    checks.texts(["input"], input, ("student_username", "semester", "term"))
    checks.not_negative(["input", "year"], input.year)
    start = utc_instant(input.timestamp)
    end = None if input.end_timestamp is None else utc_instant(input.end_timestamp)
    # Compared as given: in Stellic's minutes an end seconds before its start would look in order.
    checks.in_order(["input", "endTimestamp"], start, end, "timestamp")
    if not checks.ok:
        return _registration(None, checks.errors)
    body = {**body_of(input), "timestamp": stellic_timestamp(start),
            **({"end_timestamp": stellic_timestamp(end)} if end else {})}
    send = await as_seen(info, input.student_username,
                         lambda: upstreams(info).stellic.create_registration_time(id, body), field="student_username")
    result, errors = await attempt(send, root=["input"], renames=PATH)
    return _registration(result, errors)


async def update_registration_time(info: Info[Any, Any], id: Annotated[strawberry.ID, REGISTRATION_TIME_ID],
                                   timestamp: Annotated[str | None, REGISTRATION_START] = None,
                                   end_timestamp: Annotated[str | None, REGISTRATION_END] = None,
                                   ) -> RegistrationTimePayload:
    """``PATCH .../registration_times/{registration_time_id}`` (#30): only the start and end can change."""
    checks = Checks()
    checks.text(["id"], id)
    start = parse_timestamp(checks, ["timestamp"], timestamp)
    end = parse_timestamp(checks, ["endTimestamp"], end_timestamp)
    if timestamp is None and end_timestamp is None:
        checks.add(None, "give timestamp, endTimestamp or both", "REQUIRED")
    checks.in_order(["endTimestamp"], start, end, "timestamp")
    if not checks.ok:
        return _registration(None, checks.errors)
    body = {k: stellic_timestamp(v) for k, v in (("timestamp", start), ("end_timestamp", end)) if v is not None}
    result, errors = await attempt(upstreams(info).stellic.update_registration_time(id, body), renames=PATH)
    return _registration(result, errors)


async def delete_registration_time(info: Info[Any, Any],
                                   id: Annotated[strawberry.ID, REGISTRATION_TIME_ID]) -> StellicWritePayload:
    """``DELETE .../registration_times/{registration_time_id}`` (#31)."""
    checks = Checks()
    checks.text(["id"], id)
    if not checks.ok:
        return StellicWritePayload(success=False, status=None, state=None, user_errors=checks.errors)
    result, errors = await attempt(upstreams(info).stellic.delete_registration_time(id), renames=PATH)
    return StellicWritePayload(success=result is not None and result.success, status=None, state=None,
                               user_errors=errors + not_applied(result))
