"""A circuit breaker per vendor route: opens on repeated failures, fails fast while open, probes to close.

One per route (``CircuitBreakers``), not one per vendor: a vendor whose holds endpoint is broken still answers its
student reads, and a breaker shared by every route would suspend those too after the holds reads' failures. A vendor
failing on more than one route is taken for down: a run of consecutive failures (of any route; a success of any
route ends it) that reaches the threshold and spans two routes or more opens every route's circuit at once, so a
vendor that is down is suspended as quickly as a single breaker would be. Until a call of any route succeeds, the
vendor's routes then act as that single breaker: they share one probe (one call per reset time, not one per route;
calls of the other routes wait for its outcome), and each failure restarts every route's reset time, so no route
sits half open for the rest of the outage (the vendor looking up) because no request called it again. The first
answer closes every circuit the outage opened, as it would close the one breaker: a route nobody has called since
would otherwise stay half open, and the vendor with it, long after it recovered. A route whose own failures had
opened its circuit before keeps it, and probes on its own again.

Besides the breaker's own half-open probe, one call at a time may retry a failed read: calls that fail together
(the parallel reads of one GraphQL request) do not each retry an unwell vendor; they wait for the first retry's
outcome instead.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from enum import StrEnum


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class Role(StrEnum):
    """What a call's outcome means to the breaker; ``admit`` and ``admit_retry`` hand one to each attempt."""

    CALL = "call"  # an ordinary call
    PROBE = "probe"  # the one call let through after the reset time: its outcome closes or reopens the circuit
    LEAD = "lead"  # the one retry in flight: calls that want to retry meanwhile wait for its outcome


class CircuitBreaker:
    """Consecutive-failure breaker. Only failures that say the vendor is unwell count (5xx, timeouts,
    refused connections); a 4xx is the vendor working correctly and resets the count.

    ``last_status`` is the upstream status of the latest failure (None when the vendor did not answer), so a
    call refused while the circuit is open can say what opened it; ``opened_at`` is when the current run of
    failures first opened it (monotonic), so a call can tell whether it opened while its own request ran."""

    def __init__(self, failures: int = 5, reset_s: float = 10.0) -> None:
        self.threshold, self.reset_s = failures, reset_s
        self._failures = 0
        self._reset_from: float | None = None  # the reset time runs from here; None while closed
        self.opened_at: float | None = None
        self.last_status: int | None = None
        self._own_probes = self._probes = _ProbeSlot()  # _probes: the vendor's shared one during an outage
        self._by_outage = False  # open because the vendor failed on several routes, not for this route's failures
        self._lead: _Trial | None = None

    @property
    def _probe(self) -> _Trial | None:
        return self._probes.trial

    @_probe.setter
    def _probe(self, trial: _Trial | None) -> None:
        self._probes.trial = trial

    @property
    def state(self) -> BreakerState:
        if self._reset_from is None:
            return BreakerState.CLOSED
        if time.monotonic() - self._reset_from >= self.reset_s:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def retry_in_s(self) -> float:
        if self._reset_from is None:
            return 0.0
        return max(0.0, self.reset_s - (time.monotonic() - self._reset_from))

    async def admit(self, wait_s: float) -> Role | None:
        """The role of a call that may go out now, or None if it may not.

        Closed: an ordinary call. Open: None. Half-open: the first caller is the probe; callers arriving while
        it is in flight wait up to ``wait_s`` for its outcome, then go out as ordinary calls if it succeeded
        (the circuit is closed) and are refused if it failed (the circuit is open again) or did not end in time.
        """
        deadline = time.monotonic() + wait_s
        while True:
            state = self.state
            if state is BreakerState.CLOSED:
                return Role.CALL
            if state is BreakerState.OPEN:
                return None
            if _vacant(self._probe, wait_s):
                self._probe = _Trial()
                return Role.PROBE
            probe = self._probe
            assert probe is not None
            if not await probe.succeeded(deadline):
                if self.state is BreakerState.CLOSED:
                    return Role.CALL  # another call's success closed it meanwhile
                if probe.undecided():
                    continue  # the probe ended without a verdict (cancelled): the next caller probes
                return None

    async def admit_retry(self, wait_s: float) -> Role | None:
        """The role of a failed call's retry, or None if it should not be retried.

        No retry while the circuit is not closed. Otherwise the first caller leads; callers arriving while the
        lead retry is in flight wait up to ``wait_s`` for its outcome and retry only if it succeeded."""
        deadline = time.monotonic() + wait_s
        while self.state is BreakerState.CLOSED:
            if _vacant(self._lead, wait_s):
                self._lead = _Trial()
                return Role.LEAD
            lead = self._lead
            assert lead is not None
            if await lead.succeeded(deadline):
                return Role.CALL if self.state is BreakerState.CLOSED else None
            if not lead.undecided():
                return None  # the lead retry failed too (or is still out): this call reports its own failure
        return None

    def record_success(self) -> None:
        self._failures, self._reset_from, self.opened_at = 0, None, None
        self._by_outage = False
        _settle(self._probe, True)
        _settle(self._lead, True)

    def trip(self, status: int | None, outage: _ProbeSlot) -> None:
        """Open the circuit now, whatever its own count: the vendor is failing on other routes too. One already
        open or half open opens again from now (it keeps the status and time that first opened it). While the
        outage lasts the route probes with ``outage``'s one probe, shared by the vendor's routes."""
        now = time.monotonic()
        if self.state is BreakerState.CLOSED:
            self._failures, self.last_status = max(self._failures, self.threshold), status
            self._by_outage = True
            _settle(self._lead, False)
        if self.opened_at is None:
            self.opened_at = now
        self._reset_from = now
        if self._probes is not outage:
            _settle(self._probe, False)  # its own probe's waiters: the vendor is failing
            self._probes = outage

    def end_outage(self) -> None:
        """A call of the vendor succeeded: a circuit only the outage opened closes; one its own failures opened
        probes on its own again."""
        self._probes = self._own_probes
        self._own_probes.trial = None
        if self._by_outage:
            self._failures, self._reset_from, self.opened_at = 0, None, None
            self._by_outage = False

    def record_failure(self, status: int | None = None, role: Role = Role.CALL) -> None:
        self._failures += 1
        self.last_status = status
        if role is Role.PROBE or self._failures >= self.threshold:
            now = time.monotonic()
            if self.opened_at is None:
                self.opened_at = now
            self._reset_from = now
        if role is Role.PROBE or self._reset_from is not None:
            _settle(self._probe, False)
        if role is Role.LEAD:
            _settle(self._lead, False)

    def release(self, role: Role) -> None:
        """A probe or lead retry ended without telling us anything about health (cancelled, or refused before
        it was sent): the calls waiting on it decide again."""
        if role is Role.PROBE:
            _settle(self._probe, None)
        elif role is Role.LEAD:
            _settle(self._lead, None)


