"""Helpers shared by the Stellic simulator's contract tests (no tests here)."""

from __future__ import annotations

import time
from functools import cache
from typing import Any

import httpx

from gateway.sandbox.population import build_world
from gateway.sandbox.world import World
from tests.sandboxproc import SandboxProcess

API = "/partnerapi/v1"
PAT = "sandbox-stellic-pat"
READONLY = "sandbox-stellic-readonly"


def client(sandbox: SandboxProcess, token: str | None = PAT) -> httpx.Client:
    """An HTTP client on the Stellic sandbox's host root, sending the PAT as Stellic asks."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=sandbox.url("stellic"), headers=headers, timeout=30)


@cache
def _world(seed: int, students: int) -> World:
    return build_world(seed, students)


def world(sandbox: SandboxProcess) -> World:
    """The world the sandbox derives its data from, to pick test inputs without listing every record."""
    return _world(sandbox.seed, sandbox.students)


def current_term(sandbox: SandboxProcess) -> str:
    return world(sandbox).current_term.stellic_id


def section_in(sandbox: SandboxProcess, term: str, not_courses: frozenset[str] | set[str] = frozenset(),
               ) -> dict[str, str]:
    """A section of ``term`` whose course is not in ``not_courses``: its Stellic id, CRN and course code."""
    for s in world(sandbox).sections.values():
        if s.term.stellic_id == term and s.course.code not in not_courses:
            return {"id": str(s.stellic_id), "external_id": s.crn, "course": s.course.code, "term": term}
    raise AssertionError(f"no section in term {term}")


def record(sandbox: SandboxProcess, kind: str, record_id: str) -> Any:
    """The simulator's stored record, or None when it does not exist."""
    response = httpx.get(f"{sandbox.url('stellic')}/_sandbox/records/{kind}/{record_id}", timeout=30)
    return None if response.status_code == 404 else response.json()


def ids(sandbox: SandboxProcess, kind: str) -> list[str]:
    result: list[str] = sandbox.records("stellic", kind)["ids"]
    return result


def csv_lines(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return response.text.splitlines()


def fields(response: httpx.Response) -> set[str]:
    """The fields named by an error body's ``errors``."""
    return {e.get("field") for e in response.json()["errors"]}


def wait_for_export(http: httpx.Client, file_name: str, limit_s: float = 10.0) -> list[str]:
    """Poll get_export_url until completed; the statuses seen, in order (url checked by the caller)."""
    seen: list[str] = []
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        body = http.get("/exports/get_export_url/", params={"file_name": file_name}).json()
        if not seen or seen[-1] != body["status"]:
            seen.append(body["status"])
        if body["status"] == "completed":
            return seen
        time.sleep(0.1)
    raise AssertionError(f"export {file_name} did not complete: {seen}")


def export_async(http: httpx.Client, data_type: str, **params: Any) -> tuple[dict[str, Any], str]:
    """Run an async export to the end: (the E1 body, the downloaded CSV fetched without the PAT)."""
    started = http.get(f"/exports/export_data/{data_type}",
                       params={"output_format": "csv", "delivery_channel": "s3", **params})
    assert started.status_code == 200, started.text
    body = started.json()
    wait_for_export(http, body["data"]["file_name"])
    url = http.get("/exports/get_export_url/", params={"file_name": body["data"]["file_name"]}).json()["url"]
    download = httpx.get(url, timeout=30)
    assert download.status_code == 200, download.text
    return body, download.text
