"""The client-side rate budget on its own (no gateway): what it does with a vendor's Retry-After and remaining
figure, in this process (LocalBucket) and shared through a real Redis (RedisBucket, Redis' own clock)."""

from __future__ import annotations

import asyncio
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


async def follows_the_vendors_figure_up_less_the_calls_it_may_miss(bucket: RateBudget) -> None:
    for _ in range(10):
        await bucket.acquire(max_wait_s=0)
    # An answer to one of those ten says the vendor has 15 left: up to nine of the others may not be in that
    # figure yet (and all ten are counted), so the bucket stays at its own 10, not 15.
    await bucket.observe(remaining=15)
    assert 10 <= await bucket.remaining() < 10.5
    await bucket.observe(remaining=4)  # a lower figure wins at once
    assert 4 <= await bucket.remaining() < 4.5
    await asyncio.sleep(0.25)  # 2 * in_flight_s: the vendor's figures now count every call taken
    await bucket.observe(remaining=15)
    assert 15 <= await bucket.remaining() < 15.5
    await bucket.observe(remaining=10_000)  # never above the bucket's size
    assert await bucket.remaining() <= 20


async def lets_a_waiting_call_go_when_the_vendor_says_it_may(bucket: RateBudget) -> None:
    await bucket.observe(retry_at=time.time() + 0.1)  # a 429: one call in 0.1 s, then one per 5 s
    await bucket.acquire(max_wait_s=1)  # that call is the probe...
    started = time.monotonic()
    waiting = asyncio.ensure_future(bucket.acquire(max_wait_s=10))  # ...and this one is told to wait ~5 s
    await asyncio.sleep(0.2)
    assert not waiting.done()
    await asyncio.sleep(0.1)  # the figures that might miss the probe are older than 2 * in_flight_s
    await bucket.observe(remaining=17)  # the probe's answer: the vendor has 17 left
    await waiting
    assert time.monotonic() - started < 1.0  # it went then, not after the refill it was told to wait for
    assert 15 <= await bucket.remaining() < 17


async def test_a_bucket_follows_the_vendors_remaining_figure_back_up() -> None:
    await follows_the_vendors_figure_up_less_the_calls_it_may_miss(LocalBucket(20, 5.0, in_flight_s=0.1))
    await lets_a_waiting_call_go_when_the_vendor_says_it_may(LocalBucket(20, 5.0, in_flight_s=0.1))


async def test_the_shared_bucket_follows_the_vendors_remaining_figure_back_up(redis: Redis) -> None:
    await follows_the_vendors_figure_up_less_the_calls_it_may_miss(
        RedisBucket(redis, "cg:test:bucket", 20, 5.0, in_flight_s=0.1))
    await lets_a_waiting_call_go_when_the_vendor_says_it_may(
        RedisBucket(redis, "cg:test:other", 20, 5.0, in_flight_s=0.1))


async def test_a_limit_of_our_own_is_only_ever_lowered_by_a_figure(redis: Redis) -> None:
    """The per-caller limit shares these buckets but mirrors no vendor: nothing raises it but time."""
    for bucket in (LocalBucket(20, 60.0), RedisBucket(redis, "cg:test:caller", 20, 60.0)):
        for _ in range(10):
            await bucket.acquire(max_wait_s=0)
        await bucket.observe(remaining=15)
        assert 10 <= await bucket.remaining() < 10.5
