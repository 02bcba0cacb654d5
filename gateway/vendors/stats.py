"""Counters of upstream activity per vendor and route, read by metrics, health and tests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Listener = Callable[[str, dict[str, Any]], None]


@dataclass
class UpstreamStats:
    """In-process counts; listeners (metrics, tracing) are told of every event as it happens."""

    calls: Counter[tuple[str, str, int]] = field(default_factory=Counter)  # (vendor, route, status)
    cache: Counter[tuple[str, str]] = field(default_factory=Counter)  # (vendor, "hit" | "miss")
    retries: Counter[str] = field(default_factory=Counter)
    rate_limited: Counter[str] = field(default_factory=Counter)  # 429s received
    token_calls: Counter[str] = field(default_factory=Counter)
    listeners: list[Listener] = field(default_factory=list)

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
