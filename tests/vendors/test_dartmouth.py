"""The Dartmouth client: scoped JWT exchange and continuation-key paging, against the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gateway.sandbox import credentials as creds
from gateway.vendors.config import Secret
from gateway.vendors.dartmouth import routes
from gateway.vendors.errors import MissingScope
from tests.sandboxproc import SandboxProcess

MakeClient = Callable[..., Any]


async def test_a_scope_the_key_lacks_fails_at_start_up_naming_it(make_client: MakeClient) -> None:
    client = await make_client("dartmouth", api_key=Secret(creds.DARTMOUTH_BASIC_KEY),
                               scopes=("urn:dartmouth:students:read.sensitive",
                                       "urn:dartmouth:students:read.highlysensitive"))
    with pytest.raises(MissingScope) as caught:
        await client.prepare()
    assert caught.value.missing == ["urn:dartmouth:students:read.highlysensitive"]
    assert creds.DARTMOUTH_BASIC_KEY not in str(caught.value)


async def test_the_jwt_is_renewed_from_its_exp(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    sandbox.faults("dartmouth", token_ttl_s=2)
    client = await make_client("dartmouth")
    await client.prepare()
    assert client.auth.ready
    assert set(client.auth.accepted_scopes) == set(creds.DARTMOUTH_ALL_SCOPES)


async def test_paging_follows_the_found_set_to_the_end(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth", page_size=40)
    pages = [page async for page in client.pages(routes.LIST_STUDENTS, ttl=0)]
    netids = [s["netid"] for page in pages for s in page]
    assert len(pages) > 2 and all(len(p) == 40 for p in pages[:-1])
    assert len(netids) == len(set(netids))  # no record twice across pages
    later = [r for r in sandbox.requests("dartmouth")["requests"] if r["route"] == routes.LIST_STUDENTS.key][1:]
    assert later and all("continuation_key=" in r["query"] for r in later)


async def test_a_page_size_above_dartmouths_cap_still_reads_every_page(sandbox: SandboxProcess,
                                                                      make_client: MakeClient) -> None:
    """Dartmouth answers at most 1000 rows a page whatever ``pagesize`` asks: a larger configured size must not
    take the first (capped) page for a short last one and drop the rest of the found set."""
    client = await make_client("dartmouth", page_size=routes.MAX_PAGE_SIZE * 2)
    pages = [page async for page in client.pages(routes.LIST_ENROLLMENTS, ttl=0)]
    ids = [e["id"] for page in pages for e in page]
    calls = [r for r in sandbox.requests("dartmouth")["requests"] if r["route"] == routes.LIST_ENROLLMENTS.key]
    held = sandbox.records("dartmouth", "enrollments")["count"]
    assert held > routes.MAX_PAGE_SIZE  # else the test shows nothing
    assert len(ids) == len(set(ids)) == held, f"{len(ids)} of {held} enrollments in {len(calls)} calls"
    assert all(f"pagesize={routes.MAX_PAGE_SIZE}" in r["query"] for r in calls)
