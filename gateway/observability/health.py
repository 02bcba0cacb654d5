"""Readiness: whether this process should receive traffic, and what each dependency looks like.

Ready while at least one vendor can serve (session open, credentials obtained, circuit not open): a vendor that
is down shows up as such, but the others still serve partial results, so it does not take the gateway out of its
load balancer. Nor does Redis not answering: every replica shares the one Redis, so taking them all out would
turn a Redis outage into a full one, while each still serves (from the vendors, with the cache and rate limits
kept in its own process, Idempotency-Keys refused). It shows as ``"redis": {"ok": false}``. Nothing here calls a
vendor.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from gateway.upstreams import Upstreams
from gateway.vendors.redislink import RedisUnavailable

REDIS_PING_TIMEOUT_S = 1.0


def vendor_up(status: dict[str, Any]) -> bool:
    """Whether the vendor can serve: a route whose circuit is open (one broken endpoint) leaves it up; every route
    it was called on suspended does not."""
    return bool(status["session_open"] and status["credentials_ready"] and not status["all_circuits_open"])


async def redis_status(upstreams: Upstreams) -> dict[str, Any] | None:
    """``{"ok": whether Redis answers a ping in time}``, None when not configured. The answer is the process's
    too (``redis_link``): a ping that fails marks Redis lost, one that succeeds marks it back."""
    redis = upstreams.redis
    if redis is None:
        return None
    with contextlib.suppress(RedisUnavailable):  # any failure to answer in time is "not reachable"
        await upstreams.redis_link.probe(lambda: asyncio.wait_for(redis.ping(), REDIS_PING_TIMEOUT_S))
        return {"ok": True}
    return {"ok": False}


async def readiness(upstreams: Upstreams) -> tuple[bool, dict[str, Any]]:
    """(ready, body): each vendor with ``up`` and the state behind it, Redis, and the vendors that are down."""
    vendors = [{**{k: v for k, v in status.items() if k != "all_circuits_open"}, "up": vendor_up(status)}
               for status in await upstreams.status()]
    redis = await redis_status(upstreams)
    ready = any(v["up"] for v in vendors)
    return ready, {"ready": ready, "vendors": vendors, "redis": redis,
                   "down": [v["vendor"] for v in vendors if not v["up"]]}
