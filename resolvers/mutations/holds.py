"""Stellic holds (#26-#28). The gateway reads holds from Dartmouth, not Stellic, so no cached read goes stale."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from gateway.vendors.stellic.models import StellicHoldResult
from resolvers.mapping.writes import activities_from_stellic
from resolvers.mutations.arguments import HOLD, HOLD_UPDATE, SIS_ID
from resolvers.mutations.common import Checks, attempt, body_of, camel, error, upstreams
from resolvers.mutations.hiding import as_seen
from schema.inputs_write import PlaceHoldInput, UpdateHoldInput
from schema.mutations import HoldPayload, UserError

HOLD_TEXTS = ("student_id", "hold_code")


def _hold(sis_id: str, result: StellicHoldResult | None, errors: list[UserError]) -> HoldPayload:
    if result is None:
        return HoldPayload(success=False, sis_id=strawberry.ID(sis_id), title=None, description=None, activities=[],
                           note=None, fields_updated=[], fields_failed=[], user_errors=errors)
    failed = result.failed or {}
    errors = errors + [error(["input", camel(name)], str(message), "NOT_APPLIED") for name, message in failed.items()]
    return HoldPayload(success=result.success, sis_id=strawberry.ID(sis_id), title=result.title,
                       description=result.description, activities=activities_from_stellic(result),
                       note=_note(result),
                       fields_updated=[camel(k) for k in result.fields_updated],
                       fields_failed=[camel(k) for k in failed], user_errors=errors)


def _note(result: StellicHoldResult) -> str | None:
    """The hold's note: create and delete answer it; an update answers it only among the fields it updated."""
    if result.note is not None:
        return result.note
    updated = result.fields_updated.get("note")
    return updated if isinstance(updated, str) else None


async def place_hold(info: Info[Any, Any], input: Annotated[PlaceHoldInput, HOLD]) -> HoldPayload:
    """``POST .../holds`` (#26)."""
    checks = Checks()
    checks.texts(["input"], input, ("sis_id", *HOLD_TEXTS))
    if not checks.ok:
        return _hold(input.sis_id, None, checks.errors)
    send = await as_seen(info, input.student_id, lambda: upstreams(info).stellic.create_hold(body_of(input)),
                         field="student_id", by_id=True)
    result, errors = await attempt(send, root=["input"])
    return _hold(input.sis_id, result, errors)


async def update_hold(info: Info[Any, Any], sis_id: Annotated[strawberry.ID, SIS_ID],
                      input: Annotated[UpdateHoldInput, HOLD_UPDATE]) -> HoldPayload:
    """``PATCH .../holds/{sis_id}`` (#27): what Stellic could not apply is in ``fieldsFailed`` and userErrors."""
    checks = Checks()
    checks.text(["sisId"], sis_id)
    checks.texts(["input"], input, HOLD_TEXTS)
    if not checks.ok:
        return _hold(sis_id, None, checks.errors)
    # Stellic applies the rest of an update whose student it does not have; for a hidden one nothing is sent.
    send = await as_seen(info, input.student_id, lambda: upstreams(info).stellic.update_hold(sis_id, body_of(input)),
                         field="student_id", by_id=True)
    result, errors = await attempt(send, root=["input"], renames={"sis_id": ["sisId"]})
    return _hold(sis_id, result, errors)


async def release_hold(info: Info[Any, Any], sis_id: Annotated[strawberry.ID, SIS_ID]) -> HoldPayload:
    """``DELETE .../holds/{sis_id}`` (#28); the answer still names the hold that was released."""
    checks = Checks()
    checks.text(["sisId"], sis_id)
    if not checks.ok:
        return _hold(sis_id, None, checks.errors)
    result, errors = await attempt(upstreams(info).stellic.delete_hold(sis_id), renames={"sis_id": ["sisId"]})
    return _hold(sis_id, result, errors)
