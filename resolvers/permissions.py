"""Which scope each field needs: one table, applied to the schema when it is built.

A field the caller may not see resolves to null with one ``FORBIDDEN`` error naming the scope;
nothing is fetched for it. Every granted field under a sensitive scope is noted for the audit
trail (which fields, which records). FERPA-protected people are not a field rule: without
``people:private`` they are hidden entirely (see resolvers/port.py), as Dartmouth hides them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from strawberry.extensions.field_extension import FieldExtension
from strawberry.types import Info
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

from gateway.errors import GatewayError

# (GraphQL type, GraphQL field) -> scope. README's "Access control" table is this table.
FIELD_SCOPES: dict[tuple[str, str], str] = {
    ("Query", "student"): "students:read",
    ("Query", "students"): "students:read",
    ("Query", "staffMember"): "students:read",
    ("Query", "staff"): "students:read",
    ("Query", "node"): "students:read",
    ("Section", "instructors"): "students:read",  # staff directory data, as Query.staffMember
    ("Query", "enrollment"): "students:read.sensitive",
    ("Student", "holds"): "students:read.sensitive",
    ("Student", "enrollments"): "students:read.sensitive",
    ("Student", "dartmouth"): "students:read.sensitive",
    ("Student", "hubmis"): "students:read.sensitive",
    ("Student", "stellic"): "students:read.sensitive",
    ("Section", "enrollments"): "students:read.sensitive",
    ("Staff", "sections"): "students:read.sensitive",
    ("DartmouthStudentRecord", "gpa"): "students:read.gpa",
    ("Enrollment", "finalGrade"): "enrollments:read.grades",
    ("HubmisStudentRecord", "attendance"): "hubmis:read.sensitive",
    ("HubmisStudentRecord", "dateOfBirth"): "hubmis:read.sensitive",
    # Writes; a task is read with the scope of the write that started it (resolvers/tasks.py).
    **{("Mutation", name): "stellic:write" for name in (
        "createStudentProfile", "addStudentTag", "removeStudentTag", "addStudentSchool", "removeStudentSchool",
        "addStudentDepartment", "removeStudentDepartment", "createProgramEnrollment", "replaceCourseEnrollments",
        "createSectionEnrollment", "updateSectionEnrollment", "patchSectionEnrollment", "deleteSectionEnrollment",
        "createSection", "updateSectionSeats", "bulkUpdateSectionSeats", "replaceSectionTimings",
        "bulkReplaceSectionTimings", "createSectionRestriction", "deleteSectionRestriction", "placeHold",
        "updateHold", "releaseHold", "createRegistrationTime", "updateRegistrationTime", "deleteRegistrationTime")},
    ("Mutation", "startExport"): "exports:run",
    ("Mutation", "setCourseAssessment"): "enrollments:write",
    ("CourseAssessmentPayload", "enrollment"): "students:read.sensitive",  # as Query.enrollment
}

# `node(id:)` and `_entities` reach these types by id, past the field that guards them elsewhere: they need the
# scope of that field (resolvers/port.py, Port.entity).
ENTITY_SCOPES: dict[str, tuple[str, str]] = {
    "Hold": ("Student", "holds"),
    "Enrollment": ("Query", "enrollment"),
}

# Scopes whose use is written to the audit trail (reads of them, and every write).
AUDITED_SCOPES = frozenset({"students:read.sensitive", "students:read.gpa", "enrollments:read.grades",
                            "hubmis:read.sensitive", "people:private"})


class RequiresScope(FieldExtension):
    def __init__(self, type_name: str, field_name: str, scope: str) -> None:
        self.where, self.scope = f"{type_name}.{field_name}", scope

    def _check(self, source: Any, info: Info[Any, Any]) -> None:
        context = info.context
        if not context.viewer.has(self.scope):
            raise GatewayError(f"{self.where} requires the {self.scope} scope", "FORBIDDEN", scope=self.scope)
        if self.scope in AUDITED_SCOPES:
            context.audit.touch(self.where, getattr(source, "key", None))

    # Positional-only: a field may have an argument called ``source`` (``students(source:)``).
    def resolve(self, next_: Callable[..., Any], source: Any, info: Info[Any, Any], /,  # type: ignore[override]
                **kwargs: Any) -> Any:
        self._check(source, info)
        return next_(source, info, **kwargs)

    async def resolve_async(self, next_: Callable[..., Awaitable[Any]], source: Any,  # type: ignore[override]
                            info: Info[Any, Any], /, **kwargs: Any) -> Any:
        self._check(source, info)
        return await next_(source, info, **kwargs)


def scope_note(scope: str) -> str:
    """What a scoped field's description adds: the scope by its name, and what a caller without it gets."""
    return f"Needs the `{scope}` scope: without it, a FORBIDDEN error naming it, and no vendor call."


def apply_field_scopes(types: Iterable[type]) -> None:
    """Attach the table's checks to the fields of these Strawberry types (once; before the schema is built)."""
    seen: set[tuple[str, str]] = set()
    for cls in types:
        definition = get_object_definition(cls)
        if definition is None:
            continue
        for field in definition.fields:
            name = field.graphql_name or to_camel_case(field.python_name)
            scope = FIELD_SCOPES.get((definition.name, name))
            if scope is None:
                continue
            seen.add((definition.name, name))
            if not any(isinstance(e, RequiresScope) for e in field.extensions):
                field.extensions.append(RequiresScope(definition.name, name, scope))
            note = scope_note(scope)  # GraphiQL's docs pane says which scope, as the README's table does
            if note not in (field.description or ""):
                field.description = f"{field.description} {note}" if field.description else note
    names = {d.name for d in map(get_object_definition, types) if d is not None}
    missing = {k for k in FIELD_SCOPES if k[0] in names} - seen
    if missing:
        raise RuntimeError(f"the scope table names fields the schema does not have: {sorted(missing)}")


def schema_types() -> list[type]:
    """Every object type of the schema the table may name (the roots and the types under them)."""
    from resolvers.mutation import Mutation
    from resolvers.query import Query
    from schema import detail, mutations, types

    modules = (types, detail, mutations)
    found = [Query, Mutation] + [obj for m in modules for obj in vars(m).values()
                       if isinstance(obj, type) and get_object_definition(obj) is not None]
    return list(dict.fromkeys(found))
