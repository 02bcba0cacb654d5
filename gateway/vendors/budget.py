"""Per-GraphQL-request accounting of upstream calls, with an optional budget.

The GraphQL layer opens a ``CallBudget`` for each request; every call that leaves the gateway
(cache hits do not) is counted against it, and a call past the limit is refused before it is sent,
as is every call of a read-only request whose client has hung up (``client_left``).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from gateway.vendors.errors import CallBudgetExceeded, ClientClosedRequest


class CallBudget:
    def __init__(self, limit: int | None = None, client_left: asyncio.Event | None = None) -> None:
        self.limit = limit
        self.client_left = client_left  # set by the GraphQL guard when a read-only request's client hangs up
        self.calls: Counter[str] = Counter()  # by vendor
        self.cache_hits: Counter[str] = Counter()
        self.started = time.monotonic()  # a vendor's circuit that opens after this opened during this request
        self.writes_applied = 0  # writes (and exports) a vendor answered below 400: applied, whatever comes after

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    @property
    def abandoned(self) -> bool:
        return self.client_left is not None and self.client_left.is_set()

    def check_client(self, vendor: str, route: str) -> None:
        """Refuse a call no one would read the answer of (also after a wait for a rate slot)."""
        if self.abandoned:
            raise ClientClosedRequest(vendor, "the client closed the request", route=route)

    def spend(self, vendor: str, route: str) -> None:
        self.check_client(vendor, route)
        if self.limit is not None and self.total >= self.limit:
            raise CallBudgetExceeded(vendor, f"this request reached its budget of {self.limit} upstream calls",
                                     route=route)
        self.calls[vendor] += 1


current_budget: ContextVar[CallBudget | None] = ContextVar("campusgraph_call_budget", default=None)


@contextmanager
def call_budget(limit: int | None = None) -> Iterator[CallBudget]:
    budget = CallBudget(limit)
    token = current_budget.set(budget)
    try:
        yield budget
    finally:
        current_budget.reset(token)
