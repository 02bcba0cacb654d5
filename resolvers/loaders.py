"""One DataLoader per (vendor, entity[, relation]), built fresh for every request.

A loader deduplicates the keys one execution step asks for and resolves them together: through a
collection or filter endpoint where the vendor offers one, otherwise by fanning out in parallel
(Dartmouth filters combine with AND and HUBmis has no multi-id filter, so most are fan-outs).
The vendor clients' cross-request cache sits beneath, so a warm key costs no call. A missing
record loads as None; any other failure loads as the exception, raised where the field asks.

A fan-out's keys gain nothing from waiting for a batch, so each key's read starts eagerly when it is
first asked for (``gateway.eager``): one answered from this process's memory is a done future at
once, which ``peek`` hands to the field without a task, and one that has to wait is a task of its
own, running beside the other keys' as the batch's would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar, cast

from strawberry.dataloader import DataLoader

from gateway.eager import start
from gateway.upstreams import Upstreams
from gateway.vendors.dartmouth.client import DartmouthClient
from gateway.vendors.errors import VendorNotFound
from gateway.vendors.hubmis import routes as hubmis_routes
from gateway.vendors.hubmis.client import HubmisClient
from gateway.vendors.routes import Route
from resolvers.crosswalk import HubmisIndex, StellicIndex
from resolvers.engagement import EngagementReader
from resolvers.listpages import ListPageReader
from resolvers.tutorgroups import TutorGroupReader

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
MISSING: Any = object()  # what ``peek`` gives for a key this request has not loaded (yet)


def peek(loader: DataLoader[Any, Any], key: Hashable) -> Any:
    """What ``loader`` holds for ``key`` in this request (a record, or None for a 404) if it is there now, its
    read started if not yet; MISSING when that read has to wait or failed (the field then awaits the load,
    which reports the failure). Lets a field whose data is at hand resolve without a task."""
    if not loader.cache:  # batching off: nothing is remembered within the request
        return MISSING
    future = cast("asyncio.Future[Any]", loader.load(key))
    if not future.done() or future.cancelled() or future.exception() is not None:
        return MISSING
    return future.result()


def held(loader: DataLoader[Any, Any], key: Hashable) -> Any:
    """What ``loader`` has already answered for ``key`` in this request (a record, or None for a 404); MISSING
    when it was not asked, is still reading or failed. Unlike ``peek``, it starts no read."""
    future = loader.cache_map.get(key) if loader.cache else None
    if future is None or not future.done() or future.cancelled() or future.exception() is not None:
        return MISSING
    return future.result()


def forget(loader: DataLoader[Any, Any], key: Hashable) -> None:
    """Drop what ``loader`` holds for ``key`` in this request (a write changed it), so the next load reads anew;
    nothing to do when it was never asked (DataLoader.clear raises then)."""
    if loader.cache and loader.cache_map.get(key) is not None:
        loader.clear(key)


class FanOutLoader(DataLoader[K, V | None]):
    """A loader over a vendor read of one key (no endpoint takes several): each key's read starts eagerly the
    first time it is asked for, deduplicated by the loader's cache; a 404 loads as None. Without caching
    (batching off) it is a plain DataLoader of single-key batches."""

    def __init__(self, fetch: Callable[[K], Awaitable[V]], batching: bool = True) -> None:
        if batching:
            super().__init__(fan_out(fetch))
        else:
            super().__init__(fan_out(fetch), cache=False, max_batch_size=1)
        self._fetch = fetch

    def load(self, key: K) -> asyncio.Future[V | None]:
        if not self.cache:
            return cast("asyncio.Future[V | None]", super().load(key))
        future = self.cache_map.get(key)
        if future is None:
            future = start(_or_none(self._fetch(key)))
            self.cache_map.set(key, future)
        return future


async def _or_none(read: Awaitable[V]) -> V | None:
    """The record read; None for a 404 (a missing record is an answer, not a failure)."""
    try:
        return await read
    except VendorNotFound:
        return None


def fan_out(fetch: Callable[[K], Awaitable[V]]) -> Callable[[list[K]], Awaitable[Sequence[V | BaseException | None]]]:
    """A batch function calling ``fetch`` for every key at once; 404 becomes None."""

    async def load(keys: list[K]) -> Sequence[V | BaseException | None]:
        results = await asyncio.gather(*(_or_none(fetch(k)) for k in keys), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, Exception):
                raise result  # cancellation is not a per-key failure
        return results

    return load


class Loaders:
    """The request's loaders. Nothing here outlives the request: a new ``Loaders`` per request.

    With ``batching=False`` every load is its own call and nothing is remembered within the request:
    the baseline the benchmark compares against."""

    def __init__(self, upstreams: Upstreams, dartmouth: DartmouthClient, batching: bool = True,
                 student_index: HubmisIndex | None = None, staff_index: HubmisIndex | None = None,
                 stellic_index: StellicIndex | None = None,
                 read_task: Callable[[str, str], Awaitable[Any]] | None = None) -> None:
        d, h, s = dartmouth, upstreams.hubmis, upstreams.stellic

        def loader(fetch: Callable[[Any], Awaitable[Any]]) -> FanOutLoader[Any, Any]:
            return FanOutLoader(fetch, batching)

        self.dartmouth_student_by_netid: FanOutLoader[str, Any] = loader(d.get_student)
        self.dartmouth_person_by_netid: FanOutLoader[str, Any] = loader(d.get_person)
        self.dartmouth_section_by_id: FanOutLoader[str, Any] = loader(d.get_section)
        self.dartmouth_enrollment_by_id: FanOutLoader[str, Any] = loader(d.get_enrollment)
        self.dartmouth_hold_by_id: FanOutLoader[str, Any] = loader(d.get_hold)
        # (netid, term code or None, active only) -> that person's enrollments
        self.dartmouth_enrollments_by_netid: FanOutLoader[tuple[str, str | None, bool], Any] = loader(
            lambda k: d.list_enrollments(_enrollment_filters(*k)))
        self.dartmouth_holds_by_netid: FanOutLoader[str, Any] = loader(lambda netid: d.list_holds(netid=netid))
        # HUBmis records by id: several on one page of their list are read with that page (resolvers.listpages)
        self.hubmis_student_by_id: FanOutLoader[int, Any] = loader(read_by_page(
            h, student_index, batching, record_route=hubmis_routes.GET_STUDENT, list_route=hubmis_routes.LIST_STUDENTS,
            read_one=h.get_student, fewest_for_page=2))
        # HUBmis student id -> tutor group (None: in none): a page's are read by tutor group, not one per student
        self.hubmis_tutor_group_by_id: DataLoader[int, Any] = (
            DataLoader(TutorGroupReader(h).load) if batching else loader(TutorGroupReader(h).one))
        self.hubmis_staff_by_id: FanOutLoader[int, Any] = loader(read_by_page(
            h, staff_index, batching, record_route=hubmis_routes.GET_STAFF, list_route=hubmis_routes.LIST_STAFF,
            read_one=h.get_staff, fewest_for_page=1))
        # Stellic username -> engagement score: several (or any, once it is cached) from the engagement export
        self.stellic_engagement_by_username: DataLoader[str, Any] = (
            DataLoader(EngagementReader(stellic_index, fan_out(s.get_engagement_score)).load)
            if batching and stellic_index is not None else loader(s.get_engagement_score))
        # (kind, vendor id) -> the task as it now stands (TaskTracker.get): `node(id:)`, `task(id:)` and aliases
        # naming one task make one vendor call and show one task.
        self.task: FanOutLoader[tuple[str, str], Any] | None = None if read_task is None else loader(
            lambda k: read_task(*k))


def read_by_page(hubmis: HubmisClient, index: HubmisIndex | None, batching: bool, *, record_route: Route,
                 list_route: Route,
                 read_one: Callable[[int], Awaitable[Any]], fewest_for_page: int) -> Callable[[int], Awaitable[Any]]:
    """A HUBmis record's read for a loader: through its list's pages (``ListPageReader``) where its index is
    kept and the request batches; else ``read_one``, a GET each."""
    if index is None or not batching:
        return read_one
    return ListPageReader(hubmis, index, record_route=record_route, list_route=list_route, read_one=read_one,
                          fewest_for_page=fewest_for_page).read


def _enrollment_filters(netid: str, term: str | None, active_only: bool) -> dict[str, str]:
    filters = {"netid": netid}
    if term is not None:
        filters["term.sis_term_code"] = term
    if active_only:
        filters["is_active"] = "true"
    return filters
