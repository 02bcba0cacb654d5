"""FERPA hiding for Stellic writes: to a caller without ``people:private``, a student every read hides is a student
Stellic does not have, to its writes too. Such a write is answered as Stellic answers one naming an unknown student
(its 404, or its per-item error), and nothing is sent. A profile's creation (which Stellic would do, or refuse as
taken) and a hold's update (whose other fields Stellic would apply) are refused alike, as a 404, unsent.

Who is hidden is the reads' decision (``Port.hidden``: the crosswalk's FERPA index of the netids Dartmouth shows
only to private callers): a Stellic username is the crosswalk's key through its template, as
``student(stellicUsername:)`` reads it. A username the index does not hold (a Stellic-only person) is not hidden.
While Dartmouth is down the index of its last build decides, as for reads; before its first build the check asks
Dartmouth, and a Dartmouth that cannot answer fails the write (a GraphQL error) with nothing sent to Stellic.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from strawberry.types import Info

from gateway.vendors.errors import VendorNotFound
from gateway.vendors.stellic.models import StellicItemError, StellicItemResults
from resolvers.port import Port

T = TypeVar("T")


async def hidden_username(info: Info[Any, Any], username: str | None) -> bool:
    """Whether this caller's reads hide the person this Stellic username names (never for people:private)."""
    port: Port = info.context.port
    if port.private or username is None:
        return False
    return await port.hidden(port.rules.norm(port.rules.key_for_username(username)))


async def hidden_student_id(info: Info[Any, Any], student_id: str) -> bool:
    """A hold's ``student_id``, which Stellic takes as a Stellic ID or a username: hidden if either names a hidden
    person. The ID is looked up in the engagement export the crosswalk reads (a cached read), only for a caller
    without people:private and a value not hidden as a username."""
    port: Port = info.context.port
    if port.private:
        return False
    if await hidden_username(info, student_id):
        return True
    rows = await port.stellic_index.rows()
    username = next((row.username for row in rows.values() if row.id == student_id), None)
    return await hidden_username(info, username)


def unknown_student(username: str, field: str | None = None, *, by_id: bool = False) -> VendorNotFound:
    """Stellic's 404 for a student it does not have, as its client raises it: ``field`` names the body field that
    named them (None: a path parameter); ``by_id``: a hold's ``student_id``."""
    message = f"Student with ID {username!r} not found." if by_id else f"Student {username!r} not found."
    entry = {"message": message} if field is None else {"field": field, "message": message}
    return VendorNotFound("stellic", message, status=404, detail={"success": False, "message": message,
                                                                 "errors": [entry]})


async def _raise(exc: Exception) -> Any:
    raise exc


def unknown_item(username: str, field: str = "student_username") -> StellicItemResults:
    """Stellic's per-item answer to an array write whose one item names a student it does not have."""
    return StellicItemResults(success=(), errors=(StellicItemError(0, field, f"Student {username!r} not found."),))


async def _answer(value: T) -> T:
    return value


async def as_seen(info: Info[Any, Any], username: str | None, send: Callable[[], Awaitable[T]], *,
                  field: str | None = None, by_id: bool = False) -> Awaitable[T]:
    """``send()``, or, for a student hidden from this caller, Stellic's 404 for an unknown one (nothing sent).
    Awaited before the write's ``attempt``: a failure of the check itself is no refusal of the write."""
    hidden = await (hidden_student_id(info, username) if by_id and username is not None
                    else hidden_username(info, username))
    if hidden:
        assert username is not None
        return _raise(unknown_student(username, field, by_id=by_id))
    return send()


async def items_as_seen(info: Info[Any, Any], username: str | None,
                        send: Callable[[], Awaitable[StellicItemResults]]) -> Awaitable[StellicItemResults]:
    """``send()``, or, for a student hidden from this caller, Stellic's item error for an unknown one."""
    if await hidden_username(info, username):
        assert username is not None
        return _answer(unknown_item(username))
    return send()
