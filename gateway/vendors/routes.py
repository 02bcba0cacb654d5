"""Declarative vendor route tables, shared by the gateway's clients and the sandbox.

Every vendor path lives once, in that vendor's ``routes.py``, tagged with where the fact came from
(``shared/vendor-contracts.md``). The sandbox serves exactly these routes and the clients format
exactly these paths, so replacing an inferred path with the real one is a one-line change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import quote

_PARAM = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")
# Values that percent-encoding cannot keep inside one path segment: URL parsers and servers remove dot segments
# (``/api/students/..`` is ``/api/``), and an empty segment names the collection instead of a record.
_NOT_A_SEGMENT = frozenset({"", ".", ".."})


class NotAPathSegment(ValueError):
    """Raised by ``Route.url`` for a parameter that cannot name a record (empty, ``.`` or ``..``)."""


class Provenance(StrEnum):
    """Where a route's method and path come from (see shared/vendor-contracts.md section 0)."""

    SEED = "seed"
    FOUND = "found"
    INFERRED = "inferred"


@dataclass(frozen=True)
class Route:
    """One vendor operation: a method and a path template such as ``/api/students/{netid}``."""

    name: str
    method: str
    path: str
    provenance: Provenance
    note: str = ""
    repeatable: bool = True  # False for a GET that starts work (a Stellic export): never repeated automatically
    # Whether a 404 means "no such record" (a read's is cached like an answer): by default where the path names one,
    # and for a write (a record it names in its body). A list, an export or a filter read always exists, so its
    # 404 is the vendor failing, never an absence.
    record: bool | None = None
    params: tuple[str, ...] = field(init=False)
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", tuple(_PARAM.findall(self.path)))
        if self.record is None:
            object.__setattr__(self, "record", bool(self.params) or self.method != "GET")
        regex = _PARAM.sub(lambda m: f"(?P<{m.group(1)}>[^/]+)", re.escape(self.path).replace(
            r"\{", "{").replace(r"\}", "}"))
        object.__setattr__(self, "pattern", re.compile(regex))

    @property
    def key(self) -> str:
        """``"GET /api/students/{netid}"``: the label used in logs, metrics and the sandbox's log."""
        return f"{self.method} {self.path}"

    @property
    def idempotent(self) -> bool:
        """True where repeating the call cannot change the outcome (GET, PUT and DELETE of a named record)."""
        return self.repeatable and self.method in {"GET", "HEAD", "PUT", "DELETE"}

    def url(self, **params: object) -> str:
        """The concrete path, each parameter percent-encoded as one path segment."""
        missing = set(self.params) - params.keys()
        if missing:
            raise ValueError(f"route {self.name} needs {sorted(missing)}")
        for name in self.params:
            if str(params[name]) in _NOT_A_SEGMENT:
                raise NotAPathSegment(f"{name} {str(params[name])!r} cannot name a record")
        return _PARAM.sub(lambda m: quote(str(params[m.group(1)]), safe=""), self.path)

    def match(self, path: str) -> dict[str, str] | None:
        """The path parameters if ``path`` fits this template, else None."""
        found = self.pattern.fullmatch(path)  # not match with `$`, which lets a trailing newline by
        return None if found is None else found.groupdict()

    def specificity(self) -> tuple[int, ...]:
        """Sort key: literal segments win over parameters, position by position."""
        return tuple(1 if _PARAM.fullmatch(seg) else 0 for seg in self.path.strip("/").split("/"))


class RouteTable:
    """A vendor's routes by name, with matching of a concrete request to its template."""

    def __init__(self, vendor: str, routes: Iterable[Route]) -> None:
        self.vendor = vendor
        self._by_name: dict[str, Route] = {}
        for route in routes:
            if route.name in self._by_name:
                raise ValueError(f"{vendor}: route {route.name} declared twice")
            self._by_name[route.name] = route
        keys = [r.key for r in self._by_name.values()]
        if len(keys) != len(set(keys)):
            raise ValueError(f"{vendor}: a method and path declared twice")
        # Most specific first, so /students/past wins over /students/{id}.
        self._ordered = sorted(self._by_name.values(), key=Route.specificity)

    def __iter__(self) -> Iterator[Route]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def __getitem__(self, name: str) -> Route:
        return self._by_name[name]

    def api_prefixes(self) -> frozenset[str]:
        """The paths the routes begin with (``/api``, ``/api/v1``, ``/partnerapi/v1``, ``/exports``), which the
        gateway adds to the base URL itself: a base URL ending in one names it twice."""
        prefixes = set()
        for route in self._by_name.values():
            segments = [s for s in route.path.split("/") if s][:2]
            prefixes.add("/" + segments[0])
            if len(segments) == 2 and "{" not in segments[1]:
                prefixes.add("/" + "/".join(segments))
        return frozenset(prefixes)

    def by_key(self, key: str) -> Route | None:
        """The route labelled ``"METHOD /path/{template}"``, if declared."""
        return next((r for r in self._by_name.values() if r.key == key), None)

    def resolve(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        """Match a request: (route, path params, path-known-with-another-method)."""
        path_known = False
        for route in self._ordered:
            params = route.match(path)
            if params is None:
                continue
            if route.method == method:
                return route, params, True
            path_known = True
        return None, {}, path_known
