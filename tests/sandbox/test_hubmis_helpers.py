"""A tiny HUBmis client for the contract tests: token, Realm header, and JSON GETs."""

from __future__ import annotations

from typing import Any

import httpx

from tests.sandboxproc import SandboxProcess

CLIENT = {"grant_type": "client_credentials", "client_id": "sandbox-client", "client_secret": "sandbox-secret"}
REALM = "S999"


def token(sandbox: SandboxProcess, **body: Any) -> httpx.Response:
    """POST /api/v1/token, form-encoded (as in the seed's intro example)."""
    return httpx.post(f"{sandbox.url('hubmis')}/api/v1/token", data={**CLIENT, **body})


class Hub:
    """Authenticated calls to the HUBmis sandbox with the Realm header."""

    def __init__(self, sandbox: SandboxProcess, realm: str | None = REALM) -> None:
        self.base = f"{sandbox.url('hubmis')}/api/v1"
        response = token(sandbox)
        assert response.status_code == 200, response.text
        self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
        if realm is not None:
            self.headers["Realm"] = realm
        self.http = httpx.Client(timeout=30)

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> httpx.Response:
        return self.http.get(self.base + path, params=params, headers={**self.headers, **headers})

    def json(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        response = self.get(path, params, **headers)
        assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
        return response.json()

    def all_pages(self, path: str, params: dict[str, Any] | None = None, size: int = 100) -> list[dict[str, Any]]:
        """Walk ``page[number]`` from 1 until a page shorter than ``page[size]``, as a client would."""
        items: list[dict[str, Any]] = []
        number = 1
        while True:
            page = self.json(path, {**(params or {}), "page[number]": number, "page[size]": size})
            assert isinstance(page, list)
            items += page
            if len(page) < size:
                return items
            number += 1

    def years(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(previous, active) academic years."""
        years = self.json("/academic-years")
        active = next(y for y in years if y["is_active"])
        previous = next(y for y in years if not y["is_active"])
        return previous, active
