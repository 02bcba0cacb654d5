"""The caller of one request and the scope vocabulary of the gateway."""

from __future__ import annotations

from dataclasses import dataclass

# Every scope the gateway knows, mirroring the vendors' own; README's "Access control" table explains each.
SCOPES: dict[str, str] = {
    "students:read": "basic student and staff directory data: names, emails, ids, status, class year, advisors",
    "students:read.sensitive": "sensitive student data: holds, enrollments and rosters, each vendor's detail record",
    "students:read.gpa": "GPA (Dartmouth's highly sensitive data)",
    "people:private": "FERPA-protected people; without it they are hidden entirely, as Dartmouth hides them",
    "enrollments:read.grades": "final grades",
    "hubmis:read.sensitive": "HUBmis sensitive areas: attendance, consent, contacts",
    "stellic:write": "Stellic writes",
    "enrollments:write": "Dartmouth enrollment writes (course assessment)",
    "exports:run": "Stellic bulk exports",
    "graphql:introspect": "introspection in production mode",
}
BASIC_SCOPES = ("students:read",)


@dataclass(frozen=True)
class Viewer:
    """An authenticated caller: ``id`` names them in logs and audit records, never a credential."""

    id: str
    kind: str  # "user" (JWT) | "service" (API key)
    scopes: frozenset[str]

    def has(self, scope: str) -> bool:
        return scope in self.scopes


ANONYMOUS = Viewer(id="anonymous", kind="anonymous", scopes=frozenset())
