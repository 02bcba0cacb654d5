"""What every mutation shares: the checks made before any call, vendor refusals as userErrors, per-item results.

Codes of a userError: REQUIRED, INVALID, OUT_OF_RANGE, DUPLICATE, TOO_LARGE (found by the gateway, nothing
was sent; TOO_LARGE also for the vendor's 413), NOT_FOUND and REFUSED (the vendor's 404 and 400), NOT_APPLIED
(an item, a field or a whole write the vendor answered it did not apply), USE_ASYNC (an export too large for
the synchronous flow).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import Enum
from typing import Any, TypeVar

from strawberry.types import Info
from strawberry.utils.str_converters import to_camel_case

from gateway.upstreams import Upstreams
from gateway.vendors.errors import (
    VendorBadRequest,
    VendorNotFound,
    VendorProtocolError,
    WriteAnswerUnreadable,
    WriteOutcomeUnknown,
    accepted_write,
)
from gateway.vendors.stellic.models import (
    StellicDeleteResult,
    StellicItemError,
    StellicItemResults,
    StellicStatusResult,
    item_errors,
)
from schema.mutations import BatchItem, StellicBatchPayload, UserError

T = TypeVar("T")
MAX_BODY_BYTES = 10_000_000  # Stellic's array writes take at most 10 MB (seed 000)
Path = Sequence[str | int]


def upstreams(info: Info[Any, Any]) -> Upstreams:
    up: Upstreams = info.context.upstreams
    return up


def camel(name: str) -> str:
    """A vendor field name as its input field (``sis_id`` -> ``sisId``)."""
    return to_camel_case(name)


def error(path: Path | None, message: str, code: str) -> UserError:
    return UserError(field=None if path is None else [str(p) for p in path], message=message, code=code)


@dataclass
class Checks:
    """Collects what is wrong with the input before any call; the mutation sends nothing unless ``ok``."""

    errors: list[UserError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, path: Path | None, message: str, code: str = "INVALID") -> None:
        self.errors.append(error(path, message, code))

    def text(self, path: Path, value: str | None) -> None:
        """A given string must hold something (GraphQL lets an empty string through a `String!`)."""
        if value is not None and not value.strip():
            self.add(path, "must not be empty", "REQUIRED")

    def texts(self, base: Path, obj: Any, names: Iterable[str]) -> None:
        for name in names:
            self.text([*base, to_camel_case(name)], getattr(obj, name))

    def not_negative(self, path: Path, value: float | None) -> None:
        if value is not None and value < 0:
            self.add(path, "must be 0 or more", "OUT_OF_RANGE")

    def not_empty(self, path: Path, values: Sequence[Any] | None) -> None:
        if values is not None and not values:
            self.add(path, "give at least one", "REQUIRED")

    def in_order(self, path: Path, start: date | time | str | None, end: date | time | str | None, what: str,
                 strict: bool = False) -> None:
        """``end`` must not come before ``start`` (nor equal it when ``strict``)."""
        if start is None or end is None:
            return
        if end < start or (strict and end == start):  # type: ignore[operator]
            self.add(path, f"must be {'after' if strict else 'on or after'} {what}", "OUT_OF_RANGE")

    def unique(self, base: Path, values: Sequence[Any], name: str | None = None) -> None:
        """No value twice; the error is on each repeat (``base``, its index, then ``name`` if given)."""
        seen: set[Any] = set()
        for index, value in enumerate(values):
            if value in seen:
                self.add([*base, index, *([name] if name else [])], f"{value} appears more than once", "DUPLICATE")
            seen.add(value)

    def body_size(self, path: Path, body: Any) -> None:
        size = len(json.dumps(body, default=str).encode())
        if size > MAX_BODY_BYTES:
            self.add(path, f"the request body would be {size / 1e6:.1f} MB; Stellic accepts at most 10 MB per "
                           "array write: split it", "TOO_LARGE")


# ---- vendor bodies from inputs --------------------------------------------------------------------------
def vendor_value(value: Any) -> Any:
    """An input value as Stellic takes it: enums by value, dates ISO, inputs as objects without unset fields."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, list):
        return [vendor_value(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return body_of(value)
    return value


def body_of(obj: Any, **renames: str) -> dict[str, Any]:
    """The snake_case vendor body of a Strawberry input: given (non-null) fields only."""
    out: dict[str, Any] = {}
    for name in obj.__dataclass_fields__:
        value = getattr(obj, name)
        if value is not None:
            out[renames.get(name, name)] = vendor_value(value)
    return out


# ---- vendor refusals ------------------------------------------------------------------------------------
_SEGMENT = re.compile(r"[^.\[\]]+")


def field_path(vendor_field: str | None, index: int | None, *, root: Path = (), items: Path | None = None,
               renames: Mapping[str, Path] | None = None) -> list[str] | None:
    """The argument path of a vendor error: ``items`` + index for an array item, else ``root``; then the
    vendor field (``timings[0].end`` -> ``timings``, ``0``, ``end``), camelCased, unless ``renames`` maps it
    (path parameters such as ``registration_time_id`` -> ``["id"]``)."""
    if vendor_field and renames and vendor_field in renames:
        return [str(p) for p in renames[vendor_field]]
    if not vendor_field:  # about a path parameter or the whole request: the message says which
        return [str(p) for p in [*items, index]] if index is not None and items is not None else None
    base = [*items, index] if index is not None and items is not None else list(root)
    parts = [to_camel_case(p) if not p.isdigit() else p for p in _SEGMENT.findall(vendor_field)]
    return [str(p) for p in [*base, *parts]]


def refusal(exc: VendorBadRequest | VendorNotFound, *, root: Path = (), items: Path | None = None,
            renames: Mapping[str, Path] | None = None) -> list[UserError]:
    """A vendor's 400/404 as userErrors, one per entry of its ``errors`` where it lists them."""
    code = "NOT_FOUND" if isinstance(exc, VendorNotFound) else "TOO_LARGE" if exc.status == 413 else "REFUSED"
    entries = item_errors(exc.detail)
    if not entries:
        message = exc.detail.get("message") if isinstance(exc.detail, dict) else None
        return [UserError(field=None, message=str(message or fallback_message(code)), code=code)]
    return [UserError(field=field_path(e.field, e.index, root=root, items=items, renames=renames),
                      message=e.message or fallback_message(code), code=code) for e in entries]


def fallback_message(code: str) -> str:
    return "no such record" if code == "NOT_FOUND" else "the vendor refused the request"


async def attempt(call: Awaitable[T], *, root: Path = (), items: Path | None = None,
                  renames: Mapping[str, Path] | None = None, write: bool = True,
                  forget: Callable[[], Awaitable[None]] | None = None,
                  refused: Callable[[VendorBadRequest | VendorNotFound], list[UserError]] | None = None,
                  ) -> tuple[T | None, list[UserError]]:
    """The vendor's answer, or its refusal (400/404) as userErrors (Stellic's, unless ``refused`` reads it);
    outages propagate. So does a ``write`` the vendor may have applied though its answer was lost
    (WRITE_OUTCOME_UNKNOWN) or does not fit its contract (WRITE_ANSWER_UNREADABLE), once ``forget`` has made the
    cache invalidations its success would: reading the record back then shows what the vendor holds, not what
    this gateway cached before."""
    try:
        return await call, []
    except (VendorBadRequest, VendorNotFound) as exc:
        if refused is not None:
            return None, refused(exc)
        return None, refusal(exc, root=root, items=items, renames=renames)
    except WriteOutcomeUnknown:
        if forget is not None:
            await forget()
        raise
    except VendorProtocolError as exc:
        if not write or not accepted_write(exc):
            raise
        if forget is not None:
            await forget()
        raise WriteAnswerUnreadable.after(exc) from exc


def batch(count: int, results: StellicItemResults | None, refused: list[UserError], *, root: Path = (),
          items: Path | None = None, renames: Mapping[str, Path] | None = None) -> StellicBatchPayload:
    """Stellic's ``{success, errors}`` item by item: an item listed in ``errors`` failed (a userError at its
    index), the others succeeded and take the ``success`` records in order. With no results the whole write
    was refused (atomic bulk writes, or a 400): no item applied."""
    if results is None:
        return StellicBatchPayload(success=False, user_errors=refused,
                                   items=[BatchItem(index=i, succeeded=False, record=None) for i in range(count)])
    failed = {e.index for e in results.errors if e.index is not None}
    applied = iter(results.success)
    out = []
    for i in range(count):
        ok = i not in failed
        record: Any = next(applied, None) if ok else None
        out.append(BatchItem(index=i, succeeded=ok, record=record))
    return StellicBatchPayload(success=not results.errors, items=out,
                               user_errors=_not_applied(results.errors, root=root, items=items, renames=renames))


def _not_applied(entries: Iterable[StellicItemError], *, root: Path = (), items: Path | None = None,
                 renames: Mapping[str, Path] | None = None) -> list[UserError]:
    """Each entry of a 2xx answer's ``errors`` as a NOT_APPLIED userError at its argument path."""
    return [UserError(field=field_path(e.field, e.index, root=root, items=items, renames=renames),
                      message=e.message or "not applied", code="NOT_APPLIED") for e in entries]


def not_applied(result: StellicStatusResult | StellicDeleteResult | None, *, root: Path = (),
                renames: Mapping[str, Path] | None = None) -> list[UserError]:
    """A 2xx answer saying the write was not applied (a status other than success, ``success: false``, or
    ``errors``), as userErrors: ``success: false`` always comes with Stellic's reason, or with what it answered
    when it gave none."""
    if result is None:
        return []
    applied = result.ok if isinstance(result, StellicStatusResult) else result.success
    if applied:
        return []
    errors = _not_applied(result.errors, root=root, renames=renames)
    said = f"status {result.status!r}" if isinstance(result, StellicStatusResult) else "success false"
    return errors or [UserError(field=None, message=f"Stellic did not apply the write (it answered {said})",
                                code="NOT_APPLIED")]


def as_json(value: Any) -> Any:
    """A vendor object as plain JSON for a JSON field."""
    return json.loads(json.dumps(value, default=str))
