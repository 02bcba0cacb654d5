"""The benchmark's critical-path reading of the sandbox log (pure functions, no processes)."""

from __future__ import annotations

from bench.timeline import calls_from_log, chain


def entry(method: str, route: str, started_at: float, ms: float) -> dict[str, object]:
    return {"method": method, "route": route, "started_at": started_at, "ms": ms}


def test_the_longest_chain_of_calls_each_waiting_for_the_last() -> None:
    calls = calls_from_log("dartmouth", [
        entry("POST", "POST /api/jwt", 99.990, 1.0),  # a credential exchange is not a data call
        entry("GET", "GET /api/students", 100.000, 20.0),
        entry("GET", "GET /api/people/{netid}", 100.001, 21.0),
        entry("GET", "GET /api/academic/sections/{id}", 100.023, 22.0),  # after both ended
        entry("GET", "GET /api/academic/holds", 100.024, 20.5),
    ])
    assert len(calls) == 4
    found = chain(calls)
    assert found["levels"] == 2
    assert found["path"] == ["dartmouth GET /api/people/{netid}", "dartmouth GET /api/academic/sections/{id}"]
    assert found["ms"] == 43.0 and found["span_ms"] == 45.0


def test_no_calls_no_chain() -> None:
    assert chain([]) == {"levels": 0, "ms": 0.0, "span_ms": 0.0, "path": []}