_SEVERITY = {BreakerState.CLOSED: 0, BreakerState.HALF_OPEN: 1, BreakerState.OPEN: 2}


class CircuitBreakers:
    """A vendor's breakers, one per route (``of(route key)``, made at the route's first call), and their summary."""

    def __init__(self, failures: int = 5, reset_s: float = 10.0) -> None:
        self.failures, self.reset_s = failures, reset_s
        self._by_route: dict[str, CircuitBreaker] = {}
        # The routes of the latest consecutive failures since the vendor's last success (the threshold's worth: a
        # long outage's failing probes must not grow it without end).
        self._run: deque[str] = deque(maxlen=failures)
        self._outage: _ProbeSlot | None = None  # the routes' shared probe, from the run opening them all to a success

    def succeeded(self, breaker: CircuitBreaker) -> None:
        """A call of ``breaker``'s route was answered (a 4xx too: the vendor working)."""
        breaker.record_success()
        self._run.clear()
        if self._outage is not None:
            # The vendor answers again: the circuits the outage opened close, and the calls waiting for the shared
            # probe go on (those of a route whose own failures opened it, to probe it).
            _settle(self._outage.trial, True)
            self._outage = None
            for each in self._by_route.values():
                each.end_outage()

    def failed(self, route: str, status: int | None, role: Role) -> None:
        """A call of ``route`` failed (5xx, no answer, an answer out of contract)."""
        self.of(route).record_failure(status, role)
        self._run.append(route)
        # Once the vendor is taken for down it stays so until a call succeeds: its failing probes, all of one route
        # at times, keep every route open (the run alone would soon hold only the probes' route).
        if self._outage is not None or (len(self._run) >= self.failures and len(set(self._run)) > 1):
            if self._outage is None:
                self._outage = _ProbeSlot()
            for breaker in self._by_route.values():
                breaker.trip(status, self._outage)

    def of(self, route: str) -> CircuitBreaker:
        breaker = self._by_route.get(route)
        if breaker is None:
            breaker = self._by_route[route] = CircuitBreaker(self.failures, self.reset_s)
        return breaker

    @property
    def state(self) -> BreakerState:
        """The worst of the routes' states: OPEN while any route's calls are suspended."""
        return max((b.state for b in self._by_route.values()), key=_SEVERITY.__getitem__,
                   default=BreakerState.CLOSED)

    def not_closed(self) -> dict[str, BreakerState]:
        """The routes whose circuit is open or half open, by route key, in key order."""
        return {route: b.state for route, b in sorted(self._by_route.items()) if b.state is not BreakerState.CLOSED}

    def all_open(self) -> bool:
        """Whether every route called so far is suspended (the vendor looks down, not one of its endpoints)."""
        return bool(self._by_route) and all(b.state is BreakerState.OPEN for b in self._by_route.values())


class _ProbeSlot:
    """Where a breaker keeps its half-open probe: its own, or its vendor's shared one during an outage."""

    def __init__(self) -> None:
        self.trial: _Trial | None = None


class _Trial:
    """One call whose outcome other calls wait for: True (the vendor answered), False (it failed) or None (no
    verdict: cancelled, or refused before it was sent)."""

    def __init__(self) -> None:
        self.outcome: asyncio.Future[bool | None] = asyncio.get_running_loop().create_future()
        self.started = time.monotonic()

    async def succeeded(self, deadline: float) -> bool:
        """Whether it ended in success by ``deadline`` (a shield keeps one waiter's timeout from cancelling it)."""
        try:
            return bool(await asyncio.wait_for(asyncio.shield(self.outcome), max(0.0, deadline - time.monotonic())))
        except TimeoutError:
            return False

    def undecided(self) -> bool:
        return self.outcome.done() and self.outcome.result() is None


def _vacant(trial: _Trial | None, wait_s: float) -> bool:
    """Whether a new trial may start: none is out, or the one out has outlived any wait for it (a call that
    never reported back must not hold the others forever)."""
    return trial is None or trial.outcome.done() or time.monotonic() - trial.started > wait_s


def _settle(trial: _Trial | None, outcome: bool | None) -> None:
    if trial is not None and not trial.outcome.done():
        trial.outcome.set_result(outcome)
