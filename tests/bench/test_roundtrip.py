"""The benchmark's round trip of one vendor read, and the floor it puts under a cold execution."""

from __future__ import annotations

from bench import report, roundtrip
from tests.gatewayproc import sandbox_env
from tests.sandboxproc import SandboxProcess


def test_a_round_trip_is_one_uncached_vendor_read_each_taking_the_latency(sandbox: SandboxProcess) -> None:
    sandbox.faults("dartmouth", latency_ms=60)
    measured = roundtrip.measure(sandbox_env(sandbox), "d59951y", samples=3)
    assert measured["n"] == 3 and measured["min_ms"] >= 60
    assert sandbox.requests("dartmouth")["by_route"]["GET /api/students/{netid}"] == 4  # one first, not a sample


def test_the_floor_is_a_round_trip_per_level_and_the_warm_execution() -> None:
    assert roundtrip.floor_ms(2, 21.2, 3.9) == 46.3


def test_the_report_shows_the_floor_where_the_result_has_one() -> None:
    result = {"latency_ms": 20, "upstream_round_trip": {"p50_ms": 21.2},
              "targets": {"one": {"floor_ms": 46.3}},
              "queries": {"one": {"title": "one", "calls": {
                  "minimum": {"levels": 2, "total": 3}, "cold": {"total": 3, "chain": {"levels": 2, "ms": 50.0}},
                  "warm": {"total": 0}, "baseline": {"total": 5}},
                  "latency": {"cold": {"p50_ms": 50.0, "p99_ms": 52.0}, "warm": {"p50_ms": 3.9, "p99_ms": 5.0}}}}}
    assert "| 2 x 21.2 + warm = 46.3 ms | 50.0 / 52.0 |" in report.calls_and_latency(result)
    del result["upstream_round_trip"]
    assert "| n/a | 50.0 / 52.0 |" in report.calls_and_latency(result)
