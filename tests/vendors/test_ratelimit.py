"""The client-side rate budget on its own (no processes): what it does with a vendor's Retry-After."""

from __future__ import annotations

import time

from gateway.vendors.ratelimit import LocalBucket


async def test_a_retry_after_is_honoured_as_said_not_stretched_to_a_refill_period() -> None:
    bucket = LocalBucket(capacity=500, refill_s=5.0)  # HUBmis: 500, one more every 5 s
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
