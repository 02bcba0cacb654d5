"""Dartmouth's standard filter parameters and found-set paging (shared/vendor-contracts.md section 3.3).

A filter is any query parameter that is not a paging one: a dot path into the record, a value with
an optional leading operator (``<``, ``>``, ``<=``, ``>=``) or trailing ``*`` wildcard. Paths go
through arrays (``affiliations.name=Student`` matches when any affiliation does). A path no record
of the collection has is ignored, as the vendor ignores unknown and not-permitted attributes.
Repeated parameters all apply, so ``x=>1&x=<5`` is a range.
"""

from __future__ import annotations

import operator
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from gateway.sandbox.simulator import SandboxError
from gateway.vendors.dartmouth.routes import (
    CONTINUATION_PARAM,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    PAGE_PARAM,
    PAGE_SIZE_PARAM,
    PAGING_PARAMS,
)

_OPERATORS = ("<=", ">=", "<", ">")  # longest first
_MISSING = object()
FOUND_SET_TTL_S = 12 * 3600.0


@dataclass(frozen=True)
class Filter:
    path: tuple[str, ...]
    op: str  # "=", "<", ">", "<=", ">=" or "*" (prefix)
    value: str

    @classmethod
    def parse(cls, name: str, raw: str) -> Filter:
        op = next((o for o in _OPERATORS if raw.startswith(o)), "=")
        value = raw[len(op):] if op != "=" else raw
        if op == "=" and value.endswith("*"):
            op, value = "*", value[:-1]
        return cls(tuple(name.split(".")), op, value)

    @cached_property
    def _lowered(self) -> str:
        return self.value.lower()

    @cached_property
    def number(self) -> float | None:
        """The value as a number, when it is one (then records compare as numbers)."""
        return _number(self.value)

    def matches(self, record: dict[str, Any]) -> bool:
        """True when some value at this filter's path in ``record`` is accepted."""
        node: Any = record
        for key in self.path:  # fast path: nested objects only
            if not isinstance(node, dict):
                return any(value is not _MISSING and self.accepts(value) for value in _values(record, self.path))
            node = node.get(key, _MISSING)
            if node is _MISSING:
                return False
        if isinstance(node, list):
            return any(self.accepts(value) for value in _values(node, ()))
        return self.accepts(node)

    def accepts(self, scalar: Any) -> bool:
        """Numbers compare as numbers (whether the record or the query holds them as text), the rest as text; a
        value that is no number is outside every numeric comparison."""
        if scalar is None and self.op not in ("=", "*"):
            return False
        text = _text(scalar)
        if self.op == "*":
            return text.lower().startswith(self._lowered)
        a: Any = None
        b: Any = self.number
        if b is not None:
            a = scalar if isinstance(scalar, int | float) and not isinstance(scalar, bool) else _number(text)
            if a is None and self.op != "=":  # `class_year>=27` is about years: a Thayer student's "TH" is none
                return False
        if a is None:
            a, b = text.lower(), self._lowered
        return bool(_COMPARE[self.op](a, b))


