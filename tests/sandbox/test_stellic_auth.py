"""Stellic simulator: PAT and scopes, the route table, the 10 MB limit and the (off by default) rate limit."""

from __future__ import annotations

import json

import httpx
import pytest

from gateway.vendors.routes import Route
from gateway.vendors.stellic.routes import ROUTES
from tests.sandbox.test_stellic_helpers import API, READONLY, client, record
from tests.sandboxproc import SandboxProcess

WRITES = [r for r in ROUTES if r.method != "GET"]


def test_missing_or_wrong_token_is_401(sandbox: SandboxProcess) -> None:
    path = f"{API}/students/mabbott/engagement_score"
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Token sandbox-stellic-pat"}):
        response = httpx.get(sandbox.url("stellic") + path, headers=headers)
        assert response.status_code == 401
        assert response.json()["success"] is False and "token" in response.json()["message"]


@pytest.mark.parametrize("route", WRITES, ids=[r.name for r in WRITES])
def test_readonly_token_is_refused_every_write(sandbox: SandboxProcess, route: Route) -> None:
    path = route.url(**{p: "57568" for p in route.params})
    with client(sandbox, READONLY) as http:
        response = http.request(route.method, path, json={"timestamp": "2024-01-01 10:00"})
    assert response.status_code == 403, response.text
    assert "scope" in response.json()["message"]
    assert record(sandbox, "registration_times", "57568")["timestamp"] == "2023-05-11 14:30"


def test_readonly_token_reads_and_exports(sandbox: SandboxProcess) -> None:
    with client(sandbox, READONLY) as http:
        assert http.get(f"{API}/students/mabbott/engagement_score").status_code == 200
        assert http.get(f"{API}/students/mabbott/planner/all/future").status_code == 200
        assert http.get("/exports/export_data/engagement_score", params={"output_format": "csv"}).status_code == 200


def test_route_table_served_with_provenance(sandbox: SandboxProcess) -> None:
    routes = {r["name"]: r for r in sandbox.control("stellic", "GET", "routes")}
    assert len(routes) == 34
    assert routes["create_section"]["path"] == "/partnerapi/v1/catalog/section/{id}"
    assert routes["create_section"]["provenance"] == "seed"
    assert routes["export_data"]["provenance"] == "seed"
    assert routes["get_export_url"]["path"] == "/exports/get_export_url/"
    assert routes["replace_course_enrollments"]["method"] == "PUT"
    assert routes["download_export_file"]["provenance"] == "inferred"


def test_wrong_method_is_405(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        assert http.get(f"{API}/holds").status_code == 405
        assert http.get(f"{API}/nothing/here").status_code == 404


def test_body_over_10_mb_is_413(sandbox: SandboxProcess) -> None:
    item = {"section": "1001", "timings": [{"start": "09:00", "end": "10:00", "day": "monday", "room": "1" * 200,
                                            "building": "Kemeny Hall"}]}
    body = json.dumps([item] * 42_000).encode()
    assert len(body) > 10_000_000
    with client(sandbox) as http:
        response = http.put(f"{API}/catalog/sections/timings", content=body,
                            headers={"Content-Type": "application/json"})
        assert response.status_code == 413
        # Without a Content-Length (chunked), the size of the body itself is checked.
        chunked = http.put(f"{API}/catalog/sections/timings", content=iter([body[:6_000_000], body[6_000_000:]]),
                           headers={"Content-Type": "application/json"})
        assert "content-length" not in chunked.request.headers
        assert chunked.status_code == 413
    assert record(sandbox, "sections", "1001")["timings"][0]["room"] != "1" * 200


def test_no_rate_limit_by_default(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        statuses = {http.get(f"{API}/students/mabbott/engagement_score").status_code for _ in range(20)}
    assert statuses == {200}


def test_rate_limit_switch_answers_429_with_retry_after(sandbox: SandboxProcess) -> None:
    sandbox.faults("stellic", rate_limit_bucket=2, rate_limit_refill_s=30)
    with client(sandbox) as http:
        first = [http.get(f"{API}/students/mabbott/engagement_score") for _ in range(2)]
        refused = http.get(f"{API}/students/sstanton/engagement_score")
    assert [r.status_code for r in first] == [200, 200]
    assert "x-ratelimit-limit" not in first[0].headers  # Stellic documents no budget headers
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 30
    assert refused.json()["success"] is False


def test_injected_429_carries_retry_after(sandbox: SandboxProcess) -> None:
    sandbox.faults("stellic", fail_next=1, error_status=429, retry_after_s=7)
    with client(sandbox) as http:
        response = http.get(f"{API}/students/mabbott/engagement_score")
    assert response.status_code == 429 and int(response.headers["retry-after"]) in (6, 7)
