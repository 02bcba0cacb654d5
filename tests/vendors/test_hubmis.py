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
