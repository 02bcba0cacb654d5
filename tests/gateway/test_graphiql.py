"""GraphiQL's page, and turning it off (CAMPUSGRAPH_GRAPHIQL_ENABLED=false) where a deployment wants no IDE."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from gateway.settings import Settings
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
QUERY = '{ student(netid: "d59951y") { netid } }'


@pytest.fixture(scope="module")
def no_ide(sandbox_process: SandboxProcess) -> Iterator[GatewayProcess]:
    proc = GatewayProcess(sandbox_env(sandbox_process, env="production", graphiql_enabled="false")).start()
    yield proc
    proc.stop()


def test_graphiql_is_on_unless_turned_off() -> None:
    base = {"CAMPUSGRAPH_STELLIC_BASE_URL": "http://127.0.0.1:8101", "CAMPUSGRAPH_STELLIC_TOKEN": "t",
            "CAMPUSGRAPH_HUBMIS_BASE_URL": "http://127.0.0.1:8102", "CAMPUSGRAPH_HUBMIS_CLIENT_ID": "c",
            "CAMPUSGRAPH_HUBMIS_CLIENT_SECRET": "s", "CAMPUSGRAPH_HUBMIS_REALM": "r",
            "CAMPUSGRAPH_DARTMOUTH_BASE_URL": "http://127.0.0.1:8103", "CAMPUSGRAPH_DARTMOUTH_API_KEY": "k",
            "CAMPUSGRAPH_AUTH_DEV_KEY": "k" * 40}
    assert Settings.from_env(base).graphiql_enabled
    assert Settings.from_env({**base, "CAMPUSGRAPH_ENV": "production"}).graphiql_enabled  # the README's demo mode
    assert not Settings.from_env({**base, "CAMPUSGRAPH_GRAPHIQL_ENABLED": "false"}).graphiql_enabled


def test_the_root_address_leads_a_browser_to_graphiql(gateway: GatewayProcess) -> None:
    """http://127.0.0.1:8000/ answered a plain-text "Not Found": whoever typed the address without /graphql learnt
    nothing of where the endpoint is."""
    page = httpx.get(f"{gateway.url}/", headers=BROWSER, follow_redirects=True)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"], page.text[:200]
    assert str(page.url) == f"{gateway.url}/graphql" and "graphiql" in page.text.lower()


def test_turned_off_a_browser_is_told_so_and_queries_by_get_still_run(no_ide: GatewayProcess) -> None:
    """GraphiQL was served in every mode, production too; turned off, a browser's GET said only "Not Found"."""
    page = httpx.get(f"{no_ide.url}/graphql", headers=BROWSER)
    assert page.status_code == 404 and "graphiql" not in page.headers["content-type"]
    error = page.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "GraphiQL is turned off" in error["message"] and "CAMPUSGRAPH_GRAPHIQL_ENABLED" in error["message"]
    by_get = httpx.get(f"{no_ide.url}/graphql", params={"query": QUERY}, headers={**BROWSER, **no_ide.bearer()})
    assert by_get.status_code == 200 and by_get.json()["data"]["student"]["netid"] == "d59951y", by_get.text
    assert no_ide.query(QUERY)["data"]["student"]["netid"] == "d59951y"


def test_on_by_default_in_production_mode_too(sandbox_process: SandboxProcess) -> None:
    proc = GatewayProcess(sandbox_env(sandbox_process, env="production")).start()
    try:
        page = httpx.get(f"{proc.url}/graphql", headers=BROWSER)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    finally:
        proc.stop()
