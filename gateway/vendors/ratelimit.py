"""Client-side rate budgets that mirror a vendor's documented limit, so the gateway causes no 429s.

``LocalBucket`` serves one process; ``RedisBucket`` keeps one bucket in Redis for every gateway
process, so replicas together stay within the vendor's limit. Both make callers wait their turn
(up to ``max_wait_s``) instead of sending a request the vendor would refuse, and both learn from
the vendor's own headers: a lower ``X-RateLimit-Remaining`` or a 429's retry-after wins.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

from redis.asyncio import Redis

from gateway.vendors.redislink import RedisLink, RedisUnavailable


class RateWaitTooLong(Exception):
    """Raised when the next free slot is further away than the caller is willing to wait."""

    def __init__(self, wait_s: float) -> None:
        super().__init__(f"next request allowed in {wait_s:.1f}s")
        self.wait_s = wait_s


class RateBudget(Protocol):
    capacity: int

    async def acquire(self, max_wait_s: float) -> None: ...

    async def observe(self, remaining: int | None = None, retry_at: float | None = None) -> None: ...

    async def remaining(self) -> float: ...


def _with_slack(refill_s: float) -> float:
    """Refill a little slower than the vendor: a request that reached the vendor faster than the
    first one of the window would otherwise arrive a few milliseconds before its token exists."""
    return refill_s * 1.05 + 0.005


class LocalBucket:
    """Token bucket in this process: ``capacity`` tokens, one more every ``refill_s`` seconds."""

    def __init__(self, capacity: int, refill_s: float) -> None:
        self.capacity, self.refill_s = capacity, _with_slack(refill_s)
        self._tokens, self._last = float(capacity), time.monotonic()
        self._blocked_until = 0.0  # monotonic
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = time.monotonic()
        self._tokens = min(float(self.capacity), self._tokens + (now - self._last) / self.refill_s)
        self._last = now

    def _wait_s(self) -> float:
        self._refill()
        blocked = max(0.0, self._blocked_until - time.monotonic())
        return max(blocked, 0.0 if self._tokens >= 1.0 else (1.0 - self._tokens) * self.refill_s)

    async def acquire(self, max_wait_s: float) -> None:
        # The limit bounds the whole wait, the turn in the queue included: counted from the lock alone, each
        # queued call would wait one refill more than the one before it (a 40-call query over three minutes at
        # HUBmis' 5 s) and hold back every other request's calls meanwhile.
        deadline = time.monotonic() + max_wait_s
        async with self._lock:  # FIFO: waiters are served in arrival order
            wait = self._wait_s()
            while wait > 0:
                if time.monotonic() + wait > deadline:
                    raise RateWaitTooLong(wait)
                await asyncio.sleep(wait)
                wait = self._wait_s()
            self._tokens -= 1.0

    async def observe(self, remaining: int | None = None, retry_at: float | None = None) -> None:
        self._refill()
        if remaining is not None:
            self._tokens = min(self._tokens, float(remaining))
        if retry_at is not None:
            # The vendor's bucket is empty and it has said when it takes a call again: one token then, not a whole
            # refill period after (which for HUBmis would turn its "retry in 1 s" into 5 s).
            retry_in = max(0.0, retry_at - time.time())
            self._tokens = 1.0 - retry_in / self.refill_s
            self._blocked_until = max(self._blocked_until, time.monotonic() + retry_in)

    async def remaining(self) -> float:
        self._refill()
        return self._tokens

    def hold_at_most(self, tokens: float) -> None:
        """Take over from another bucket: no more than the ``tokens`` it had (refilling from now)."""
        self._refill()
        self._tokens = min(self._tokens, tokens)


# KEYS[1] = bucket hash; ARGV = capacity, refill_s, take (0/1), remaining cap or -1, blocked_until or -1.
# Returns the wait in milliseconds before a token is available (0 when one was taken), and the tokens left.
# The time is Redis' own (TIME inside the script, Redis 5 or later): the clock all replicas share, without
# a round trip of its own.
_BUCKET_LUA = """
local clock = redis.call('TIME'); local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local cap = tonumber(ARGV[1]); local refill = tonumber(ARGV[2])
local take = tonumber(ARGV[3]); local seen = tonumber(ARGV[4]); local until_ = tonumber(ARGV[5])
local tokens = tonumber(redis.call('HGET', KEYS[1], 't') or cap)
local last = tonumber(redis.call('HGET', KEYS[1], 'l') or now)
local blocked = tonumber(redis.call('HGET', KEYS[1], 'b') or 0)
tokens = math.min(cap, tokens + math.max(0, now - last) / refill)
if seen >= 0 then tokens = math.min(tokens, seen) end
if until_ >= 0 then tokens = 1 - math.max(0, until_ - now) / refill; blocked = math.max(blocked, until_) end
local wait = 0
if now < blocked then wait = blocked - now
elseif tokens < 1 then wait = (1 - tokens) * refill end
if take == 1 and wait == 0 then tokens = tokens - 1 end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'l', tostring(now), 'b', tostring(blocked))
redis.call('EXPIRE', KEYS[1], math.ceil(cap * refill) + 60)
return {math.ceil(wait * 1000), tostring(tokens)}
"""


class RedisBucket:
    """The same bucket kept in Redis, shared by every gateway process using the same key.

    While Redis does not answer (``link``, shared with the rest of the process: one warning when Redis is lost,
    one line when it answers again, asked at most every ``redislink.RETRY_S``), the bucket is kept in this
    process (a ``LocalBucket`` holding the tokens Redis last reported), so requests go on, without the sharing,
    instead of failing; then the shared bucket is used again."""

    def __init__(self, redis: Redis, key: str, capacity: int, refill_s: float, *,
                 link: RedisLink | None = None) -> None:
        self.redis, self.key, self.capacity, self.refill_s = redis, key, capacity, _with_slack(refill_s)
        self.link = link or RedisLink()
        self._script = redis.register_script(_BUCKET_LUA)
        self._lock = asyncio.Lock()
        self._fallback = LocalBucket(capacity, refill_s)
        self._last_tokens = float(capacity)
        self._local = False  # the fallback stands in: Redis did not answer this bucket's last call

    async def _run(self, take: bool, remaining: int | None = None,
                   retry_at: float | None = None) -> tuple[float, float] | None:
        """The shared bucket's (wait, tokens); None when Redis cannot answer (the local bucket stands in)."""
        try:
            wait_ms, tokens = await self.link.run(lambda: self._script(keys=[self.key], args=[
                self.capacity, self.refill_s, int(take), -1 if remaining is None else remaining,
                -1 if retry_at is None else retry_at]))
        except RedisUnavailable:
            if not self._local:
                self._local = True
                self._fallback.hold_at_most(self._last_tokens)
            return None
        self._local = False
        self._last_tokens = float(tokens)
        return int(wait_ms) / 1000.0, float(tokens)

    async def acquire(self, max_wait_s: float) -> None:
        deadline = time.monotonic() + max_wait_s  # the whole wait, this process' queue included (LocalBucket)
        async with self._lock:
            while True:
                ran = await self._run(take=True)
                if ran is None:
                    await self._fallback.acquire(max(0.0, deadline - time.monotonic()))
                    return
                wait = ran[0]
                if wait == 0:
                    return
                if time.monotonic() + wait > deadline:
                    raise RateWaitTooLong(wait)
                await asyncio.sleep(wait)

    async def observe(self, remaining: int | None = None, retry_at: float | None = None) -> None:
        if await self._run(take=False, remaining=remaining, retry_at=retry_at) is None:
            await self._fallback.observe(remaining, retry_at)

    async def remaining(self) -> float:
        ran = await self._run(take=False)
        return await self._fallback.remaining() if ran is None else ran[1]
