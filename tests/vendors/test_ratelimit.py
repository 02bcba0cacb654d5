"""The client-side rate budget on its own (no gateway): what it does with a vendor's Retry-After, in this
process (LocalBucket) and shared through a real Redis (RedisBucket, Redis' own clock)."""

from __future__ import annotations

import time

from redis.asyncio import Redis

from gateway.vendors.ratelimit import LocalBucket, RateBudget, RedisBucket


async def honours_retry_after_as_said(bucket: RateBudget) -> None:
    await bucket.observe(retry_at=time.time() + 0.3)  # a 429: "empty; call again in 0.3 s"
    started = time.monotonic()
    await bucket.acquire(max_wait_s=15)
    waited = time.monotonic() - started
    assert 0.25 <= waited < 1.5  # the vendor's 0.3 s, not the 5 s refill that would follow an empty bucket
    started = time.monotonic()
    await bucket.observe(retry_at=time.time() + 0.2)
    await bucket.acquire(max_wait_s=15)  # a second 429 in a row is honoured the same way
    assert time.monotonic() - started < 1.5
    assert await bucket.remaining() < 1  # and the bucket is empty again: the next call waits for a refill


async def gives_its_burst_at_once(bucket: RateBudget) -> None:
    started = time.monotonic()
    for _ in range(500):
        await bucket.acquire(max_wait_s=0)
    assert time.monotonic() - started < 5
    assert await bucket.remaining() < 1


# HUBmis: a bucket of 500, one more every 5 s.
async def test_a_retry_after_is_honoured_as_said_not_stretched_to_a_refill_period() -> None:
    await honours_retry_after_as_said(LocalBucket(capacity=500, refill_s=5.0))


async def test_the_shared_bucket_honours_a_retry_after_by_redis_clock(redis: Redis) -> None:
    await honours_retry_after_as_said(RedisBucket(redis, "cg:test:bucket", capacity=500, refill_s=5.0))


async def test_a_full_bucket_gives_its_burst_at_once() -> None:
    await gives_its_burst_at_once(LocalBucket(capacity=500, refill_s=5.0))


async def test_a_full_shared_bucket_gives_its_burst_at_once(redis: Redis) -> None:
    await gives_its_burst_at_once(RedisBucket(redis, "cg:test:bucket", capacity=500, refill_s=5.0))
