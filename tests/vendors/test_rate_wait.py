"""A call waits for a HUBmis rate slot at most ``max_retry_wait_s`` in all, its turn in the queue included.

Once the bucket is spent, one slot comes every refill period. Calls queue for the slots in order; without a
bound on the whole wait, the 40th call of a wide query would wait 40 refills (over three minutes at HUBmis'
5 s) and every other request's HUBmis reads would queue behind it. Over the limit, a call fails fast with
VENDOR_RATE_LIMITED instead, and the request answers with what it has.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest
from redis.asyncio import Redis

from gateway.vendors.errors import VendorRateLimited
from gateway.vendors.hubmis import routes as hubmis_routes
from gateway.vendors.ratelimit import RateWaitTooLong, RedisBucket
from tests.redisproc import RedisProcess
from tests.sandboxproc import SandboxProcess

MakeClient = Callable[..., Any]
BUCKET, REFILL_S, MAX_WAIT_S, CALLS = 3, 0.5, 1.0, 12


async def _burst(sandbox: SandboxProcess, make_client: MakeClient, redis: Redis | None) -> None:
    sandbox.faults("hubmis", rate_limit_bucket=BUCKET, rate_limit_refill_s=REFILL_S)
    client = await make_client("hubmis", redis=redis, rate_limit_bucket=BUCKET, rate_limit_refill_s=REFILL_S,
                               http={"max_retry_wait_s": MAX_WAIT_S})
    await client.prepare()
    started = time.monotonic()
    results = await asyncio.gather(*(client.fetch(hubmis_routes.GET_STUDENT, path={"id": 56}, ttl=0)
                                     for _ in range(CALLS)), return_exceptions=True)
    elapsed = time.monotonic() - started
    limited = [r for r in results if isinstance(r, VendorRateLimited)]
    answered = [r for r in results if isinstance(r, dict)]
    assert len(limited) + len(answered) == CALLS, results
    # The burst goes at once, then a slot per refill while a call may still wait for one (about 1 s: 2 more)...
    assert BUCKET <= len(answered) <= BUCKET + MAX_WAIT_S / REFILL_S + 1
    # ...and the rest are refused once their wait would pass the limit, not after their turn in the queue came.
    assert limited and elapsed < MAX_WAIT_S + 1.0, elapsed
    assert all(r.retry_after_s is not None and r.retry_after_s > 0 for r in limited)
    log = sandbox.requests("hubmis")
    assert log["by_route"][hubmis_routes.GET_STUDENT.key] == len(answered)
    assert not [r for r in log["requests"] if r["status"] == 429]  # and none of it cost the vendor a 429


async def test_a_queued_call_waits_at_most_the_limit_for_a_slot(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    await _burst(sandbox, make_client, None)


async def test_a_queued_call_waits_at_most_the_limit_for_a_shared_slot(
        sandbox: SandboxProcess, make_client: MakeClient, redis: Redis) -> None:
    await _burst(sandbox, make_client, redis)


async def test_a_shared_bucket_whose_redis_stops_is_kept_in_the_process_until_redis_answers(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    """Redis stopping must not fail every HUBmis read (nor, through the same bucket, every caller's request)."""
    own = RedisProcess()  # this test's own Redis, since it stops it
    redis = Redis.from_url(own.url)
    try:
        client = await make_client("hubmis", redis=redis)
        await client.fetch(hubmis_routes.GET_STUDENT, path={"id": 56}, ttl=0)
        assert 498 <= await client.rate.remaining() <= 500  # from Redis
        own.stop()
        # Redis is gone: the reads go on, counted in this process from what Redis last held.
        for _ in range(3):
            assert (await client.fetch(hubmis_routes.GET_STUDENT, path={"id": 56}, ttl=0))["id"] == 56
        assert 495 <= await client.rate.remaining() <= 497
        limiter = RedisBucket(redis, "cg:caller:someone", capacity=2, refill_s=60)  # the per-caller limit, likewise
        await limiter.acquire(0)
        await limiter.acquire(0)
        with pytest.raises(RateWaitTooLong):
            await limiter.acquire(0)
        assert sandbox.requests("hubmis")["by_route"][hubmis_routes.GET_STUDENT.key] == 4
    finally:
        own.stop()
        await redis.aclose()
