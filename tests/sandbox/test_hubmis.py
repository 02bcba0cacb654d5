"""HUBmis sandbox contract: token call, Realm and academic-year-id headers, rate limit, errors."""

from __future__ import annotations

import time

import httpx

from tests.sandbox.test_hubmis_helpers import CLIENT, Hub, token
from tests.sandboxproc import SandboxProcess


def test_token_from_a_form_encoded_body(sandbox: SandboxProcess) -> None:
    response = token(sandbox)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900 and body["access_token"]
    assert set(body) == {"token_type", "expires_in", "access_token"}


def test_token_from_a_json_body_works_for_calls(sandbox: SandboxProcess) -> None:
    response = httpx.post(f"{sandbox.url('hubmis')}/api/v1/token", json=CLIENT)
    assert response.status_code == 200 and response.json()["expires_in"] == 900
    headers = {"Authorization": f"Bearer {response.json()['access_token']}", "Realm": "S999"}
    assert httpx.get(f"{sandbox.url('hubmis')}/api/v1/students/56", headers=headers).status_code == 200


def test_wrong_credentials_and_grant_are_refused(sandbox: SandboxProcess) -> None:
    wrong = token(sandbox, client_secret="nope")
    assert wrong.status_code == 401
    assert wrong.json()["message"] == "Client authentication failed" and wrong.json()["error"] == "invalid_client"
    assert token(sandbox, client_id="someone-else").status_code == 401
    grant = token(sandbox, grant_type="password")
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"


def test_missing_unknown_or_tampered_token_is_401(sandbox: SandboxProcess) -> None:
    url = f"{sandbox.url('hubmis')}/api/v1/students/56"
    assert httpx.get(url, headers={"Realm": "S999"}).json() == {"message": "Unauthenticated."}
    assert httpx.get(url, headers={"Realm": "S999", "Authorization": "Bearer abc123.xyz"}).status_code == 401
    good = token(sandbox).json()["access_token"]
    head, payload, signature = good.split(".")
    forged = f"{head}.{payload[:-2]}AA.{signature}"
    assert httpx.get(url, headers={"Realm": "S999", "Authorization": f"Bearer {forged}"}).status_code == 401


def test_token_lifetime_follows_the_fault_switch_and_expiry_is_401(sandbox: SandboxProcess) -> None:
    sandbox.faults("hubmis", token_ttl_s=1)
    issued = token(sandbox).json()
    assert issued["expires_in"] == 1
    headers = {"Authorization": f"Bearer {issued['access_token']}", "Realm": "S999"}
    url = f"{sandbox.url('hubmis')}/api/v1/students/56"
    assert httpx.get(url, headers=headers).status_code == 200
    time.sleep(1.1)
    expired = httpx.get(url, headers=headers)
    assert expired.status_code == 401 and expired.json() == {"message": "Unauthenticated."}
    assert token(sandbox).json()["expires_in"] == 1  # a new token is the way out


def test_token_survives_a_sandbox_reset(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    sandbox.reset("hubmis")
    assert hub.get("/students/56").status_code == 200


def test_realm_header_is_required_and_must_be_the_clients(sandbox: SandboxProcess) -> None:
    missing = Hub(sandbox, realm=None).get("/students/56")
    assert missing.status_code == 400 and "Realm" in missing.json()["message"]
    wrong = Hub(sandbox, realm="S998").get("/students/56")
    assert wrong.status_code == 403 and "S998" in wrong.json()["message"]
    # the realm check runs after the rate limiter: the client still sees its budget
    assert wrong.headers["X-RateLimit-Limit"] == "500"
    # header names are case-insensitive; the parameter tables spell it "realm"
    assert Hub(sandbox, realm=None).get("/students/56", realm="S999").status_code == 200


def test_academic_year_id_header_selects_the_year_shown(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    previous, active = hub.years()
    now = hub.json("/students/56")
    before = hub.json("/students/56", **{"academic-year-id": str(previous["id"])})
    assert now["form"]["code"] == "9A" and now["form"]["year_group"]["code"] == "Y9"
    assert before["form"]["code"] == "8A" and before["form"]["year_group"]["code"] == "Y8"
    assert before["form"]["id"] != now["form"]["id"]
    assert hub.json("/students/56", **{"academic-year-id": str(active["id"])}) == now
    for bad in ("999", "last-year"):
        refused = hub.get("/students/56", **{"academic-year-id": bad})
        assert refused.status_code == 422 and "academic-year-id" in refused.json()["errors"]
    # endpoints that are not year-sensitive ignore the header
    assert hub.get("/rooms/123", **{"academic-year-id": "999"}).status_code == 200


def test_rate_limit_headers_and_429_with_a_unix_retry_time(sandbox: SandboxProcess) -> None:
    sandbox.faults("hubmis", rate_limit_bucket=3)
    hub = Hub(sandbox)
    seen = []
    for _ in range(3):
        response = hub.get("/students/56")
        assert response.status_code == 200 and response.headers["X-RateLimit-Limit"] == "3"
        seen.append(response.headers["X-RateLimit-Remaining"])
    assert seen == ["2", "1", "0"]
    limited = hub.get("/students/56")
    assert limited.status_code == 429 and limited.json() == {"message": "Too Many Requests"}
    assert limited.headers["X-RateLimit-Limit"] == "3" and limited.headers["X-RateLimit-Remaining"] == "0"
    retry_at = int(limited.headers["X-RateLimit-Retry-After"])
    assert time.time() < retry_at <= time.time() + 6  # a timestamp about one 5 s refill away, not seconds


def test_default_bucket_is_500_and_refills(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    first = hub.get("/rooms/123")
    assert (first.headers["X-RateLimit-Limit"], first.headers["X-RateLimit-Remaining"]) == ("500", "499")
    sandbox.faults("hubmis", rate_limit_bucket=2, rate_limit_refill_s=0.2)
    assert [hub.get("/rooms/123").status_code for _ in range(3)] == [200, 200, 429]
    time.sleep(0.25)
    assert hub.get("/rooms/123").status_code == 200


def test_filter_and_sort_names_are_checked(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    unknown = hub.get("/students", {"filter[colour]": "red"})
    assert unknown.status_code == 400 and "yearGroup" in unknown.json()["message"]
    typed = hub.get("/students", {"filter[gender]": "male"})
    assert typed.status_code == 422
    assert typed.json()["errors"] == {"filter.gender": ["The filter.gender must be an integer."]}
    assert hub.get("/students", {"sort[shoeSize]": "asc"}).status_code == 400
    assert hub.get("/students", {"sort[lastName]": "up"}).status_code == 422


def test_unknown_records_are_404(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    for path in ("/students/99999", "/students/abc", "/staff/99999", "/contacts/99999", "/houses/99",
                 "/rooms/99999", "/academic-years/99/terms", "/sections/99"):
        response = hub.get(path)
        assert response.status_code == 404, path
        assert "message" in response.json()


def test_route_table_names_the_token_path_as_seed(sandbox: SandboxProcess) -> None:
    routes = sandbox.control("hubmis", "GET", "routes")
    assert {r["name"]: r["provenance"] for r in routes}["get_token"] == "seed"
    assert all(r["path"].startswith("/api/v1/") for r in routes)
    assert all(r["provenance"] == "inferred" for r in routes if r["name"] != "get_token")
