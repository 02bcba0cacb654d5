"""Direct resolvers (gateway/directresolvers.py): only fields that need nothing of Strawberry's per-call wrapping
skip it; every scoped field, and every field with arguments, keeps it."""

from __future__ import annotations

from graphql import GraphQLObjectType

from gateway.app import build_schema
from gateway.directresolvers import DEFINITION, install
from resolvers.permissions import FIELD_SCOPES


def test_scoped_fields_and_fields_with_arguments_keep_strawberrys_resolver() -> None:
    schema = build_schema()
    direct = set(install(schema))  # installing again finds the same fields
    assert {"Student.firstName", "Student.netid", "Student.advisors", "Enrollment.section", "Advisor.staff",
            "Staff.lastName"} <= direct
    assert not direct & {f"{t}.{f}" for t, f in FIELD_SCOPES}  # e.g. Student.holds: its scope check stays
    for gql_type in schema._schema.type_map.values():
        if not isinstance(gql_type, GraphQLObjectType):
            continue
        for name, field in gql_type.fields.items():
            definition = field.extensions.get(DEFINITION)
            if f"{gql_type.name}.{name}" in direct:
                assert not definition.arguments and not definition.extensions
            elif definition is not None and definition.base_resolver is not None:
                assert field.resolve is not None and field.resolve.__name__ != "direct"
