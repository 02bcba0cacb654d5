"""Readiness: whether this process should receive traffic, and what each dependency looks like.

Ready while at least one vendor can serve (session open, credentials obtained, circuit not open) and Redis,
when configured, answers: a vendor that is down shows up as such, but the others still serve partial
results, so it does not take the gateway out of its load balancer. Nothing here calls a vendor.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from gateway.upstreams import Upstreams
from gateway.vendors.breaker import BreakerState

REDIS_PING_TIMEOUT_S = 1.0


def vendor_up(status: dict[str, Any]) -> bool:
    return bool(status["session_open"] and status["credentials_ready"] and status["breaker"] != BreakerState.OPEN)


async def redis_status(upstreams: Upstreams) -> dict[str, Any] | None:
    if upstreams.redis is None:
        return None
    ok = False
    with contextlib.suppress(Exception):  # any failure to answer in time is "not reachable"
        ok = bool(await asyncio.wait_for(upstreams.redis.ping(), REDIS_PING_TIMEOUT_S))
    return {"ok": ok}


async def readiness(upstreams: Upstreams) -> tuple[bool, dict[str, Any]]:
    """(ready, body): each vendor with ``up`` and the state behind it, Redis, and the vendors that are down."""
    vendors = [{**status, "up": vendor_up(status)} for status in await upstreams.status()]
    redis = await redis_status(upstreams)
    ready = any(v["up"] for v in vendors) and (redis is None or redis["ok"])
    return ready, {"ready": ready, "vendors": vendors, "redis": redis,
                   "down": [v["vendor"] for v in vendors if not v["up"]]}
