"""Per-GraphQL-request accounting of upstream calls, with an optional budget.

The GraphQL layer opens a ``CallBudget`` for each request; every call that leaves the gateway
(cache hits do not) is counted against it, and a call past the limit is refused before it is sent.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from gateway.vendors.errors import CallBudgetExceeded


class CallBudget:
    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.calls: Counter[str] = Counter()  # by vendor
        self.cache_hits: Counter[str] = Counter()
        self.started = time.monotonic()  # a vendor's circuit that opens after this opened during this request
        self.writes_applied = 0  # writes (and exports) a vendor answered below 400: applied, whatever comes after

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    def spend(self, vendor: str, route: str) -> None:
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
