"""Request-body checks and the error bodies Stellic answers with (field, and item index for arrays)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from gateway.sandbox.simulator import SandboxError

_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?")
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class Field:
    """What one body field must be: ``kind`` is str, bool, int, number, date, time, timestamp, strings,
    objects or object; ``choices`` limits a string to an enum."""

    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()


Spec = dict[str, Field]


def problem(field: str | None, message: str, index: int | None = None) -> dict[str, Any]:
    """One entry of an ``errors`` list."""
    entry: dict[str, Any] = {} if index is None else {"index": index}
    if field is not None:
        entry["field"] = field
    entry["message"] = message
    return entry


def error_body(message: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Stellic documents no error body; this one carries the message and the offending fields."""
    return {"success": False, "message": message, "errors": errors if errors is not None else [problem(None, message)]}


def bad_request(errors: list[dict[str, Any]], *, bulk: bool = False) -> SandboxError:
    """A 400 listing every problem; array endpoints keep their ``{"success": [], "errors": []}`` envelope."""
    first = errors[0]
    where = f"item {first['index']}: " if "index" in first else ""
    message = f"{where}{first.get('field', 'body')}: {first['message']}"
    body = {"success": [], "errors": errors, "message": message} if bulk else error_body(message, errors)
    return SandboxError(400, message, body=body)


def not_found(message: str, field: str | None = None) -> SandboxError:
    return SandboxError(404, message, body=error_body(message, [problem(field, message)]))


def is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def is_timestamp(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.strptime(value, TIMESTAMP_FORMAT)
    except ValueError:
        return False
    return True


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "str": (lambda v: isinstance(v, str), "Must be a string."),
    "bool": (lambda v: isinstance(v, bool), "Must be a boolean."),
    "int": (_is_int, "Must be an integer."),
    "number": (lambda v: _is_int(v) or isinstance(v, float), "Must be a number."),
    "date": (is_date, "Must be a date in YYYY-MM-DD format."),
    "time": (lambda v: isinstance(v, str) and bool(_TIME.fullmatch(v)), "Must be a time in HH:MM format."),
    "timestamp": (is_timestamp, "Must be a UTC timestamp in YYYY-MM-DD HH:MM format."),
    "strings": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), "Must be an array of strings."),
    "objects": (lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v), "Must be an array of objects."),
    "object": (lambda v: isinstance(v, dict), "Must be an object."),
}


def check(body: Any, spec: Spec, index: int | None = None, *, partial: bool = False) -> list[dict[str, Any]]:
    """Every problem of one body object against ``spec``; ``partial`` skips the required check (PATCH)."""
    if not isinstance(body, dict):
        return [problem(None, "Must be a JSON object.", index)]
    errors = []
    for name, field in spec.items():
        if name not in body or body[name] is None:
            if field.required and not partial:
                errors.append(problem(name, "This field is required.", index))
            continue
        fits, wrong = _KINDS[field.kind]
        message = None if fits(body[name]) else wrong
        if message is None and field.choices and body[name] not in field.choices:
            message = f"Must be one of: {', '.join(field.choices)}."
        if message is not None:
            errors.append(problem(name, message, index))
    return errors


def require_object(body: Any, spec: Spec, *, partial: bool = False) -> dict[str, Any]:
    """The body as a checked object, or a 400 naming each bad field."""
    errors = check(body, spec, partial=partial)
    if errors:
        raise bad_request(errors)
    assert isinstance(body, dict)
    return body


def require_array(body: Any, spec: Spec, *, partial: bool = False, bulk: bool = True) -> list[dict[str, Any]]:
    """The body as a checked array of objects, or a 400 naming each bad field with its item index."""
    if not isinstance(body, list):
        raise bad_request([problem(None, "The request body must be a JSON array.")], bulk=bulk)
    if not body:
        raise bad_request([problem(None, "The array must contain at least one item.")], bulk=bulk)
    errors = [e for i, item in enumerate(body) for e in check(item, spec, i, partial=partial)]
    if errors:
        raise bad_request(errors, bulk=bulk)
    return body


def pick(body: dict[str, Any], spec: Spec, defaults: dict[str, Any] | None = None) -> dict[str, Any]:
    """The spec's fields of ``body`` in spec order, absent ones from ``defaults`` (else None)."""
    defaults = defaults or {}
    return {name: body.get(name, defaults.get(name)) for name in spec}
