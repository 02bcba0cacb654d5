"""Run ``campusgraph serve`` as a real process against a sandbox, for tests and benchmarks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from gateway.auth.tokens import TokenPolicy
from gateway.auth.viewer import SCOPES
from gateway.sandbox import credentials as creds
from gateway.vendors.config import Secret
from tests.sandboxproc import SandboxProcess, free_port
from tests.scratch import scratch_dir


def sandbox_env(sandbox: SandboxProcess, **overrides: Any) -> dict[str, str]:
    """CAMPUSGRAPH_* settings for a gateway wired to ``sandbox``: base URLs and sandbox credentials."""
    env = {
        "CAMPUSGRAPH_AUTH_DEV_KEY": secrets.token_urlsafe(48),
        "CAMPUSGRAPH_STELLIC_BASE_URL": sandbox.url("stellic"),
        "CAMPUSGRAPH_STELLIC_TOKEN": creds.STELLIC_PAT,
        "CAMPUSGRAPH_HUBMIS_BASE_URL": sandbox.url("hubmis"),
        "CAMPUSGRAPH_HUBMIS_CLIENT_ID": creds.HUBMIS_CLIENT_ID,
        "CAMPUSGRAPH_HUBMIS_CLIENT_SECRET": creds.HUBMIS_CLIENT_SECRET,
        "CAMPUSGRAPH_HUBMIS_REALM": creds.HUBMIS_REALM,
        "CAMPUSGRAPH_DARTMOUTH_BASE_URL": sandbox.url("dartmouth"),
        "CAMPUSGRAPH_DARTMOUTH_API_KEY": creds.DARTMOUTH_API_KEY,
    }
    env.update({f"CAMPUSGRAPH_{k.upper()}": str(v) for k, v in overrides.items()})
    return env


@dataclass
class GatewayProcess:
    env: dict[str, str]
    port: int = 0
    proc: subprocess.Popen[str] | None = None
    log_path: str = ""
    extra_args: tuple[str, ...] = ()
    _client: httpx.Client | None = field(default=None, repr=False)
    _full: dict[str, str] | None = field(default=None, repr=False)

    def start(self, timeout: float = 30.0) -> GatewayProcess:
        self.port = self.port or free_port()
        self.log_path = str(scratch_dir("gateway-") / "gateway.log")
        log = open(self.log_path, "w")  # noqa: SIM115 - the process writes to it until stopped
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gateway.cli", "serve", "--port", str(self.port), *self.extra_args],
            stdout=log, stderr=subprocess.STDOUT, text=True,
            env={k: v for k, v in {**os.environ, **self.env}.items() if not k.startswith("CAMPUSGRAPH_")
                 or k in self.env})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gateway exited:\n{self.logs()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gateway did not become ready:\n{self.logs()}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def logs(self) -> str:
        with open(self.log_path) as f:
            return f.read()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def token(self, scopes: list[str] | None = None, subject: str = "tester") -> str:
        """A development token for this gateway (every scope unless told otherwise)."""
        policy = TokenPolicy(issuer="campusgraph", audience="campusgraph",
                             dev_key=Secret(self.env["CAMPUSGRAPH_AUTH_DEV_KEY"]))
        return policy.mint(subject, list(SCOPES) if scopes is None else scopes)

    def bearer(self, scopes: list[str] | None = None, subject: str = "tester") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(scopes, subject)}"}

    def post(self, query: str, variables: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None) -> httpx.Response:
        """One operation; with an every-scope token unless ``headers`` say otherwise."""
        if self._client is None:
            self._client = httpx.Client(timeout=60)
        if headers is None:
            if self._full is None:
                self._full = self.bearer()
            headers = self._full
        return self._client.post(f"{self.url}/graphql", json={"query": query, "variables": variables or {}},
                                 headers=headers)

    def query(self, query: str, variables: dict[str, Any] | None = None,
              scopes: list[str] | None = None) -> dict[str, Any]:
        """The JSON result (data and errors) of one operation, as a caller holding ``scopes`` (default: all)."""
        response = self.post(query, variables, None if scopes is None else self.bearer(scopes))
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result
