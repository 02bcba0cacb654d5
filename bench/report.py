"""The GraphQL benchmark's results as the Markdown tables in bench/README.md."""

from __future__ import annotations

from typing import Any


def _routes(by_route: dict[str, int]) -> str:
    return ", ".join(f"{n} {route}" for route, n in by_route.items())


def _floor(result: dict[str, Any], name: str, levels: int) -> str:
    """The floor column: a round trip per level plus the warm p50 (bench/roundtrip.py); n/a in older results."""
    floor = result.get("targets", {}).get(name, {}).get("floor_ms")
    round_trip = result.get("upstream_round_trip")
    if floor is None or round_trip is None:
        return "n/a"
    return f"{levels} x {round_trip['p50_ms']:g} + warm = {floor:g} ms"


def calls_and_latency(result: dict[str, Any]) -> str:
    latency = result["latency_ms"]
    lines = [
        "| query | upstream calls cold / warm | minimum | baseline | critical path: minimum / the cold run's chain "
        "| floor: round trips + warm p50 | cold p50 / p99 (ms) | cold, warm process (Redis flushed) p50 / p99 (ms) "
        "| warm p50 / p99 (ms) | baseline p50 / p99 (ms) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in result["queries"].items():
        calls, lat = r["calls"], r["latency"]
        levels = calls["minimum"]["levels"]
        lines.append(
            f"| {r['title']} | {calls['cold']['total']} / {calls['warm']['total']} | {calls['minimum']['total']} "
            f"| {calls['baseline']['total']} "
            f"| {levels} x {latency:g} = {levels * latency:g} ms / {calls['cold']['chain']['levels']} calls, "
            f"{calls['cold']['chain']['ms']:g} ms | {_floor(result, name, levels)} "
            + "".join(f"| {lat[k]['p50_ms']} / {lat[k]['p99_ms']} " if k in lat else "| n/a "
                      for k in ("cold", "cold_warm_process", "warm", "baseline")) + "|")
    return "\n".join(lines)


def _rps(run: dict[str, Any]) -> str:
    if not run["failed"]:
        return f"{run['rps']:g}"
    codes = ", ".join(sorted(run["errors"]))
    return f"{run['rps']:g} ({run['failed']} failed: {codes})"


def throughput(result: dict[str, Any]) -> str:
    lines = ["| query | normal c1 / c10 / c50 (req/s) | baseline c1 / c10 / c50 (req/s) | normal / baseline |",
             "|---|---|---|---|"]
    for r in result["queries"].values():
        t = r["throughput"]
        normal = " / ".join(_rps(run) for run in t["normal"])
        baseline = " / ".join(_rps(run) for run in t["baseline"])
        ratio = " / ".join(f"{v:g}x" if v is not None else "baseline answered none" for v in t["speedup"].values())
        lines.append(f"| {r['title']} | {normal} | {baseline} | {ratio} |")
    return "\n".join(lines)


def excess(result: dict[str, Any]) -> str:
    """Routes called cold more often than the minimum, per query."""
    lines = []
    for r in result["queries"].values():
        cold, minimum = r["calls"]["cold"]["by_route"], r["calls"]["minimum"]["by_route"]
        extra = {route: n - minimum.get(route, 0) for route, n in cold.items() if n > minimum.get(route, 0)}
        fewer = {route: minimum[route] - cold.get(route, 0) for route in minimum if cold.get(route, 0) < minimum[route]}
        if extra or fewer:
            lines.append(f"- {r['title']}: over the minimum {_routes(extra) or 'nothing'}"
                         + (f"; under it {_routes(fewer)}" if fewer else ""))
    return "\n".join(lines)


def markdown(result: dict[str, Any]) -> str:
    return "\n\n".join([calls_and_latency(result), throughput(result), excess(result)])
