"""Client-side measurement over loopback with httpx: latency samples at concurrency 1, and throughput at
a fixed concurrency for a bounded time."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from typing import Any

import httpx


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def summary(times_ms: list[float]) -> dict[str, Any]:
    return {"n": len(times_ms), "p50_ms": round(percentile(times_ms, 50), 1),
            "p99_ms": round(percentile(times_ms, 99), 1), "min_ms": round(min(times_ms), 1)}


def _error_code(response: httpx.Response) -> str | None:
    """None for a full answer; else the first error code (or the HTTP status) of a failed or partial one."""
    if response.status_code == 200 and b'"errors"' not in response.content:
        return None
    try:
        errors = response.json().get("errors") or [{}]
        return str((errors[0].get("extensions") or {}).get("code") or f"HTTP {response.status_code}")
    except ValueError:
        return f"HTTP {response.status_code}"


def latency(url: str, body: dict[str, Any], headers: dict[str, str], samples: int,
            before: Callable[[], None] | None = None) -> dict[str, Any]:
    """``samples`` sequential requests over one kept-alive connection; ``before`` runs untimed before each."""
    times, errors = [], 0
    with httpx.Client(timeout=120, headers=headers) as client:
        client.post(url, json=body)  # open the connection
        for _ in range(samples):
            if before is not None:
                before()
                client.get(url.replace("/graphql", "/healthz"))  # reconnect untimed if ``before`` closed it
            started = time.perf_counter()
            response = client.post(url, json=body)
            times.append((time.perf_counter() - started) * 1000)
            errors += _error_code(response) is not None
    return {**summary(times), "errors": errors}


async def _throughput(url: str, body: dict[str, Any], headers: dict[str, str], concurrency: int,
                      duration_s: float, max_requests: int) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    times: list[float] = []
    errors: dict[str, int] = {}
    started_count = 0
    async with httpx.AsyncClient(timeout=120, headers=headers, limits=limits) as client:
        await asyncio.gather(*(client.post(url, json=body) for _ in range(concurrency)))  # open the connections
        start = time.perf_counter()
        deadline = start + duration_s

        async def worker() -> None:
            nonlocal started_count
            while time.perf_counter() < deadline and started_count < max_requests:
                started_count += 1
                sent = time.perf_counter()
                try:
                    code = _error_code(await client.post(url, json=body))
                except httpx.HTTPError as exc:
                    code = type(exc).__name__
                if code is None:
                    times.append((time.perf_counter() - sent) * 1000)
                else:
                    errors[code] = errors.get(code, 0) + 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return {"concurrency": concurrency, "ok": len(times), "failed": sum(errors.values()), "errors": errors,
            "seconds": round(elapsed, 2), "rps": round(len(times) / elapsed, 2),
            **({k: v for k, v in summary(times).items() if k != "n"} if times else {})}


def throughput(url: str, body: dict[str, Any], headers: dict[str, str], concurrency: int,
               duration_s: float, max_requests: int) -> dict[str, Any]:
    """Complete answers per second with ``concurrency`` clients looping until ``duration_s`` or
    ``max_requests`` (requests already sent when time is up are waited for). An answer with errors, even
    partial data, counts as failed, by its first error code."""
    return asyncio.run(_throughput(url, body, headers, concurrency, duration_s, max_requests))
