"""Dartmouth simulator: the API key -> JWT exchange, scopes and 401s (contracts 3.1, 3.5)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterable
from typing import Any

import httpx
import pytest

from gateway.sandbox import credentials as creds
from gateway.sandbox.dartmouth import jwt
from tests.sandboxproc import SandboxProcess

STUDENTS = "urn:dartmouth:students:read.sensitive"
GPA = "urn:dartmouth:students:read.highlysensitive"
PRIVATE = "urn:dartmouth:people:private"
ENROLL_READ = "api:academic:enrollments:read"
ENROLL_SENSITIVE = "api:academic:enrollments:read.sensitive"
ENROLL_WRITE = "api:academic:enrollments:write"
ALL = creds.DARTMOUTH_ALL_SCOPES


def exchange(sandbox: SandboxProcess, scopes: Iterable[str] = ALL,
             key: str = creds.DARTMOUTH_API_KEY) -> httpx.Response:
    return httpx.post(f"{sandbox.url('dartmouth')}/api/jwt", headers={"Authorization": key},
                      params={"scope": " ".join(scopes)})


def claims(token: str) -> dict[str, Any]:
    """What any JWT library would read from the token without verifying it."""
    part = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


class Dartmouth:
    """A caller holding a JWT with the given scopes."""

    def __init__(self, sandbox: SandboxProcess, scopes: Iterable[str] = ALL,
                 key: str = creds.DARTMOUTH_API_KEY) -> None:
        self.base = sandbox.url("dartmouth")
        answer = exchange(sandbox, scopes, key)
        answer.raise_for_status()
        self.jwt = answer.json()["jwt"]
        self.headers = {"Authorization": f"Bearer {self.jwt}"}

    def get(self, path: str, **params: Any) -> httpx.Response:
        return httpx.get(self.base + path, headers=self.headers, params=params, timeout=30)

    def json(self, path: str, **params: Any) -> Any:
        response = self.get(path, **params)
        assert response.status_code == 200, response.text
        return response.json()

    def patch(self, path: str, body: Any) -> httpx.Response:
        return httpx.patch(self.base + path, headers=self.headers, json=body, timeout=30)


def test_jwt_holds_only_the_requested_scopes_the_key_has(sandbox: SandboxProcess) -> None:
    answer = exchange(sandbox, [ENROLL_READ, "urn:dartmouth:nope", STUDENTS])
    assert answer.status_code == 200
    body = answer.json()
    assert body["accepted_scopes"] == [ENROLL_READ, STUDENTS]
    assert body["payload"]["scope"] == [ENROLL_READ, STUDENTS]
    assert claims(body["jwt"]) == body["payload"]
    assert body["jwt"].count(".") == 2
    assert abs(body["payload"]["exp"] - (time.time() + 3600)) < 5
    assert body["payload"]["iat"] <= time.time() and body["payload"]["sub"]


def test_basic_key_is_granted_only_its_two_scopes(sandbox: SandboxProcess) -> None:
    body = exchange(sandbox, ALL, creds.DARTMOUTH_BASIC_KEY).json()
    assert sorted(body["accepted_scopes"]) == sorted(creds.DARTMOUTH_BASIC_SCOPES)


def test_no_scope_asked_means_none_accepted(sandbox: SandboxProcess) -> None:
    answer = httpx.post(f"{sandbox.url('dartmouth')}/api/jwt", headers={"Authorization": creds.DARTMOUTH_API_KEY})
    assert answer.json()["accepted_scopes"] == []
    api = Dartmouth(sandbox, [])
    forbidden = api.get("/api/students/f002qt1")
    assert forbidden.status_code == 403 and forbidden.json()["message"]
    assert api.get("/api/academic/terms").status_code == 200  # authentication alone opens the academic lists


@pytest.mark.parametrize("header", ["wrong-key", f"Bearer {creds.DARTMOUTH_API_KEY}", ""])
def test_bad_key_is_401(sandbox: SandboxProcess, header: str) -> None:
    answer = httpx.post(f"{sandbox.url('dartmouth')}/api/jwt", headers={"Authorization": header})
    assert answer.status_code == 401 and answer.json() == {"message": "Unauthorized"}


def test_get_on_jwt_is_405(sandbox: SandboxProcess) -> None:
    assert httpx.get(f"{sandbox.url('dartmouth')}/api/jwt").status_code == 405


def test_missing_unknown_or_tampered_jwt_is_401(sandbox: SandboxProcess) -> None:
    url = f"{sandbox.url('dartmouth')}/api/academic/terms"
    token = Dartmouth(sandbox, [ENROLL_READ]).jwt
    header, _, signature = token.split(".")
    forged = base64.urlsafe_b64encode(json.dumps({**claims(token), "scope": list(ALL)}).encode()).decode().rstrip("=")
    for headers in ({}, {"Authorization": "Bearer not.a.jwt"}, {"Authorization": token},
                    {"Authorization": f"Bearer {header}.{forged}.{signature}"}):
        answer = httpx.get(url, headers=headers)
        assert answer.status_code == 401 and answer.json() == {"message": "Unauthorized"}, headers


def test_expired_jwt_is_401_and_its_exp_says_when(sandbox: SandboxProcess) -> None:
    sandbox.faults("dartmouth", token_ttl_s=0.5)
    api = Dartmouth(sandbox, [STUDENTS])
    exp = claims(api.jwt)["exp"]
    assert exp <= time.time() + 1.5
    assert api.get("/api/students/f002qt1").status_code == 200
    time.sleep(max(0.0, exp - time.time()) + 0.1)
    expired = api.get("/api/students/f002qt1")
    assert expired.status_code == 401 and expired.json() == {"message": "Unauthorized"}


def test_routes_carry_provenance(sandbox: SandboxProcess) -> None:
    routes = {(r["method"], r["path"]): r["provenance"] for r in sandbox.control("dartmouth", "GET", "routes")}
    assert routes[("PATCH", "/api/academic/enrollments/{id}")] == "seed"
    assert routes[("GET", "/api/academic/holds")] == "inferred"
    assert routes[("GET", "/api/people/{netid}")] == "found"


def test_jwt_round_trip_and_tampering() -> None:
    token = jwt.encode({"sub": "a", "exp": 1}, b"secret")
    assert jwt.decode(token, b"secret") == {"sub": "a", "exp": 1}
    with pytest.raises(jwt.InvalidToken):
        jwt.decode(token, b"other secret")
    with pytest.raises(jwt.InvalidToken):
        jwt.decode(token + "x", b"secret")
    with pytest.raises(jwt.InvalidToken):
        jwt.decode("two.parts", b"secret")
