"""A circuit breaker per vendor: opens on repeated failures, fails fast while open, probes to close."""

from __future__ import annotations

import time
from enum import StrEnum


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Consecutive-failure breaker. Only failures that say the vendor is unwell count (5xx, timeouts,
    refused connections); a 4xx is the vendor working correctly and resets the count."""

    def __init__(self, failures: int = 5, reset_s: float = 10.0) -> None:
        self.threshold, self.reset_s = failures, reset_s
        self._failures = 0
        self._opened_at: float | None = None
        self._probe_in_flight = False

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if time.monotonic() - self._opened_at >= self.reset_s:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        """Whether a call may go out now; in half-open state exactly one probe is let through."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._probe_in_flight:
            self._probe_in_flight = True
            return True
        return False

    def retry_in_s(self) -> float:
        if self._opened_at is None:
            return 0.0
        return max(0.0, self.reset_s - (time.monotonic() - self._opened_at))

    def record_success(self) -> None:
        self._failures, self._opened_at, self._probe_in_flight = 0, None, False

    def record_failure(self) -> None:
        self._failures += 1
        if self._probe_in_flight or self._failures >= self.threshold:
            self._opened_at = time.monotonic()
        self._probe_in_flight = False

    def release_probe(self) -> None:
        """A probe ended without telling us anything about health (e.g. cancelled)."""
        self._probe_in_flight = False
