"""Whether Redis answers, as everything in this process that keeps shared state there sees it.

One ``RedisLink`` per gateway process (``Upstreams`` holds it) is shared by the response cache, the rate
buckets, the idempotency store and the task store. A Redis call that raises (refused, reset, timed out) marks
Redis lost: one warning, and for ``RETRY_S`` every caller goes on without Redis at once (each in its own way,
see ``RedisUnavailable``) instead of waiting on a dead server; then a single call is let through to try it
again. The first call that succeeds marks it back: one more line. So an outage costs one warning, one line
when it ends, and at most one attempt a second, however many requests run meanwhile.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError, RedisError

log = logging.getLogger("campusgraph.redis")

T = TypeVar("T")

RETRY_S = 1.0  # while Redis is lost, one call is let through to try it again this often
# The Redis clients' socket timeouts. Redis answers in a millisecond or two: a server that takes longer to
# accept a connection, or to answer, is as good as gone, and every request waiting on it would wait as long.
CONNECT_TIMEOUT_S = 0.5
SOCKET_TIMEOUT_S = 1.0


def connection_options() -> dict[str, Any]:
    """What the Redis clients' connections are made with: the short timeouts, and one immediate retry of a call
    whose connection was lost. After Redis restarts, each connection kept in the pool from before fails its next
    call ("closed by server"): without the retry, each would count as Redis lost again. Not after a timeout: a
    server that does not answer would make every call wait twice."""
    return {"socket_connect_timeout": CONNECT_TIMEOUT_S, "socket_timeout": SOCKET_TIMEOUT_S,
            "retry": Retry(NoBackoff(), 1, supported_errors=(ConnectionError,))}


# What "Redis does not answer" raises: redis-py's ConnectionError and TimeoutError (a server still loading its
# data after a restart included), and any other RedisError (out of memory, read-only replica), which leaves the
# state as unusable; OSError for a socket failing beneath redis-py.
UNREACHABLE = (RedisError, OSError)


class RedisUnavailable(Exception):
    """Redis did not answer, or was lost less than ``RETRY_S`` ago: do without it."""


class RedisLink:
    def __init__(self, retry_s: float = RETRY_S) -> None:
        self.retry_s = retry_s
        self._down_until: float | None = None  # monotonic; set while Redis is taken as lost

    @property
    def up(self) -> bool:
        """False from a failed call until one succeeds."""
        return self._down_until is None

    def _skip(self) -> bool:
        if self._down_until is None:
            return False
        now = time.monotonic()
        if now < self._down_until:
            return True
        self._down_until = now + self.retry_s  # this caller tries Redis; the others do without it meanwhile
        return False

    async def run(self, call: Callable[[], Awaitable[T]]) -> T:
        """``call()``'s result; RedisUnavailable when Redis is lost (without calling) or the call fails."""
        if self._skip():
            raise RedisUnavailable
        return await self.probe(call)

    async def probe(self, call: Callable[[], Awaitable[T]]) -> T:
        """As ``run``, but calls Redis even while it is taken as lost (readiness asks it every time)."""
        try:
            result = await call()
        except UNREACHABLE as exc:
            self.lost(exc)
            raise RedisUnavailable from exc
        self.answered()
        return result

    def lost(self, exc: BaseException) -> None:
        if self._down_until is None:
            log.warning("redis unreachable (%s): until it answers, the response cache, the rate limits and the "
                        "HUBmis indexes work in this process only, cache invalidations reach this process only, "
                        "mutations with an Idempotency-Key are refused; asked again every %.0f s",
                        type(exc).__name__, self.retry_s)
        self._down_until = time.monotonic() + self.retry_s

    def answered(self) -> None:
        if self._down_until is not None:
            self._down_until = None
            log.warning("redis answers again: the response cache, rate limits, HUBmis indexes and idempotency keys "
                        "are shared again")
