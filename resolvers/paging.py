"""Opaque connection cursors over each vendor's own paging (page numbers, continuation keys).

A cursor records the absolute position after its edge, Dartmouth's continuation key (so later pages
come from the same found set) and a short hash of the list and its arguments: it continues only the
list that issued it, and at any `first`, since both vendors page by number and size alike and a
position can be read at any size that reaches it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, TypeVar

from gateway.errors import GatewayError
from gateway.security.limits import LARGEST_PAGE
from gateway.vendors.dartmouth.client import DartmouthClient, rows
from gateway.vendors.errors import VendorBadRequest
from gateway.vendors.routes import Route
from schema.node import PageInfo

T = TypeVar("T")

MAX_OFFSET = 10_000_000  # far past any list here; a larger one is forged
MAX_KEY_LENGTH = 256
_NOT_ISSUED = "`after` is not a cursor this gateway issued"
_OTHER_LIST = "`after` is not a cursor issued for this list"


def list_tag(name: str, arguments: Mapping[str, Any]) -> str:
    """A short hash of a list and the arguments that choose its records: a cursor carries it, so it is
    refused by any other list (or the same one filtered otherwise) without the arguments showing. A vendor
    list is named by its route's key (method and path), unique across vendors: route names are not
    (Dartmouth's and HUBmis' student lists are both ``list_students``)."""
    text = json.dumps([name, arguments], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class Cursor:
    tag: str
    offset: int  # records before the next edge
    key: str | None = None  # Dartmouth's continuation key

    def encode(self) -> str:
        return _encode(_prefix(self.tag, self.key), self.offset)


def _prefix(tag: str, key: str | None) -> str:
    # A cursor is made per edge: all but the offset is formatted once per page.
    return f'{{"l":"{tag}"' + ("" if key is None else f',"k":{json.dumps(key)}') + ',"o":'


def _encode(prefix: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{prefix}{offset}}}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, tag: str) -> Cursor:
    """The position ``cursor`` records in the list ``tag`` names; BAD_USER_INPUT (before any vendor call) for
    a cursor this gateway did not issue (an empty one among them: only a null ``after`` starts at the top), or
    one issued for another list or other arguments."""
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise GatewayError(_NOT_ISSUED, "BAD_USER_INPUT", argument="after") from None
    if not isinstance(state, dict) or not {"l", "o"} <= state.keys() <= {"l", "o", "k"}:
        raise GatewayError(_NOT_ISSUED, "BAD_USER_INPUT", argument="after")
    offset, key, issued_for = state["o"], state.get("k"), state["l"]
    if (type(offset) is not int or not 0 < offset <= MAX_OFFSET or not isinstance(issued_for, str)
            or ("k" in state and not (isinstance(key, str) and 0 < len(key) <= MAX_KEY_LENGTH
                                      and key.isascii() and key.isprintable()))):
        raise GatewayError(_NOT_ISSUED, "BAD_USER_INPUT", argument="after")
    if issued_for != tag:
        raise GatewayError(_OTHER_LIST, "BAD_USER_INPUT", argument="after")
    return Cursor(tag, offset, key)


def check_first(first: int, maximum: int = LARGEST_PAGE) -> int:
    """0 is allowed, as Relay allows it: no edges, and ``hasNextPage`` (and ``totalCount``) still answered."""
    if not 0 <= first <= maximum:
        raise GatewayError(f"`first` must be between 0 and {maximum}", "BAD_USER_INPUT", argument="first")
    return first


@dataclass(frozen=True)
class Page(Generic[T]):
    """Records from ``offset`` on, in list order, with what a connection says about them."""

    records: list[T]
    offset: int
    tag: str
    has_next: bool
    total: int | None = None
    key: str | None = None
    # Where each record ends in the vendor's list, when records it skipped lie between them (``visible_page``);
    # None: ``records`` are the vendor's, one after the other from ``offset``.
    ends: tuple[int, ...] | None = None
    resume: int | None = None  # an empty page that read only skipped records: the position after them

    def cursor(self, index: int) -> str:
        """The cursor after ``records[index]``."""
        return _encode(self._prefix, self.ends[index] if self.ends is not None else self.offset + index + 1)

    @cached_property
    def _prefix(self) -> str:
        return _prefix(self.tag, self.key)

    @property
    def end_cursor(self) -> str | None:
        if not self.records:
            return None if self.resume is None else _encode(self._prefix, self.resume)
        return self.cursor(len(self.records) - 1)

    def page_info(self) -> PageInfo:
        return PageInfo(has_next_page=self.has_next, end_cursor=self.end_cursor, has_previous_page=self.offset > 0,
                        start_cursor=self.cursor(0) if self.records else None)


def plan_reads(offset: int, first: int, maximum: int) -> tuple[int, list[int]]:
    """The vendor page size and page numbers (from 1) covering records ``[offset, offset + first)``: one page
    of the smallest size up to ``maximum`` that holds the whole range (``first`` itself when the offset is a
    multiple of it, as after a page of the same size), else two pages of ``first``."""
    for size in range(first, maximum + 1):
        if offset % size + first <= size:
            return size, [offset // size + 1]
    return first, [offset // first + 1, offset // first + 2]


async def read_range(read: Callable[[int, int], Awaitable[list[T]]], offset: int, first: int,
                     maximum: int, *, look_ahead: bool = False) -> tuple[list[T], bool]:
    """Records ``[offset, offset + first)`` through ``read(page_number, page_size)``, and whether more follow
    them: a short vendor page is the last one, and a record read past the range says more do. ``look_ahead``
    (for a list whose answers carry no total) reads one record past the range whenever that takes no more
    calls than the range alone, so the answer is exact; where it cannot (the next record lies beyond every page
    of at most ``maximum`` that holds the range in as few calls), a range that ends a full read may be
    followed by nothing."""
    if first == 0:  # no records asked for: one read of one record says whether any follow
        next_one, _ = await read_range(read, offset, 1, maximum)
        return [], bool(next_one)
    size, numbers = plan_reads(offset, first, maximum)
    if look_ahead and first < maximum:
        wider, wider_numbers = plan_reads(offset, first + 1, maximum)
        if len(wider_numbers) <= len(numbers):
            size, numbers = wider, wider_numbers
    found: list[T] = []
    full = True
    for number in numbers:
        batch = await read(number, size)
        found += batch
        if len(batch) < size:
            full = False
            break
    skip = offset - (numbers[0] - 1) * size
    # A record read past the range says more follow, a short page that none do; reads that end full exactly
    # where the range does cannot tell, and answer that more may follow.
    return found[skip:skip + first], full or len(found) > skip + first


async def paged(read: Callable[[int, int], Awaitable[list[T]]], tag: str, first: int, after: str | None,
                maximum: int, total: int | None = None) -> Page[T]:
    """A page of a list read through ``read(page_number, page_size)`` (HUBmis lists, or records held here), one
    record past the page where that costs no extra call (see ``read_range``): HUBmis' list answers carry no
    total, and a page that merely ends full is no sign that another follows. ``total``, where known, settles
    ``has_next`` outright."""
    check_first(first, maximum)
    offset = decode_cursor(after, tag).offset if after is not None else 0
    records, more = await read_range(read, offset, first, maximum, look_ahead=True)
    if total is not None:
        more = offset + len(records) < total
    return Page(records, offset, tag, has_next=more, total=total)


async def visible_page(read: Callable[[int, int], Awaitable[list[T]]], tag: str, first: int, after: str | None,
                       maximum: int, keep: Callable[[T], Awaitable[bool]]) -> Page[T]:
    """``paged`` for a caller who may not see every record of the list (FERPA-protected people): a page of
    ``first`` records it may see, skipping the others, and ``has_next`` true only when one it may see follows.
    The records come from one read of the largest page (at most ``maximum``) that holds the range and one record
    more, so a skipped record is made up for from the same call, not another one; cursors keep the vendor's
    positions, so each continues right after its edge. Where no page holds it (``first`` near ``maximum``), the
    range is read as ``paged`` reads it. An empty page that read only skipped records (a whole read of them)
    still says where to go on from."""
    check_first(first, maximum)
    offset = decode_cursor(after, tag).offset if after is not None else 0
    size = next((s for s in range(maximum, first, -1) if offset % s + first + 1 <= s), None)
    if size is None:
        read_now, full = await read_range(read, offset, first, maximum)
    else:
        number = offset // size + 1
        batch = await read(number, size)
        read_now, full = batch[offset - (number - 1) * size:], len(batch) == size
    records: list[T] = []
    ends: list[int] = []
    more = full  # none it may see after the page in what was read: more only if the vendor may hold more past it
    for i, record in enumerate(read_now):
        if await keep(record):
            if len(records) == first:
                more = True  # one it may see follows the page
                break
            records.append(record)
            ends.append(offset + i + 1)
    resume = offset + len(read_now) if first and not records and more else None
    return Page(records, offset, tag, has_next=more, ends=tuple(ends), resume=resume)


async def dartmouth_page(client: DartmouthClient, route: Route, filters: dict[str, Any], first: int, after: str | None,
                          ttl: float, model: Callable[[Any], T], maximum: int = LARGEST_PAGE) -> Page[T]:
    """One page of a Dartmouth collection, each record parsed by ``model`` (once per cached answer): the first
    page without a key, later ones (at any size) on the found set the first answer's ``X-Request-ID`` names.
    Not one call more than before when ``first`` is the size the cursor was made with; a cursor made with another
    JWT (a caller who may see FERPA-protected people, or may not) is refused, as another list's. A found set
    Dartmouth no longer has (it keeps one 12 hours) is made again: the same filter from the cursor's position, one
    more call, and the cursors of that page continue the new one."""
    # A found set is made with the client's JWT: a caller whose JWT sees other records (FERPA-protected people)
    # has its own positions and count, so its cursors continue only lists read with the same credential.
    tag = list_tag(route.key, {**filters, "credential": client.variant})
    check_first(first, maximum)
    cursor = decode_cursor(after, tag) if after is not None else None
    key = cursor.key if cursor else None
    total: int | None = None

    async def read(number: int, size: int) -> list[T]:
        nonlocal key, total
        query: dict[str, Any] = {**filters, "pagesize": size}
        if cursor is not None:
            query["page"] = number
            if key is not None:
                query["continuation_key"] = key
        try:
            reply = await client.get(route, params=query, ttl=ttl)
        except VendorBadRequest:
            if "continuation_key" not in query:
                raise
            del query["continuation_key"]  # unknown or expired: the filter again, at the same page
            key = None
            reply = await client.get(route, params=query, ttl=ttl)
        count = reply.headers.get("x-total-count")
        if count and count.isdigit() and total is None:
            total = int(count)
        key = key or reply.headers.get("x-request-id")
        return reply.parse_each(model, rows)

    offset = cursor.offset if cursor else 0
    records, more = await read_range(read, offset, first, maximum)
    if total is not None:
        more = more and offset + len(records) < total
    return Page(records, offset, tag, has_next=more, total=total, key=key)
