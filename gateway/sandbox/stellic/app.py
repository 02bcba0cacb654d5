"""Stellic simulator: bearer personal access tokens, Partner API v1 and bulk exports (minimal first cut)."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from gateway.sandbox import credentials as creds
from gateway.sandbox.simulator import Call, SandboxError, Simulator, handles
from gateway.sandbox.world import STELLIC, World
from gateway.vendors.stellic.routes import ROUTES

TOKENS = {creds.STELLIC_PAT: frozenset({"read", "write", "export"}),
          creds.STELLIC_READONLY_PAT: frozenset({"read"})}


class StellicSimulator(Simulator):
    vendor = "stellic"
    routes = ROUTES
    max_body_bytes = 10_000_000

    def load(self, world: World) -> None:
        self.stores["students"] = {
            p.key: {"username": p.key, "id": p.stellic_id, "engagement_score": p.engagement_score}
            for p in world.students(STELLIC)
        }

    async def authenticate(self, call: Call) -> None:
        header = call.request.headers.get("authorization", "")
        scopes = TOKENS.get(header.removeprefix("Bearer ").strip()) if header.startswith("Bearer ") else None
        if scopes is None:
            raise SandboxError(401, "Authentication token is missing or wrong")
        call.client, call.scopes = header[-8:], scopes

    @handles("get_student_property")
    async def get_student_property(self, call: Call) -> Response:
        student = self.stores["students"].get(call.params["student_username"])
        if student is None:
            raise SandboxError(404, "Student not found")
        if call.params["property"] != "engagement_score":
            raise SandboxError(400, "property must be engagement_score")
        return JSONResponse({"engagement_score": {"score": student["engagement_score"]}, "success": True})
