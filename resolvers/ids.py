"""A record's key from what a caller passed for it: the opaque global ID, or the vendor's own id."""

from __future__ import annotations

from schema.node import decode_id

NODE_TYPES = frozenset({"Student", "Staff", "Section", "Enrollment", "Hold", "Task"})


class OtherTypesId(ValueError):
    """The value is the global ID of another type: looking it up as this type would read the wrong record."""

    def __init__(self, given: str, wanted: str) -> None:
        super().__init__(f"{_a(given)} ID, not {_a(wanted)} ID")
        self.given, self.wanted = given, wanted


def key_of(global_or_raw: str, type_name: str) -> str:
    """The key of a ``type_name`` record; raises OtherTypesId for another type's global ID."""
    decoded = decode_id(global_or_raw)
    if decoded is not None and decoded[0] == type_name:
        return decoded[1]
    if decoded is not None and decoded[0] in NODE_TYPES:
        raise OtherTypesId(decoded[0], type_name)
    return global_or_raw


def _a(type_name: str) -> str:
    return f"{'an' if type_name[0] in 'AEIOU' else 'a'} {type_name}"
