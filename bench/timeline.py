"""The chain of upstream calls one GraphQL execution made, read back from the gateway's structured log.

Every upstream attempt is one JSON line (logger ``campusgraph.upstream``, DEBUG for answered calls:
the benchmark runs its call-counting execution with ``--log-level debug``) with its end time (``ts``)
and duration (``ms``). A call depends on another when it started after that one ended; the longest
such chain is the execution's observed critical path, in calls ("levels") and in time (``ms``: the
chain's calls' durations, as the gateway saw them, added up).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

# ``ts`` has millisecond resolution: calls of one wave start within a few ms of each other, while a call
# that waited for another starts at least the sandbox latency later.
TOLERANCE_MS = 2.0


@dataclass(frozen=True)
class Call:
    route: str
    start_ms: float
    end_ms: float


class LogCursor:
    """Reads the upstream calls a gateway logged since the last read."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.offset = self.path.stat().st_size

    def calls(self) -> list[Call]:
        with self.path.open("rb") as f:
            f.seek(self.offset)
            raw = f.read()
        self.offset += len(raw)
        out = []
        for line in raw.decode("utf-8", "replace").splitlines():
            call = _parse(line)
            if call is not None:
                out.append(call)
        return out


def _parse(line: str) -> Call | None:
    try:
        record: dict[str, Any] = json.loads(line)
        upstream = record["upstream"]
        if upstream.get("cache") == "hit":
            return None
        end = datetime.fromisoformat(record["ts"]).timestamp() * 1000
        return Call(f"{upstream['vendor']} {upstream['route']}", end - float(upstream["ms"]), end)
    except (ValueError, KeyError, TypeError):
        return None


def cpu_ms(pid: int) -> float | None:
    """CPU time the process's main thread has used so far (Linux ``schedstat``, ns), or None elsewhere."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e6
    except (OSError, ValueError, IndexError):
        return None


def cpu_since(pid: int, before: float | None) -> float | None:
    """CPU ms the process's main thread has used since ``cpu_ms`` answered ``before``."""
    now = cpu_ms(pid)
    return None if now is None or before is None else round(now - before, 1)


def chain(calls: list[Call]) -> dict[str, Any]:
    """The longest chain of calls each starting after the previous ended (of the longest, the one ending last),
    and the time the calls spanned."""
    if not calls:
        return {"levels": 0, "ms": 0.0, "span_ms": 0.0, "path": []}
    ordered = sorted(calls, key=lambda c: c.start_ms)
    depth: list[int] = []
    parent: list[int | None] = []
    for i, call in enumerate(ordered):
        best, before = 0, None
        for j in range(i):  # of the deepest calls that ended before this one started, the last to end
            if ordered[j].end_ms <= call.start_ms + TOLERANCE_MS and (depth[j], ordered[j].end_ms) > (
                    best, ordered[before].end_ms if before is not None else -1.0):
                best, before = depth[j], j
        depth.append(best + 1)
        parent.append(before)
    # Of the deepest calls, the last to end: a call that queued (for a pooled connection, say) shows there.
    last: int | None = max(range(len(ordered)), key=lambda i: (depth[i], ordered[i].end_ms))
    path, ms = [], 0.0
    while last is not None:
        path.append(ordered[last].route)
        ms += ordered[last].end_ms - ordered[last].start_ms
        last = parent[last]
    span = max(c.end_ms for c in ordered) - min(c.start_ms for c in ordered)
    return {"levels": max(depth), "ms": round(ms, 1), "span_ms": round(span, 1), "path": path[::-1]}
