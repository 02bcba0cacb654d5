"""The crosswalk under non-default rules (CAMPUSGRAPH_CROSSWALK_*), through a real gateway of their own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.gateway.test_students import PERSON, linked_student
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess

TEMPLATE = "{key}@dartmouth.edu"


@pytest.fixture(scope="module")
def templated_gateway(sandbox_process: SandboxProcess) -> Iterator[GatewayProcess]:
    """Stellic usernames are the netid with a domain after it (keys still compare ignoring case, the default)."""
    proc = GatewayProcess(sandbox_env(sandbox_process, crosswalk_stellic_username=TEMPLATE)).start()
    yield proc
    proc.stop()


def test_a_templated_username_compares_ignoring_case_as_every_key_does(templated_gateway: GatewayProcess,
                                                                        sandbox: SandboxProcess) -> None:
    """Keys compare ignoring case, the template's own text too: F0A1B2C@Dartmouth.EDU is the username of f0a1b2c,
    one person, one global id, where it was taken as a key of its own that no vendor has (null)."""
    netid = linked_student()
    by_netid = templated_gateway.query(PERSON, {"netid": netid})["data"]["student"]
    assert by_netid is not None and by_netid["netid"] == netid
    for username in (TEMPLATE.format(key=netid), f"{netid.upper()}@Dartmouth.EDU"):
        assert templated_gateway.query(PERSON, {"username": username})["data"]["student"] == by_netid, username
