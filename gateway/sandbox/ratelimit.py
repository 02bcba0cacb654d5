"""A token bucket per client, as HUBmis documents its limit (500 per client, one more every 5 s)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    retry_at: float  # Unix time at which one more request is allowed (now when allowed)

    @property
    def retry_after_s(self) -> int:
        return max(1, math.ceil(self.retry_at - time.time()))


class TokenBuckets:
    """Independent buckets keyed by client; capacity and refill may change at run time (fault switches)."""

    def __init__(self) -> None:
        self._state: dict[str, tuple[float, float]] = {}  # client -> (tokens, monotonic time of last update)

    def clear(self) -> None:
        self._state.clear()

    def take(self, client: str, capacity: int, refill_s: float) -> RateDecision:
        now = time.monotonic()
        tokens, last = self._state.get(client, (float(capacity), now))
        tokens = min(float(capacity), tokens + (now - last) / refill_s)
        if tokens >= 1.0:
            tokens -= 1.0
            self._state[client] = (tokens, now)
            return RateDecision(True, capacity, int(tokens), time.time())
        self._state[client] = (tokens, now)
        wait = (1.0 - tokens) * refill_s
        return RateDecision(False, capacity, 0, time.time() + wait)
