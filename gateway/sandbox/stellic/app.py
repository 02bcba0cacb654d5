"""Stellic simulator: bearer personal access tokens with scopes, Partner API v1 and bulk exports.

The handlers live in one module per resource family (students, reads, enrollments, sections, holds,
exports); this class joins them and adds what is Stellic-wide: the PAT check, scopes, the error body
and the rate-limit answer (Stellic documents a 429 but no numbers, so the limit is off by default).
"""

from __future__ import annotations

from typing import Any

from gateway.sandbox import credentials as creds
from gateway.sandbox.ratelimit import RateDecision
from gateway.sandbox.simulator import Call, SandboxError
from gateway.sandbox.stellic.enrollments import EnrollmentHandlers
from gateway.sandbox.stellic.exports import ExportHandlers
from gateway.sandbox.stellic.holds import HoldHandlers
from gateway.sandbox.stellic.reads import StudentReadHandlers
from gateway.sandbox.stellic.sections import SectionHandlers
from gateway.sandbox.stellic.students import StudentHandlers
from gateway.sandbox.stellic.validate import error_body
from gateway.vendors.stellic.routes import ROUTES

# The scope each route needs. Stellic names scopes by resource (plan, course, audit, program, ...);
# the sandbox splits each into read and write so that the read-only token can be refused writes.
ROUTE_SCOPES = {
    "create_program_enrollment": "program:write",
    "replace_course_enrollments": "course:write",
    "create_section_enrollment": "course:write",
    "update_section_enrollment": "course:write",
    "patch_section_enrollment": "course:write",
    "delete_section_enrollment": "course:write",
    "update_section_enrollment_info": "section:write",
    "create_section": "section:write",
    "bulk_update_section_enrollment_info": "section:write",
    "create_section_restriction": "section:write",
    "delete_section_restriction": "section:write",
    "update_section_timings": "section:write",
    "bulk_update_section_timings": "section:write",
    "export_students_by_property": "student:read",
    "get_student_property": "student:read",
    "get_student_audit": "audit:read",
    "get_student_custom_audit": "audit:read",
    "get_student_planner": "plan:read",
    "create_student_profile": "student:write",
    "add_student_tag": "student:write",
    "remove_student_tag": "student:write",
    "create_school_enrollment": "student:write",
    "delete_school_enrollment": "student:write",
    "create_department_enrollment": "student:write",
    "delete_department_enrollment": "student:write",
    "create_hold": "hold:write",
    "update_hold": "hold:write",
    "delete_hold": "hold:write",
    "create_registration_time": "registration:write",
    "update_registration_time": "registration:write",
    "delete_registration_time": "registration:write",
    "export_data": "export",  # bulk exports need a superadmin identity (seed 001)
    "get_export_url": "export",
}
ALL_SCOPES = frozenset(ROUTE_SCOPES.values())
TOKENS = {
    creds.STELLIC_PAT: ALL_SCOPES,
    creds.STELLIC_READONLY_PAT: frozenset(s for s in ALL_SCOPES if not s.endswith(":write")),
}


class StellicSimulator(StudentHandlers, StudentReadHandlers, EnrollmentHandlers, SectionHandlers, HoldHandlers,
                       ExportHandlers):
    vendor = "stellic"
    routes = ROUTES
    public_routes = frozenset({"download_export_file"})  # a pre-signed URL carries its own credentials

    async def authenticate(self, call: Call) -> None:
        header = call.request.headers.get("authorization", "")
        scopes = TOKENS.get(header.removeprefix("Bearer ").strip()) if header.startswith("Bearer ") else None
        if scopes is None:
            raise SandboxError(401, "API token was not provided or the provided API token was incorrect.")
        call.client, call.scopes = header.removeprefix("Bearer ").strip(), scopes
        needed = ROUTE_SCOPES[call.route.name]
        if needed not in scopes:
            raise SandboxError(403, f"The provided API token does not have the necessary privileges "
                                    f"to perform this action (scope {needed}).")

    def error_body(self, status: int, message: str) -> Any:
        return error_body(message)

    def rate_limit_headers(self, decision: RateDecision) -> dict[str, str]:
        """Stellic documents no rate-limit headers; only a refused call says when to come back."""
        return {} if decision.allowed else {"Retry-After": str(decision.retry_after_s)}
