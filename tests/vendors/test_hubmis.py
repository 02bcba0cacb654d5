"""The HUBmis client: page-number paging that stops on a short page, against the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gateway.vendors.hubmis import routes
from tests.sandboxproc import SandboxProcess

MakeClient = Callable[..., Any]


async def test_paging_stops_on_the_short_last_page(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("hubmis", page_size=25)
    pages = [page async for page in client.pages(routes.LIST_STUDENTS, ttl=0)]
    ids = [s["id"] for page in pages for s in page]
    assert len(ids) == len(set(ids)) and 56 in ids
    assert all(len(p) == 25 for p in pages[:-1]) and len(pages[-1]) <= 25
    calls = sandbox.requests("hubmis")["by_route"][routes.LIST_STUDENTS.key]
    assert calls == len(pages) + (1 if len(pages[-1]) == 25 else 0)  # no page asked for past the end


async def test_a_page_size_above_hubmis_largest_page_is_sent_as_the_largest(sandbox: SandboxProcess,
                                                                           make_client: MakeClient) -> None:
    """HUBmis serves at most 100 records a page (the staff directory relies on it): a larger configured size is
    sent as 100 rather than failing every list with HUBmis' 422."""
    client = await make_client("hubmis", page_size=routes.MAX_PAGE_SIZE + 50)
    pages = [page async for page in client.pages(routes.LIST_STUDENTS, ttl=0)]
    ids = [s["id"] for page in pages for s in page]
    assert len(ids) == len(set(ids)) > routes.MAX_PAGE_SIZE and 56 in ids
    calls = [r for r in sandbox.requests("hubmis")["requests"] if r["route"] == routes.LIST_STUDENTS.key]
    assert calls and all(r["status"] == 200 for r in calls)