_COMPARE = {"=": operator.eq, "<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge}


def _text(scalar: Any) -> str:
    if isinstance(scalar, bool):
        return "true" if scalar else "false"
    return "null" if scalar is None else str(scalar)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _values(node: Any, path: Sequence[str]) -> list[Any]:
    """Every value at ``path`` below ``node``, fanning out through arrays; ``_MISSING`` marks no such key."""
    for i, key in enumerate(path):
        if isinstance(node, list):
            return [value for item in node for value in _values(item, path[i:])]
        if not isinstance(node, dict) or key not in node:
            return [_MISSING]
        node = node[key]
    return [value for item in node for value in _values(item, ())] if isinstance(node, list) else [node]


def _has_path(record: Any, path: Sequence[str]) -> bool:
    return any(value is not _MISSING for value in _values(record, path))


def filters_from(params: Iterable[tuple[str, str]]) -> list[Filter]:
    return [Filter.parse(name, raw) for name, raw in params if name not in PAGING_PARAMS]


def apply_filters(records: Collection[dict[str, Any]], filters: Sequence[Filter],
                  hidden: Collection[str] = (), index: RecordIndex | None = None) -> list[dict[str, Any]]:
    """The records every applicable filter accepts, in the order of ``records``.

    A filter does not apply when its path is hidden from the caller (its first segment is in
    ``hidden``) or no record has that path: the vendor drops such terms without an error. With an
    ``index`` over ``records``, an exact-text filter narrows the records to test to those holding
    its value, instead of every record.
    """
    known = [f for f in filters if f.path[0] not in hidden and any(_has_path(r, f.path) for r in records)]
    if not known:
        return list(records)
    narrowed = index.narrow(known) if index is not None else None
    return [record for record in (records if narrowed is None else narrowed) if all(f.matches(record) for f in known)]


class RecordIndex:
    """Records of one store by the text of the value at a path, built on the first filter on that path.

    Only exact, non-numeric filters use it: they accept a value exactly when its text, lowered, is the
    filter's (numbers compare as numbers, so "1" and "1.0" would need more than one key). A filtered
    read then tests the few records holding the value (a student's enrollments) rather than the
    whole collection, so the sandbox stays far from being the bottleneck of what it measures.
    ``invalidate()`` after changing stored records.
    """

    def __init__(self, records: Callable[[], Iterable[dict[str, Any]]]) -> None:
        self._records = records
        self._by_path: dict[tuple[str, ...], dict[str, list[dict[str, Any]]]] = {}

    def invalidate(self) -> None:
        self._by_path.clear()

    def narrow(self, filters: Sequence[Filter]) -> list[dict[str, Any]] | None:
        """The records one of ``filters`` can accept, in store order; None when none of them is exact text."""
        for f in filters:
            if f.op == "=" and f.number is None:
                return self._index(f.path).get(f.value.lower(), [])
        return None

    def _index(self, path: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
        index = self._by_path.get(path)
        if index is None:
            index = {}
            for record in self._records():
                for text in dict.fromkeys(_text(v).lower() for v in _values(record, path) if v is not _MISSING):
                    index.setdefault(text, []).append(record)
            self._by_path[path] = index
        return index


@dataclass(frozen=True)
class PageRequest:
    size: int
    number: int  # 1-based
    continuation_key: str | None

    @classmethod
    def parse(cls, query: Any) -> PageRequest:
        return cls(_positive(query, PAGE_SIZE_PARAM, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
                   _positive(query, PAGE_PARAM, 1, None), query.get(CONTINUATION_PARAM) or None)

    def slice(self, items: Sequence[Any]) -> Sequence[Any]:
        start = (self.number - 1) * self.size
        return items[start:start + self.size]


def _positive(query: Any, name: str, default: int, cap: int | None) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SandboxError(400, f"{name} must be a positive integer") from None
    if value < 1:
        raise SandboxError(400, f"{name} must be a positive integer")
    return min(value, cap) if cap is not None else value


class FoundSets:
    """Results of a filter request kept for later pages, keyed by the ``X-Request-ID`` they were sent with.

    Entries live ``FOUND_SET_TTL_S`` as the vendor documents; the sandbox also keeps at most ``keep``
    of them (oldest dropped first) so a long benchmark cannot grow memory without bound.
    """

    def __init__(self, keep: int = 2000, ttl_s: float = FOUND_SET_TTL_S) -> None:
        self.keep, self.ttl_s = keep, ttl_s
        self._sets: OrderedDict[str, tuple[float, str, list[Any]]] = OrderedDict()

    def add(self, route_name: str, records: list[Any]) -> str:
        now = time.monotonic()
        while self._sets and (len(self._sets) >= self.keep or next(iter(self._sets.values()))[0] < now - self.ttl_s):
            self._sets.popitem(last=False)
        key = secrets.token_hex(16)
        self._sets[key] = (now, route_name, records)
        return key

    def get(self, key: str, route_name: str) -> list[Any]:
        """The records of a found set; a 400 when the key is unknown, expired or from another collection."""
        found = self._sets.get(key)
        if found is None or found[0] < time.monotonic() - self.ttl_s or found[1] != route_name:
            raise SandboxError(400, f"{CONTINUATION_PARAM} {key!r} is unknown or expired; repeat the filter request")
        return found[2]
