"""The state every part of the per-request data port reads: the vendors' clients, the crosswalk's indexes,
this request's loaders, and the reads it starts ahead of the fields that join them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from gateway.auth.viewer import Viewer
from gateway.errors import GatewayError
from gateway.upstreams import Upstreams
from gateway.vendors.errors import VendorError
from resolvers.crosswalk import Crosswalk, HubmisIndex
from resolvers.loaders import Loaders

DARTMOUTH, HUBMIS, STELLIC = "dartmouth", "hubmis", "stellic"

HUBMIS_KEY = "hubmis:"  # the key of a HUBmis record without an external_id: its HUBmis id after this prefix


def hubmis_key(key: str) -> int:
    """The HUBmis id a ``hubmis:{id}`` key names; any other suffix is no key this gateway issued."""
    number = key.removeprefix(HUBMIS_KEY)
    if not (number.isascii() and number.isdigit()):
        raise GatewayError("not an ID this gateway issued", "BAD_USER_INPUT", argument="id")
    return int(number)


class PortBase:
    """One request's view of the vendors (see ``resolvers.port.Port``, which builds on it)."""

    def __init__(self, upstreams: Upstreams, crosswalk: Crosswalk, batching: bool = True,
                 viewer: Viewer | None = None, read_task: Callable[[str, str], Awaitable[Any]] | None = None) -> None:
        self.up, self.rules, self.viewer = upstreams, crosswalk.rules, viewer
        # Without people:private, Dartmouth is read as such a caller would read it, and FERPA-protected
        # people are hidden entirely (not blanked), as Dartmouth hides them.
        self.private = viewer is None or viewer.has("people:private")
        self.dartmouth = upstreams.dartmouth_for(self.private)
        self.ferpa = crosswalk.ferpa
        self.hubmis_index, self.hubmis_staff_index = crosswalk.hubmis_students, crosswalk.hubmis_staff
        self.stellic_index = crosswalk.stellic
        self.loaders = Loaders(upstreams, self.dartmouth, batching, student_index=self.hubmis_index,
                               staff_index=self.hubmis_staff_index, stellic_index=self.stellic_index,
                               read_task=read_task)
        self._reads_ahead: set[asyncio.Future[Any]] = set()
        # Vendors that failed under a field that still answered with what the others gave (its path and the
        # failure): gateway.errors.ErrorFormatter reports each as an error at that path.
        self.incomplete: list[tuple[list[str | int], VendorError]] = []

    @staticmethod
    async def _indexed(index: HubmisIndex, key: str) -> int | None:
        found = index.lookup(key)
        if found is not None or index.ready.is_set():
            return found
        return await index.search(key)

    async def _in_order(self, reads: Iterable[Callable[[], Awaitable[Any]]], at: Any) -> Any:
        """The first value (not None) of ``reads``, a field's vendors in its documented order. A vendor that fails
        is passed over: the next one's value is answered, and the failure reported at the field's path ``at``
        (a GraphQL path), so the value is known to come from further down the order. None answering: the first
        failure is raised."""
        failure: VendorError | None = None
        for read in reads:
            try:
                value = await read()
            except VendorError as exc:
                failure = failure or exc
                continue
            if value is not None:
                if failure is not None and at is not None:
                    self.incomplete.append((at.as_list(), failure))
                return value
        if failure is not None:
            raise failure
        return None

    def _read_ahead(self, read: Awaitable[Any]) -> asyncio.Future[Any]:
        """Start a read now that may outlive its caller: one a field joins in flight later (the vendor cache
        coalesces them), or a check left running once another answered. Kept referenced until it ends; a
        failure is reported where the read is joined, so here it is only marked retrieved."""
        task = asyncio.ensure_future(read)
        self._reads_ahead.add(task)  # a strong reference until it ends
        task.add_done_callback(self._read_ahead_done)
        return task

    def _read_ahead_done(self, task: asyncio.Future[Any]) -> None:
        self._reads_ahead.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved here, reported by the field that joins the read
