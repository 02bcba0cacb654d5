"""Fault switches of a simulator: latency, errors, outages, lost answers, token lifetime and rate-limit settings.

Set through ``POST /_sandbox/faults``; a body with ``route`` ("METHOD /path/{template}") limits
the switches to that route, otherwise they apply to every route of the simulator. Route-specific
values win over global ones; ``POST /_sandbox/reset`` clears them all.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields
from typing import Any

# Fields a caller may set, with the type each must have.
_FIELDS: dict[str, tuple[type, ...]] = {
    "latency_ms": (int, float),
    "jitter_ms": (int, float),
    "error_rate": (int, float),
    "error_status": (int,),
    "fail_next": (int,),
    "lose_answer_next": (int,),
    "outage": (bool,),
    "malformed": (bool,),
    "retry_after_s": (int, float),
    "token_ttl_s": (int, float),
    "rate_limit_bucket": (int,),
    "rate_limit_refill_s": (int, float),
}


class FaultError(ValueError):
    """Raised when a fault body names an unknown switch or a value of the wrong type."""


@dataclass
class Faults:
    """One set of switches; None means "not set here"."""

    latency_ms: float | None = None
    jitter_ms: float | None = None
    error_rate: float | None = None
    error_status: int | None = None
    fail_next: int | None = None
    lose_answer_next: int | None = None  # served (a write applied), but the connection closes before the answer
    outage: bool | None = None
    malformed: bool | None = None
    retry_after_s: float | None = None
    token_ttl_s: float | None = None
    rate_limit_bucket: int | None = None
    rate_limit_refill_s: float | None = None

    def update(self, body: dict[str, Any]) -> None:
        for name, value in body.items():
            if name == "route":
                continue
            if name not in _FIELDS:
                raise FaultError(f"unknown fault switch {name!r}; known: {sorted(_FIELDS)}")
            if value is not None and (
                not isinstance(value, _FIELDS[name]) or (isinstance(value, bool) and bool not in _FIELDS[name])
            ):
                raise FaultError(f"fault switch {name!r} takes {_FIELDS[name][0].__name__}")
            setattr(self, name, value)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


@dataclass(frozen=True)
class Decision:
    """What the fault layer does to one request before (or instead of) the handler."""

    delay_s: float
    fail_status: int | None
    malformed: bool
    retry_after_s: float
    lose_answer: bool = False


class FaultBook:
    """Global and per-route switches, and the per-request decision drawn from them."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self.global_faults = Faults()
        self.by_route: dict[str, Faults] = {}

    def clear(self) -> None:
        self.global_faults = Faults()
        self.by_route.clear()

    def set(self, body: dict[str, Any], known_routes: set[str]) -> None:
        route = body.get("route")
        if route is None:
            self.global_faults.update(body)
            return
        if route not in known_routes:
            raise FaultError(f"unknown route {route!r}; use 'METHOD /path/{{template}}' as in GET /_sandbox/routes")
        self.by_route.setdefault(route, Faults()).update(body)

    def value(self, name: str, route_key: str | None) -> Any:
        """A switch's effective value for a route: the route's own, else the global one."""
        local = self.by_route.get(route_key) if route_key else None
        if local is not None and getattr(local, name) is not None:
            return getattr(local, name)
        return getattr(self.global_faults, name)

    def decide(self, route_key: str | None, base_latency_ms: float) -> Decision:
        latency = base_latency_ms + (self.value("latency_ms", route_key) or 0.0)
        jitter = self.value("jitter_ms", route_key) or 0.0
        if jitter:
            latency += self._rng.uniform(0, jitter)
        status = self.value("error_status", route_key) or 503
        fail: int | None = None
        if self.value("outage", route_key):
            fail = 503 if self.value("error_status", route_key) is None else status
        elif self._take("fail_next", route_key):
            fail = status
        else:
            rate = self.value("error_rate", route_key) or 0.0
            if rate and self._rng.random() < rate:
                fail = status
        return Decision(
            delay_s=latency / 1000.0,
            fail_status=fail,
            malformed=bool(self.value("malformed", route_key)),
            retry_after_s=float(self.value("retry_after_s", route_key) or 1.0),
            lose_answer=fail is None and self._take("lose_answer_next", route_key),
        )

    def _take(self, countdown: str, route_key: str | None) -> bool:
        """Spend one of a countdown switch (``fail_next``, ``lose_answer_next``): the route's own first."""
        for faults in (self.by_route.get(route_key) if route_key else None, self.global_faults):
            if faults is not None and getattr(faults, countdown):
                setattr(faults, countdown, getattr(faults, countdown) - 1)
                return True
        return False
