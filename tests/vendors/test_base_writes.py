"""The write rules of the shared request path: a PUT or DELETE of a named record is sent again after a lost
answer (repeating it changes nothing); a GET that starts work at the vendor (a Stellic export) never is."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from gateway.vendors.errors import VendorUnavailable
from gateway.vendors.stellic import routes as stellic_routes
from tests.sandboxproc import SandboxProcess

MakeClient = Callable[..., Any]
TIMINGS = stellic_routes.ROUTES["update_section_timings"]
EXPORT = stellic_routes.ROUTES["export_data"]


def count(sandbox: SandboxProcess, route: str) -> int:
    return int(sandbox.requests("stellic")["by_route"].get(route, 0))


async def test_a_put_whose_answer_was_lost_is_sent_again_and_succeeds(sandbox: SandboxProcess,
                                                                      make_client: MakeClient) -> None:
    client = await make_client("stellic", http={"timeout_s": 0.6, "retries": 2})
    section = sandbox.records("stellic", "sections")["ids"][0]
    sandbox.faults("stellic", route=TIMINGS.key, latency_ms=1500)

    async def vendor_recovers() -> None:  # after the first attempt arrived, before the client gives up on it
        await asyncio.sleep(0.3)
        await asyncio.to_thread(sandbox.faults, "stellic", route=TIMINGS.key, latency_ms=None)

    recovery = asyncio.create_task(vendor_recovers())
    answer = await client.update_section_timings(section, [])
    await recovery
    assert answer.section == section and answer.timings == ()
    await asyncio.sleep(1.0)  # the abandoned first attempt finishes at the sandbox
    assert count(sandbox, TIMINGS.key) == 2


async def test_an_export_is_never_repeated(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("stellic", http={"retries": 2})
    sandbox.faults("stellic", route=EXPORT.key, fail_next=1, error_status=503)
    with pytest.raises(VendorUnavailable):
        await client.export_data("user_groups")
    assert count(sandbox, EXPORT.key) == 1
    assert not EXPORT.idempotent and TIMINGS.idempotent
