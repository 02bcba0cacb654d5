"""What a simulator was asked: counts by route template and the most recent requests."""

from __future__ import annotations

from collections import Counter, deque
from typing import Any

UNMATCHED = "UNMATCHED"


class RequestLog:
    """Every vendor request (controls under ``/_sandbox`` excluded); keeps the newest ``keep`` in full.

    A request is recorded when it has been answered, so one that arrived before a ``clear()`` (a reset) and
    was answered after it would land in the new log: ``generation`` tells them apart, and such a request is
    left out, as it belongs to the log that was cleared."""

    def __init__(self, keep: int = 20_000) -> None:
        self.total = 0
        self.generation = 0  # one more at each clear()
        self.by_route: Counter[str] = Counter()
        self._recent: deque[dict[str, Any]] = deque(maxlen=keep)

    def clear(self) -> None:
        self.generation += 1
        self.total = 0
        self.by_route.clear()
        self._recent.clear()

    def record(self, method: str, path: str, query: str, status: int, ms: float, route_key: str | None,
               traceparent: str | None = None, started_at: float | None = None, lost: bool = False,
               generation: int | None = None) -> None:
        """One served request; ``started_at`` (epoch seconds) and ``ms`` let a test see which calls overlapped;
        ``lost``: the ``lose_answer_next`` fault closed the connection before the answer went out;
        ``generation``: the log's when the request arrived (an older one is not recorded)."""
        if generation is not None and generation != self.generation:
            return
        self.total += 1
        self.by_route[route_key or UNMATCHED] += 1
        entry: dict[str, Any] = {"method": method, "path": path, "query": query, "status": status,
                                 "ms": round(ms, 2), "route": route_key or UNMATCHED}
        if started_at is not None:
            entry["started_at"] = round(started_at, 4)
        if lost:
            entry["answer"] = "lost"
        if traceparent is not None:  # the W3C trace context the caller sent, so tests can follow a trace here
            entry["traceparent"] = traceparent
        self._recent.append(entry)

    def snapshot(self, limit: int | None = None) -> dict[str, Any]:
        requests = list(self._recent)
        if limit is not None:
            requests = requests[-limit:] if limit > 0 else []
        return {"total": self.total, "by_route": dict(self.by_route), "requests": requests}
