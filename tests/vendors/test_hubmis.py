"""The HUBmis client: page-number paging that stops on a short page, against the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from aiohttp import web

from gateway.vendors.cache import ResponseCache
from gateway.vendors.errors import VendorAuthError
from gateway.vendors.hubmis import routes
from gateway.vendors.hubmis.client import HubmisClient
from tests.sandboxproc import SandboxProcess
from tests.vendors.conftest import hubmis_config

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


@pytest.mark.parametrize("error", ["invalid_client", "unauthorized_client"])
async def test_an_oauth_400_refusing_the_client_is_an_auth_failure(sandbox: SandboxProcess, error: str) -> None:
    """OAuth 2.0 (RFC 6749, 5.2) answers a wrong client id or secret sent in the body with 400 invalid_client: it
    read as a malformed request of the gateway's (VENDOR_BAD_REQUEST), not as the credentials an operator must fix."""
    async def refuse(request: web.Request) -> web.Response:
        return web.json_response({"error": error, "error_description": "Client authentication failed"}, status=400)

    app = web.Application()
    app.router.add_post("/api/v1/token", refuse)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    client = HubmisClient(replace(hubmis_config(sandbox), base_url=f"http://127.0.0.1:{port}"),
                          cache=ResponseCache.create(None))
    await client.start()
    try:
        with pytest.raises(VendorAuthError) as refused:
            await client.prepare()
    finally:
        await client.close()
        await runner.cleanup()
    assert (refused.value.code, refused.value.status) == ("VENDOR_AUTH_FAILED", 400)
    assert "the client id or secret was refused" in str(refused.value)
