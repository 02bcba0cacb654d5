"""The benchmark's critical-path reading of the gateway's upstream log lines (pure functions, no processes)."""

from __future__ import annotations

import json

from bench.timeline import Call, _parse, chain


def line(route: str, end: str, ms: float, cache: str = "miss") -> str:
    return json.dumps({"ts": f"2026-11-23T10:00:{end}+00:00", "logger": "campusgraph.upstream",
                       "upstream": {"vendor": "dartmouth", "route": route, "status": 200, "ms": ms, "cache": cache}})


def test_the_longest_chain_of_calls_each_waiting_for_the_last() -> None:
    calls = [c for c in map(_parse, [
        line("GET /api/students", "00.020", 20.0),
        line("GET /api/people/{netid}", "00.022", 21.0),
        line("GET /api/academic/sections/{id}", "00.045", 22.0),  # started after both ended
        line("GET /api/academic/holds", "00.045", 20.5),
        line("GET /api/people/{netid}", "00.046", 0.1, cache="hit"),  # a cache hit is no call
        "not json",
    ]) if c is not None]
    assert len(calls) == 4 and all(isinstance(c, Call) for c in calls)
    found = chain(calls)
    assert found["levels"] == 2
    assert found["path"] == ["dartmouth GET /api/people/{netid}", "dartmouth GET /api/academic/sections/{id}"]
    assert found["ms"] == 43.0 and found["span_ms"] == 45.0


def test_of_the_longest_chains_the_one_ending_last() -> None:
    """A second-level call that waited (for a pooled connection) before its 20 ms shows in the chain's time."""
    calls = [c for c in map(_parse, [
        line("GET /api/students", "00.020", 20.0),
        line("GET /api/academic/holds", "00.041", 20.5),
        line("GET /api/people/{netid}", "00.081", 60.5),  # started as the holds did, answered 40 ms later
        line("GET /api/academic/enrollments", "00.042", 21.0),
    ]) if c is not None]
    found = chain(calls)
    assert found["levels"] == 2 and found["path"][-1] == "dartmouth GET /api/people/{netid}"
    assert found["ms"] == 80.5


def test_no_calls_no_chain() -> None:
    assert chain([]) == {"levels": 0, "ms": 0.0, "span_ms": 0.0, "path": []}
