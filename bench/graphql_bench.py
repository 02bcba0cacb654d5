"""GraphQL benchmark: upstream calls per query (cold and warm cache) next to the vendors' minimum, latency
next to the upstream critical path, and throughput against a gateway with batching and caching off.

One sandbox (500 students, a fixed seed and date, ``latency_ms`` on every vendor call) and two gateways:
normal (memory cache, the default) and baseline (``CACHE_ENABLED=false``, ``BATCHING_ENABLED=false``).
See bench/README.md for the method and the reasoning behind each query's minimum.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from bench import load, roundtrip
from bench.queries import BenchQuery, build
from bench.stack import HUBMIS_BUCKET, HUBMIS_REFILL_S, Stack, delta
from bench.timeline import LogCursor, chain, cpu_ms, cpu_since
from gateway.sandbox.population import build_world
from tests.gatewayproc import GatewayProcess

SEED, STUDENTS = 1, 500
CONCURRENCY = (1, 10, 50)
LATENCY_SAMPLES = {"warm": 80, "cold": 10, "baseline": 20}
RUN_SECONDS, RUN_MAX_REQUESTS = 4.0, 2000
TARGET_LATENCY_RATIO, TARGET_SPEEDUP = 1.15, 5.0


def _errors(result: dict[str, Any]) -> dict[str, Any] | None:
    errors = result.get("errors") or []
    if not errors:
        return None
    return {"count": len(errors), "codes": sorted({str((e.get("extensions") or {}).get("code")) for e in errors}),
            "first": errors[0].get("message")}


def _body(q: BenchQuery) -> dict[str, Any]:
    return {"query": q.query, "variables": q.variables}


def _one(stack: Stack, gateway: GatewayProcess, q: BenchQuery) -> dict[str, Any]:
    """One execution: its result, the calls the sandbox served for it, and their longest chain."""
    assert gateway.proc is not None and stack.sandbox is not None and stack.sandbox.proc is not None
    pids = {"gateway": gateway.proc.pid, "sandbox": stack.sandbox.proc.pid}
    cursor = LogCursor(gateway.log_path)
    before = stack.calls()
    cpu_before = {name: cpu_ms(pid) for name, pid in pids.items()}
    started = time.perf_counter()
    result = stack.post(gateway, q.query, q.variables)
    ms = (time.perf_counter() - started) * 1000
    cpu = {f"{name}_cpu_ms": cpu_since(pid, cpu_before[name]) for name, pid in pids.items()}
    calls = delta(before, stack.calls())
    return {"result": result, "ms": round(ms, 1), **cpu, "total": sum(calls.values()), "by_route": calls,
            "chain": chain(cursor.calls()), "errors": _errors(result)}


def measure_calls(stack: Stack, q: BenchQuery) -> dict[str, Any]:
    assert stack.normal is not None and stack.baseline is not None
    stack.restart_normal(debug_log=True)  # its calls' chain is read back from the log; not a latency sample
    cold = _one(stack, stack.normal, q)
    warm = _one(stack, stack.normal, q)
    facts = stack.post(stack.normal, q.facts_query, q.variables) if q.facts_query else {}
    minimum = q.minimum(cold["result"], facts)
    baseline = _one(stack, stack.baseline, q)
    stack.restart_normal()  # what the latency and throughput runs measure logs at the default level
    strip = ("result",)
    return {"cold": {k: v for k, v in cold.items() if k not in strip},
            "warm": {k: v for k, v in warm.items() if k not in strip and k != "chain"},
            "baseline": {k: v for k, v in baseline.items() if k not in strip},
            "minimum": minimum.as_dict()}


def measure_latency(stack: Stack, q: BenchQuery) -> dict[str, Any]:
    assert stack.normal is not None and stack.baseline is not None
    normal, baseline = f"{stack.normal.url}/graphql", f"{stack.baseline.url}/graphql"
    out = {
        "warm": load.latency(normal, _body(q), stack.headers, LATENCY_SAMPLES["warm"]),
        "cold": load.latency(normal, _body(q), stack.headers, LATENCY_SAMPLES["cold"], before=stack.restart_normal),
        "baseline": load.latency(baseline, _body(q), stack.headers, LATENCY_SAMPLES["baseline"]),
    }
    if stack.shared is not None:  # cold cache in a process that has served before: Redis flushed before each
        out["cold_warm_process"] = load.latency(f"{stack.shared.url}/graphql", _body(q), stack.headers,
                                                LATENCY_SAMPLES["cold"], before=stack.flush_shared)
    return out


def measure_throughput(stack: Stack, q: BenchQuery) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, gateway in (("normal", stack.normal), ("baseline", stack.baseline)):
        assert gateway is not None
        runs = []
        for concurrency in CONCURRENCY:
            waited = stack.wait_breakers(gateway)
            stack.post(gateway, q.query, q.variables)  # the normal gateway measures its steady state: cache warm
            assert gateway.proc is not None and stack.sandbox is not None and stack.sandbox.proc is not None
            pids = (gateway.proc.pid, stack.sandbox.proc.pid)
            before, cpu_before = stack.calls(), [cpu_ms(pid) for pid in pids]
            run = load.throughput(f"{gateway.url}/graphql", _body(q), stack.headers, concurrency,
                                  RUN_SECONDS, RUN_MAX_REQUESTS)
            cpu = [cpu_since(pid, b) for pid, b in zip(pids, cpu_before, strict=True)]
            sent = max(1, run["ok"] + run["failed"])
            run["upstream_calls_per_request"] = round(sum(delta(before, stack.calls()).values()) / sent, 2)
            run["waited_for_breakers_s"] = waited
            for process, used in zip(("gateway", "sandbox"), cpu, strict=True):
                run[f"{process}_cpu_ms_per_request"] = None if used is None else round(used / sent, 1)
            runs.append(run)
        out[name] = runs
    out["speedup"] = {str(n["concurrency"]): round(n["rps"] / b["rps"], 2) if b["rps"] else None
                      for n, b in zip(out["normal"], out["baseline"], strict=True)}
    return out


def _targets(latency_ms: float, queries: dict[str, Any], round_trip_ms: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, r in queries.items():
        minimum, calls = r["calls"]["minimum"], r["calls"]
        path_ms = minimum["levels"] * latency_ms
        p50 = r["latency"]["cold"]["p50_ms"]
        floor = roundtrip.floor_ms(minimum["levels"], round_trip_ms, r["latency"]["warm"]["p50_ms"])
        out[name] = {
            "cold_calls_at_minimum": calls["cold"]["total"] == minimum["total"],
            "warm_calls_zero": calls["warm"]["total"] == 0,
            "cold_p50_within_15pct_of_critical_path": p50 <= path_ms * TARGET_LATENCY_RATIO if path_ms else None,
            "cold_p50_over_critical_path": round(p50 / path_ms, 2) if path_ms else None,
            # not a target: where this design's cold p50 cannot go below (bench/roundtrip.py)
            "floor_ms": floor,
            "floor_over_critical_path": round(floor / path_ms, 2) if path_ms else None,
        }
        warm_process = r["latency"].get("cold_warm_process")
        if warm_process and path_ms:
            out[name]["cold_warm_process_p50_over_critical_path"] = round(warm_process["p50_ms"] / path_ms, 2)
    throughput = queries["fifty_students"]["throughput"]
    out["fifty_students"]["throughput_5x_baseline"] = {  # a baseline answering nothing counts as met
        str(n["concurrency"]): n["rps"] >= TARGET_SPEEDUP * b["rps"] and n["rps"] > 0
        for n, b in zip(throughput["normal"], throughput["baseline"], strict=True)}
    return out


def run(latency_ms: float = 20.0, log: Any = print) -> dict[str, Any]:
    started = time.monotonic()

    def say(line: str) -> None:
        log(f"[{time.monotonic() - started:4.0f} s] {line}")

    today = date.today()
    queries = build(build_world(SEED, STUDENTS, today))
    stack = Stack(latency_ms, STUDENTS, SEED, today).start()
    results: dict[str, Any] = {q.name: {"title": q.title, "query": q.query, "variables": q.variables}
                               for q in queries}
    try:
        assert stack.normal is not None
        subject = next(q.variables["netid"] for q in queries if "netid" in q.variables)
        round_trip = roundtrip.measure(stack.normal.env, subject)
        say(f"one vendor read at {latency_ms:g} ms: p50 {round_trip['p50_ms']} ms, min {round_trip['min_ms']} ms")
        for q in queries:
            calls = results[q.name]["calls"] = measure_calls(stack, q)
            say(f"calls   {q.name}: cold {calls['cold']['total']}, warm {calls['warm']['total']}, "
                f"minimum {calls['minimum']['total']}, baseline {calls['baseline']['total']}")
        for q in queries:
            latency = results[q.name]["latency"] = measure_latency(stack, q)
            say(f"latency {q.name}: " + ", ".join(f"{k} p50 {v['p50_ms']} ms" for k, v in latency.items()))
        for q in queries:
            throughput = results[q.name]["throughput"] = measure_throughput(stack, q)
            say(f"rps     {q.name}: normal {[r['rps'] for r in throughput['normal']]}, "
                f"baseline {[r['rps'] for r in throughput['baseline']]}")
    finally:
        stack.stop()
    return {"latency_ms": latency_ms, "students": STUDENTS, "seed": SEED, "today": today.isoformat(),
            "cache": "memory (normal gateway, made cold by a restart); Redis (the same gateway, made cold by "
                     "FLUSHDB in a warm process: latency.cold_warm_process); none (baseline)",
            "gateway_settings": stack.settings,
            "sandbox_faults": {"hubmis": {"rate_limit_bucket": HUBMIS_BUCKET, "rate_limit_refill_s": HUBMIS_REFILL_S}},
            "samples": LATENCY_SAMPLES, "run_seconds": RUN_SECONDS, "queries": results,
            "upstream_round_trip": round_trip,
            "targets": _targets(latency_ms, results, round_trip["p50_ms"])}
