"""Counters of upstream activity per vendor and route, read by metrics, health and tests, and the hook that
wraps each HTTP exchange (tracing)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

Listener = Callable[[str, dict[str, Any]], None]


@dataclass
class Exchange:
    """One HTTP exchange with a vendor, as the exchange hook sees it. The hook may add to ``headers`` (a trace
    context); ``status`` or ``error`` is filled in before the hook's context exits."""

    vendor: str
    route: str  # Route.key: "GET /api/students/{netid}"
    method: str
    url: str
    attempt: int
    headers: dict[str, str]
    status: int | None = None
    error: str | None = None


ExchangeHook = Callable[[Exchange], AbstractContextManager[object]]


@dataclass
class UpstreamStats:
    """In-process counts; listeners (metrics, tracing) are told of every event as it happens."""

    calls: Counter[tuple[str, str, int]] = field(default_factory=Counter)  # (vendor, route, status)
    cache: Counter[tuple[str, str]] = field(default_factory=Counter)  # (vendor, "hit" | "miss")
    retries: Counter[str] = field(default_factory=Counter)
    rate_limited: Counter[str] = field(default_factory=Counter)  # 429s received
    token_calls: Counter[str] = field(default_factory=Counter)
    listeners: list[Listener] = field(default_factory=list)
    exchange_hook: ExchangeHook | None = None  # around every HTTP exchange of every client sharing these stats

    def emit(self, event: str, **data: Any) -> None:
        if event == "call":
            self.calls[(data["vendor"], data["route"], data["status"])] += 1
        elif event == "cache":
            self.cache[(data["vendor"], "hit" if data["hit"] else "miss")] += 1
        elif event == "retry":
            self.retries[data["vendor"]] += 1
        elif event == "rate_limited":
            self.rate_limited[data["vendor"]] += 1
        elif event == "token":
            self.token_calls[data["vendor"]] += 1
        for listener in self.listeners:
            listener(event, data)

    def call_count(self, vendor: str, route: str | None = None) -> int:
        return sum(n for (v, r, _), n in self.calls.items() if v == vendor and (route is None or r == route))
