"""Dartmouth API simulator: API key -> scoped JWT, then students (minimal first cut)."""

from __future__ import annotations

import secrets
import time
from typing import Any

from starlette.responses import JSONResponse, Response

from gateway.sandbox import credentials as creds
from gateway.sandbox.simulator import Call, SandboxError, Simulator, handles
from gateway.sandbox.world import DARTMOUTH, World
from gateway.vendors.dartmouth.routes import ROUTES

KEYS = {creds.DARTMOUTH_API_KEY: frozenset(creds.DARTMOUTH_ALL_SCOPES),
        creds.DARTMOUTH_BASIC_KEY: frozenset(creds.DARTMOUTH_BASIC_SCOPES)}


class DartmouthSimulator(Simulator):
    vendor = "dartmouth"
    routes = ROUTES
    public_routes = frozenset({"get_jwt"})

    def load(self, world: World) -> None:
        self.jwts: dict[str, tuple[str, frozenset[str], float]] = {}
        self.stores["students"] = {
            p.key: {"netid": p.key, "school_id": p.school_id, "class_year": p.class_year}
            for p in world.students(DARTMOUTH)
        }

    def error_body(self, status: int, message: str) -> Any:
        return {"message": "Unauthorized" if status == 401 else message}

    async def authenticate(self, call: Call) -> None:
        header = call.request.headers.get("authorization", "")
        token = header.removeprefix("Bearer ").strip()
        found = self.jwts.get(token)
        if not header.startswith("Bearer ") or found is None or found[2] < time.time():
            raise SandboxError(401, "Unauthorized")
        call.client, call.scopes = found[0], found[1]

    @handles("get_jwt")
    async def get_jwt(self, call: Call) -> Response:
        key = call.request.headers.get("authorization", "")
        granted = KEYS.get(key)
        if granted is None:
            raise SandboxError(401, "Unauthorized")
        asked = call.query.get("scope", "").split()
        accepted = [s for s in asked if s in granted]
        token, exp = secrets.token_hex(24), time.time() + self.token_ttl_s()
        self.jwts[token] = (key, frozenset(accepted), exp)
        return JSONResponse({"jwt": token, "payload": {"exp": int(exp), "scope": accepted},
                             "accepted_scopes": accepted})

    @handles("get_student")
    async def get_student(self, call: Call) -> Response:
        if "urn:dartmouth:students:read.sensitive" not in call.scopes:
            raise SandboxError(403, "Forbidden")
        student = self.stores["students"].get(call.params["netid"])
        if student is None:
            raise SandboxError(404, "Not Found")
        return JSONResponse(student)
