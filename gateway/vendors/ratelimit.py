"""Client-side rate budgets that mirror a vendor's documented limit, so the gateway causes no 429s.

``LocalBucket`` serves one process; ``RedisBucket`` keeps one bucket in Redis for every gateway
process, so replicas together stay within the vendor's limit. Both make callers wait their turn
(up to ``max_wait_s``) instead of sending a request the vendor would refuse, and both follow the
vendor's own headers: a 429's retry-after, and ``X-RateLimit-Remaining``, down and back up (see
``LocalBucket.observe``).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import deque
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


class _Wakeup:
    """Lets a caller waiting for a token go as soon as a vendor's figure raises the bucket, not after the refill
    period it was told to wait (one request per 5 s at HUBmis)."""

    def __init__(self) -> None:
        self._raised = asyncio.Event()

    async def sleep(self, wait_s: float) -> None:
        """Up to ``wait_s``, or until ``raised``: one raised before this sleep (while the waiter asked Redis, say)
        ends it at once, and the waiter looks again, rather than being lost."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait_s):
                await self._raised.wait()
        self._raised.clear()

    def raised(self) -> None:
        self._raised.set()


class LocalBucket:
    """Token bucket in this process: ``capacity`` tokens, one more every ``refill_s`` seconds.

    ``in_flight_s`` is the longest a call may take from taking its token to its answer; given, the bucket follows
    the vendor's ``X-RateLimit-Remaining`` back up as well as down (``observe``). Without it (a limit of our own,
    not a vendor's) the figure only ever lowers the bucket."""

    def __init__(self, capacity: int, refill_s: float, *, in_flight_s: float | None = None) -> None:
        self.capacity, self.refill_s = capacity, _with_slack(refill_s)
        self._tokens, self._last = float(capacity), time.monotonic()
        self._blocked_until = 0.0  # monotonic
        self._lock = asyncio.Lock()
        self._wakeup = _Wakeup()
        # A vendor's figure may miss the calls taken in the last ``_unsure_s``: their monotonic times.
        self._unsure_s = None if in_flight_s is None else 2 * in_flight_s
        self._taken: deque[float] = deque()

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
                await self._wakeup.sleep(wait)
                wait = self._wait_s()
            self._tokens -= 1.0
            if self._unsure_s is not None:
                self._taken.append(time.monotonic())

    def _unsure(self) -> int:
        """How many calls taken from this bucket the vendor's figure may not count yet."""
        assert self._unsure_s is not None
        since = time.monotonic() - self._unsure_s
        while self._taken and self._taken[0] < since:
            self._taken.popleft()
        return len(self._taken)

    async def observe(self, remaining: int | None = None, retry_at: float | None = None) -> None:
        """Follow what the vendor said: ``remaining``, its ``X-RateLimit-Remaining`` on an answer, and ``retry_at``,
        the Unix time a 429 said it takes a call again.

        The figure is the vendor's count when it served that call, and answers to concurrent calls arrive in any
        order, so the figure can be stale: calls this bucket let go since (or just before, that reached the vendor
        later) may not be in it. So the figure caps the bucket (a lower figure wins at once, as before), and raises
        it only as far as the figure less every call taken in the last ``2 * in_flight_s``: a call the vendor served
        after the answered one was taken at most ``in_flight_s`` before the vendor served it, and the answered one
        was served at most ``in_flight_s`` ago. Below that the vendor surely has budget, refills aside; after a
        spell of 429s the first answer thus brings the bucket back near the vendor's real figure (less the calls
        of the last ``2 * in_flight_s``, which the next answers give back), instead of a refill of one call per
        period (40 minutes to HUBmis' 500). A 429 sets one token for when the vendor takes a call again, so
        that call goes, and its answer brings the figure."""
        self._refill()
        before = self._tokens
        if remaining is not None:
            floor = -math.inf if self._unsure_s is None else float(remaining - self._unsure())
            self._tokens = min(max(self._tokens, floor), float(remaining), float(self.capacity))
        if retry_at is not None:
            # The vendor's bucket is empty and it has said when it takes a call again: one token then, not a whole
            # refill period after (which for HUBmis would turn its "retry in 1 s" into 5 s).
            retry_in = max(0.0, retry_at - time.time())
            self._tokens = 1.0 - retry_in / self.refill_s
            self._blocked_until = max(self._blocked_until, time.monotonic() + retry_in)
        if self._tokens > before:
            self._wakeup.raised()

    async def remaining(self) -> float:
        self._refill()
        return self._tokens

    def hold_at_most(self, tokens: float) -> None:
        """Take over from another bucket: no more than the ``tokens`` it had (refilling from now)."""
        self._refill()
        self._tokens = min(self._tokens, tokens)


