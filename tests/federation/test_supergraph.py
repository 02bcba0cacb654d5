"""campusgraph as an Apollo Federation v2 subgraph: composed with a second subgraph by a real composition library
(@theguild/federation-composition) and queried through a real gateway (Hive Gateway's runtime), both ways round:
campusgraph's Student gains the library's field, and the library's students get campusgraph's fields.

The Node side lives here (package.json, package-lock.json); `make test` installs it with `npm ci`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.federation.library_subgraph import BORROWERS, student_id
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess, free_port
from tests.scratch import scratch_dir

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
ENTITIES = ("Student", "Staff", "Section", "Enrollment", "Hold")


def node() -> str:
    binary = shutil.which("node")
    if binary is None or shutil.which("npm") is None:
        pytest.fail("node and npm are needed for the supergraph test (Node 20+, npm from the npm registry)")
    if not (HERE / "node_modules" / "@graphql-hive" / "gateway-runtime").is_dir():
        pytest.fail("tests/federation/node_modules is missing: run `make test` (it runs `npm ci` there)")
    return binary


def wait_until_answers(url: str, proc: subprocess.Popen[str], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            httpx.post(url, json={"query": "{ __typename }"}, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{what} did not start in {timeout}s")


@pytest.fixture(scope="module")
def campusgraph(sandbox_process: SandboxProcess) -> Iterator[GatewayProcess]:
    proc = GatewayProcess(sandbox_env(sandbox_process)).start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def library() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "tests.federation.library_subgraph:app", "--port",
                             str(port), "--log-level", "warning"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        wait_until_answers(url, proc, "the library subgraph")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def supergraph(campusgraph: GatewayProcess, library: str) -> Iterator[tuple[str, str, dict[str, str]]]:
    """(supergraph SDL, the Hive gateway's URL, the headers a caller sends)."""
    binary = node()
    work = scratch_dir("supergraph-")
    headers = campusgraph.bearer()  # the router passes the caller's Authorization on to campusgraph
    composed = subprocess.run(
        [binary, "compose.mjs", str(work / "supergraph.graphql"), f"campusgraph={campusgraph.url}/graphql",
         f"library={library}"], cwd=HERE, capture_output=True, text=True, timeout=60,
        env={**os.environ, "SUBGRAPH_HEADERS": json.dumps(headers)})
    assert composed.returncode == 0, composed.stderr + composed.stdout
    sdl = (work / "supergraph.graphql").read_text()
    port = free_port()
    proc = subprocess.Popen([binary, "gateway.mjs", str(work / "supergraph.graphql"), str(port)], cwd=HERE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        wait_until_answers(url, proc, "Hive Gateway")
        yield sdl, url, headers
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def through(supergraph: tuple[str, str, dict[str, str]], query: str) -> dict[str, Any]:
    _, url, headers = supergraph
    response = httpx.post(url, json={"query": query}, headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    assert "errors" not in result, result
    return result["data"]  # type: ignore[no-any-return]


def test_campusgraph_composes_into_a_supergraph_with_its_entities_keyed(
        supergraph: tuple[str, str, dict[str, str]]) -> None:
    sdl = supergraph[0]

    def header(type_name: str) -> str:
        found = re.search(rf"^type {type_name} [^{{]*", sdl, re.M)
        assert found is not None, type_name
        return found[0]

    for entity in ENTITIES:
        assert '@join__type(graph: CAMPUSGRAPH, key: "id")' in header(entity)
    assert '@join__type(graph: LIBRARY, key: "id")' in header("Student")


def test_a_query_through_the_gateway_joins_both_subgraphs_both_ways(
        supergraph: tuple[str, str, dict[str, str]], campusgraph: GatewayProcess) -> None:
    # campusgraph's root field, with the library's field on campusgraph's Student (the library's _entities).
    data = through(supergraph, '{ student(netid: "d59951y") { id netid firstName lastName libraryLoans { title } } }')
    direct = campusgraph.query('{ student(netid: "d59951y") { id netid firstName lastName } }')["data"]["student"]
    student = data["student"]
    assert {k: student[k] for k in direct} == direct
    assert student["libraryLoans"] and all(loan["title"] for loan in student["libraryLoans"])

    # The library's root field, with campusgraph's fields on the library's students (campusgraph's _entities).
    data = through(supergraph, "{ borrowers { netid firstName dartmouth { gradTerm } libraryLoans { due } } }")
    assert [b["netid"] for b in data["borrowers"]] == list(BORROWERS)
    assert all(b["firstName"] and b["libraryLoans"] for b in data["borrowers"])
    assert data["borrowers"][0]["dartmouth"]["gradTerm"]


def test_entities_need_the_same_scope_as_node(campusgraph: GatewayProcess) -> None:
    query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Student { netid lastName } } }"
    representations = {"r": [{"__typename": "Student", "id": student_id("d59951y")}]}
    allowed = campusgraph.post(query, representations, headers=campusgraph.bearer(["students:read"])).json()
    assert allowed["data"]["_entities"][0]["netid"] == "d59951y" and "errors" not in allowed
    refused = campusgraph.post(query, representations, headers=campusgraph.bearer(["exports:run"])).json()
    assert refused["data"]["_entities"] == [None]
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    assert refused["errors"][0]["extensions"]["scope"] == "students:read"
