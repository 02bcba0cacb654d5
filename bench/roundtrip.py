"""One vendor read's round trip at the benchmark's latency, and the floor it puts under a cold execution.

The critical path counts each level of upstream calls as the configured latency. A read takes longer than
that end to end: the request and the answer cross loopback, the simulator's timer wakes a little late, and
the processes involved wake from sleep. This measures that round trip as the gateway's own vendor client
makes it (``get_student`` with the cache off, on uvloop as ``campusgraph serve`` runs), one read after
another, in the benchmark's process.

A cold execution waits for at least one round trip per level and does at least the work a warm execution of
the same query does (its parsing, validation, resolving and answer). Their sum is the floor this gateway's
design sets for the cold p50: what the cold p50 has above it is the cold path's own work (sending,
receiving, parsing and caching the vendors' answers) and the waits for a busy event loop.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from bench.load import summary
from gateway.eventloop import run
from gateway.settings import Settings
from gateway.upstreams import Upstreams


async def _round_trips(env: Mapping[str, str], netid: str, samples: int) -> list[float]:
    upstreams = Upstreams.create(Settings.from_env({**env, "CAMPUSGRAPH_CACHE_ENABLED": "false"}))
    await upstreams.start()
    try:
        await upstreams.dartmouth.get_student(netid)  # the first read after start-up is not a sample
        times = []
        for _ in range(samples):
            started = time.perf_counter()
            await upstreams.dartmouth.get_student(netid)
            times.append((time.perf_counter() - started) * 1000)
        return times
    finally:
        await upstreams.close()


def measure(env: Mapping[str, str], netid: str, samples: int = 40) -> dict[str, Any]:
    """``samples`` sequential Dartmouth student reads: their p50 / p99 / min in ms."""
    return summary(run(_round_trips(env, netid, samples)))


def floor_ms(levels: int, round_trip_ms: float, warm_p50_ms: float) -> float:
    """The least a cold execution can take here: a round trip per level, and the work of a warm execution."""
    return round(levels * round_trip_ms + warm_p50_ms, 1)
