"""HUBmis students and staff by id, read a page of their list at a time where that spends fewer calls.

HUBmis has no multi-id read: a record is ``GET /api/v1/students/{id}`` (or ``/staff/{id}``), one call of its
scarce budget each. Its lists hold the same records, 100 to a page, and the crosswalk's indexes, built from those
pages, know the page each id was on. So the ids one request asks for together are grouped by page: a page holding
at least ``fewest_for_page`` of them whose own reads are not cached is read once (and cached, as a record is) for all of
them, and the others are read each. A record not on its page (the list moved since the index was built) is read
by itself, so the answer is always HUBmis' own, as fresh as a record's read.

Students: ``fewest_for_page`` 2, so one student is one ``GET`` as before, and a Dartmouth page of 50 whose 39 HUBmis
records sit on 5 pages is 5 calls, not 39. Staff: ``fewest_for_page`` 1, so an advisor's page is read and answers the
other advisors on it (the whole staff list is one page up to 100 members).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from gateway.vendors.hubmis.client import HubmisClient
from gateway.vendors.routes import Route
from resolvers.crosswalk import HubmisIndex

Waiting = dict[int, "asyncio.Future[Any]"]


class ListPageReader:
    """One request's reads of one HUBmis list's records by id (``Loaders``' fetch for that entity)."""

    def __init__(self, hubmis: HubmisClient, index: HubmisIndex, *, record_route: Route, list_route: Route,
                 read_one: Callable[[int], Awaitable[Any]], fewest_for_page: int) -> None:
        self.hubmis, self.index, self.record_route, self.list_route = hubmis, index, record_route, list_route
        self.read_one, self.fewest_for_page = read_one, fewest_for_page
        self._waiting: dict[int, Waiting] = {}  # page -> the ids asked of it this turn, each with its future
        self._settling: set[asyncio.Future[None]] = set()  # running page reads, kept until done
        # page -> its read while under way: ids asked of the page in a later turn join it
        self._pages: dict[int, asyncio.Future[dict[int, Any]]] = {}

    async def read(self, record_id: int) -> Any:
        page = self.index.page_of(record_id) if self.index.ready.is_set() and self.hubmis.cache.enabled else None
        if page is None or self.hubmis.cached_now(self.record_route, path={"id": record_id}):
            return await self.read_one(record_id)
        if self.hubmis.cached_now(self.list_route, params=self.hubmis.page_params(page)):
            found = (await self.hubmis.list_page_by_id(self.list_route, page)).get(record_id)
            return found if found is not None else await self.read_one(record_id)
        if not self._waiting:  # the first id of this turn: the rest of the turn's ids join it, then they are read
            asyncio.get_running_loop().call_soon(self._dispatch)
        waiting = self._waiting.setdefault(page, {})
        future = waiting.get(record_id)
        if future is None:
            future = waiting[record_id] = asyncio.get_running_loop().create_future()
        return await future

    def _dispatch(self) -> None:
        waiting, self._waiting = self._waiting, {}
        for page, ids in waiting.items():
            self._keep(self._settle(page, ids))

    def _keep(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._settling.add(task)
        task.add_done_callback(self._settling.discard)

    async def _settle(self, page: int, waiting: Waiting) -> None:
        """Answer one page's ids: from the page when enough of them would otherwise cost a call each, or when this
        request is reading it already (ids asked in a later turn wait for that read, not a GET each). When
        the page cannot be read, an id whose own read is cached is answered from the cache, as before pages were
        read (with Redis every id comes here: ``read`` cannot see that cache at once); the others get the failure."""
        held: set[int] = set()
        try:
            answers = await asyncio.gather(*(self.hubmis.cached(self.record_route, path={"id": i}) for i in waiting))
            held = {i for i, cached in zip(waiting, answers, strict=True) if cached}
            uncached = [i for i in waiting if i not in held]
            if uncached and page not in self._pages and (
                    len(uncached) >= self.fewest_for_page or await self.hubmis.cached(
                        self.list_route, params=self.hubmis.page_params(page))):
                self._start_page(page)
            reading = self._pages.get(page) if uncached else None
            found: dict[int, Any] = {} if reading is None else await asyncio.shield(reading)
        except (Exception, asyncio.CancelledError) as exc:  # the page's failure is each uncached id's, as its read's
            cancelled = isinstance(exc, asyncio.CancelledError)
            for record_id, future in waiting.items():
                if record_id in held and not cancelled:
                    self._keep(self._read_alone(record_id, future))
                else:
                    _fail(future, exc)
            if cancelled:
                raise
            return
        for record_id, future in waiting.items():
            if record_id in found:
                if not future.done():
                    future.set_result(found[record_id])
            else:
                self._keep(self._read_alone(record_id, future))

    def _start_page(self, page: int) -> None:
        if page in self._pages:  # another turn's ids started it while these asked the cache
            return
        reading = self._pages[page] = asyncio.ensure_future(self.hubmis.list_page_by_id(self.list_route, page))
        # Once read, the page is the cache's to answer (fresh as a record, also for a WebSocket's long-lived loaders)
        reading.add_done_callback(lambda done: self._page_done(page, done))

    def _page_done(self, page: int, done: asyncio.Future[dict[int, Any]]) -> None:
        self._pages.pop(page, None)
        if not done.cancelled():
            done.exception()  # its failure is its waiters'; marked retrieved so that none left is not logged

    async def _read_alone(self, record_id: int, future: asyncio.Future[Any]) -> None:
        try:
            record = await self.read_one(record_id)
        except (Exception, asyncio.CancelledError) as exc:
            _fail(future, exc)
            if isinstance(exc, asyncio.CancelledError):
                raise
        else:
            if not future.done():
                future.set_result(record)


def _fail(future: asyncio.Future[Any], exc: BaseException) -> None:
    if future.done():
        return
    if isinstance(exc, asyncio.CancelledError):
        future.cancel()
    else:
        future.set_exception(exc)
