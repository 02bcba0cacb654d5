"""The gateway's mirror of HUBmis' rate budget follows the vendor back up after a spell of 429s.

The gateway counts HUBmis' budget itself (shared through Redis here, as the session's gateway has it), so it
causes no 429s; a 429 empties that count. Once HUBmis answers again, its ``X-RateLimit-Remaining`` must refill
the count: otherwise it stays near 0, refilling one request per 5 s (40 minutes to full), every HUBmis call waits
its 5 s and lists fail with VENDOR_RATE_LIMITED, although HUBmis' own bucket is full.
"""

from __future__ import annotations

import time

from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

RATE_REMAINING = "{ vendors { vendor rateRemaining } }"


def hubmis_left(gateway: GatewayProcess) -> int:
    result = gateway.query(RATE_REMAINING)
    (left,) = [v["rateRemaining"] for v in result["data"]["vendors"] if v["vendor"] == "HUBMIS"]
    assert isinstance(left, int), result
    return left


def test_the_hubmis_budget_comes_back_with_the_vendors_own_figure_after_429s(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    sandbox.faults("hubmis", error_rate=1.0, error_status=429)  # HUBmis refuses every call for a while
    spell = gateway.query("{ student(hubmisId: 56) { hubmis { dateOfBirth } } }")
    assert [e["extensions"]["code"] for e in spell["errors"]] == ["VENDOR_RATE_LIMITED"], spell
    assert hubmis_left(gateway) == 0
    refused = [r["status"] for r in sandbox.requests("hubmis")["requests"]].count(429)  # the call and its retries
    assert refused >= 1
    sandbox.faults("hubmis", error_rate=0.0)  # HUBmis recovered: its own bucket is nearly full
    # Two HUBmis reads at once: the first goes when the last 429's retry-after allows, and its answer says how much
    # HUBmis has left, so the second need not wait the 5 s a refill would take.
    other = next(i for i in sandbox.records("hubmis", "students")["ids"] if str(i) != "56")
    started = time.monotonic()
    result = gateway.query("""query($other: Int) { a: student(hubmisId: 56) { hubmis { dateOfBirth } }
                                                 b: student(hubmisId: $other) { hubmis { dateOfBirth } } }""",
                           {"other": int(other)})
    assert "errors" not in result and result["data"]["a"]["hubmis"] and result["data"]["b"]["hubmis"], result
    assert time.monotonic() - started < 3.5
    # HUBmis has spent a few of its 500 (the 429s cost none): the gateway's figure is HUBmis', less the calls it
    # cannot yet tell HUBmis has counted (those of the last minute).
    assert hubmis_left(gateway) >= 480
    started = time.monotonic()
    listed = gateway.query("{ students(source: HUBMIS, first: 5) { edges { node { hubmisId } } } }")
    assert "errors" not in listed, listed
    assert time.monotonic() - started < 2.0  # no 5 s wait for a refill
    statuses = [r["status"] for r in sandbox.requests("hubmis")["requests"]]
    assert statuses.count(429) == refused  # none since the spell
