"""One DataLoader per (vendor, entity[, relation]), built fresh for every request.

A loader deduplicates the keys one execution step asks for and resolves them together: through a
collection or filter endpoint where the vendor offers one, otherwise by fanning out in parallel
(Dartmouth filters combine with AND and HUBmis has no multi-id filter, so most are fan-outs).
The vendor clients' cross-request cache sits beneath, so a warm key costs no call. A missing
record loads as None; any other failure loads as the exception, raised where the field asks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from gateway.upstreams import Upstreams
from gateway.vendors.dartmouth.client import DartmouthClient
from gateway.vendors.errors import VendorNotFound

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
MISSING: Any = object()  # what ``peek`` gives for a key this request has not loaded (yet)


def peek(loader: DataLoader[Any, Any], key: Hashable) -> Any:
    """What ``loader`` already holds for ``key`` in this request (a record, or None for a 404), without
    waiting; MISSING when it has nothing yet, is still loading it, or holds a failure (the field then
    awaits the load and reports it). Lets a field whose data is at hand resolve without a task."""
    if not loader.cache:  # batching off: nothing is remembered within the request
        return MISSING
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception() is not None:
        return MISSING
    return future.result()


def fan_out(fetch: Callable[[K], Awaitable[V]]) -> Callable[[list[K]], Awaitable[Sequence[V | BaseException | None]]]:
    """A batch function calling ``fetch`` for every key at once; 404 becomes None."""

    async def load(keys: list[K]) -> Sequence[V | BaseException | None]:
        results = await asyncio.gather(*(fetch(k) for k in keys), return_exceptions=True)
        out: list[V | BaseException | None] = []
        for result in results:
            if isinstance(result, VendorNotFound):
                out.append(None)
            elif isinstance(result, BaseException) and not isinstance(result, Exception):
                raise result  # cancellation is not a per-key failure
            else:
                out.append(result)
        return out

    return load


class Loaders:
    """The request's loaders. Nothing here outlives the request: a new ``Loaders`` per request.

    With ``batching=False`` every load is its own call and nothing is remembered within the request:
    the baseline the benchmark compares against."""

    def __init__(self, upstreams: Upstreams, dartmouth: DartmouthClient, batching: bool = True) -> None:
        d, h, s = dartmouth, upstreams.hubmis, upstreams.stellic
        options: dict[str, Any] = {} if batching else {"cache": False, "max_batch_size": 1}
        self.dartmouth_student_by_netid: DataLoader[str, Any] = DataLoader(fan_out(d.get_student), **options)
        self.dartmouth_person_by_netid: DataLoader[str, Any] = DataLoader(fan_out(d.get_person), **options)
        self.dartmouth_section_by_id: DataLoader[str, Any] = DataLoader(fan_out(d.get_section), **options)
        self.dartmouth_enrollment_by_id: DataLoader[str, Any] = DataLoader(fan_out(d.get_enrollment), **options)
        self.dartmouth_hold_by_id: DataLoader[str, Any] = DataLoader(fan_out(d.get_hold), **options)
        # (netid, term code or None, active only) -> that person's enrollments
        self.dartmouth_enrollments_by_netid: DataLoader[tuple[str, str | None, bool], Any] = DataLoader(
            fan_out(lambda k: d.list_enrollments(_enrollment_filters(*k))), **options)
        self.dartmouth_holds_by_netid: DataLoader[str, Any] = DataLoader(
            fan_out(lambda netid: d.list_holds(netid=netid)), **options)
        self.hubmis_student_by_id: DataLoader[int, Any] = DataLoader(fan_out(h.get_student), **options)
        self.hubmis_staff_by_id: DataLoader[int, Any] = DataLoader(fan_out(h.get_staff), **options)
        self.stellic_engagement_by_username: DataLoader[str, Any] = DataLoader(
            fan_out(s.get_engagement_score), **options)


def _enrollment_filters(netid: str, term: str | None, active_only: bool) -> dict[str, str]:
    filters = {"netid": netid}
    if term:
        filters["term.sis_term_code"] = term
    if active_only:
        filters["is_active"] = "true"
    return filters