# KEYS[1] = bucket hash, KEYS[2] = the times of the calls taken lately (a sorted set, kept only when ARGV[6] >= 0);
# ARGV = capacity, refill_s, take (0/1), the vendor's remaining figure or -1, blocked_until or -1, and how long
# a figure may miss a call taken (LocalBucket's 2 * in_flight_s) or -1 to let a figure only lower the bucket.
# Returns the wait in milliseconds before a token is available (0 when one was taken), the tokens left, and 1
# when a figure or retry-after raised the bucket (0 otherwise).
# The time is Redis' own (TIME inside the script, Redis 5 or later): the clock all replicas share, without
# a round trip of its own.
_BUCKET_LUA = """
local clock = redis.call('TIME'); local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local cap = tonumber(ARGV[1]); local refill = tonumber(ARGV[2])
local take = tonumber(ARGV[3]); local seen = tonumber(ARGV[4]); local until_ = tonumber(ARGV[5])
local unsure = tonumber(ARGV[6])
local tokens = tonumber(redis.call('HGET', KEYS[1], 't') or cap)
local last = tonumber(redis.call('HGET', KEYS[1], 'l') or now)
local blocked = tonumber(redis.call('HGET', KEYS[1], 'b') or 0)
tokens = math.min(cap, tokens + math.max(0, now - last) / refill)
local before = tokens
if unsure >= 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - unsure) end
if seen >= 0 then
  local floor = tokens
  if unsure >= 0 then floor = seen - redis.call('ZCARD', KEYS[2]) end
  tokens = math.min(math.max(tokens, floor), seen, cap)
end
if until_ >= 0 then tokens = 1 - math.max(0, until_ - now) / refill; blocked = math.max(blocked, until_) end
local wait = 0
if now < blocked then wait = blocked - now
elseif tokens < 1 then wait = (1 - tokens) * refill end
if take == 1 and wait == 0 then
  tokens = tokens - 1
  if unsure >= 0 then
    redis.call('ZADD', KEYS[2], now, redis.call('HINCRBY', KEYS[1], 'n', 1))
    redis.call('EXPIRE', KEYS[2], math.ceil(unsure) + 60)
  end
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'l', tostring(now), 'b', tostring(blocked))
redis.call('EXPIRE', KEYS[1], math.ceil(cap * refill) + 60)
local raised = 0
if tokens > before then raised = 1 end
return {math.ceil(wait * 1000), tostring(tokens), raised}
"""


class RedisBucket:
    """The same bucket kept in Redis, shared by every gateway process using the same key.

    While Redis does not answer (``link``, shared with the rest of the process: one warning when Redis is lost,
    one line when it answers again, asked at most every ``redislink.RETRY_S``), the bucket is kept in this
    process (a ``LocalBucket`` holding the tokens Redis last reported), so requests go on, without the sharing,
    instead of failing; then the shared bucket is used again."""

    def __init__(self, redis: Redis, key: str, capacity: int, refill_s: float, *,
                 link: RedisLink | None = None, in_flight_s: float | None = None) -> None:
        self.redis, self.key, self.capacity, self.refill_s = redis, key, capacity, _with_slack(refill_s)
        self.link = link or RedisLink()
        self._script = redis.register_script(_BUCKET_LUA)
        self._lock = asyncio.Lock()
        self._wakeup = _Wakeup()  # this process' waiters; another replica's sleep out their wait
        self._unsure_s = -1.0 if in_flight_s is None else 2 * in_flight_s  # LocalBucket.observe
        self._fallback = LocalBucket(capacity, refill_s, in_flight_s=in_flight_s)
        self._last_tokens = float(capacity)
        self._local = False  # the fallback stands in: Redis did not answer this bucket's last call

    async def _run(self, take: bool, remaining: int | None = None,
                   retry_at: float | None = None) -> tuple[float, float] | None:
        """The shared bucket's (wait, tokens); None when Redis cannot answer (the local bucket stands in)."""
        try:
            wait_ms, tokens, raised = await self.link.run(lambda: self._script(
                keys=[self.key, f"{self.key}:taken"],
                args=[self.capacity, self.refill_s, int(take), -1 if remaining is None else remaining,
                      -1 if retry_at is None else retry_at, self._unsure_s]))
        except RedisUnavailable:
            if not self._local:
                self._local = True
                self._fallback.hold_at_most(self._last_tokens)
            return None
        self._local = False
        self._last_tokens = float(tokens)
        if int(raised):
            self._wakeup.raised()
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
                await self._wakeup.sleep(wait)

    async def observe(self, remaining: int | None = None, retry_at: float | None = None) -> None:
        """As ``LocalBucket.observe``, on the shared bucket: the calls every replica took lately are in Redis."""
        if await self._run(take=False, remaining=remaining, retry_at=retry_at) is None:
            await self._fallback.observe(remaining, retry_at)

    async def remaining(self) -> float:
        ran = await self._run(take=False)
        return await self._fallback.remaining() if ran is None else ran[1]
