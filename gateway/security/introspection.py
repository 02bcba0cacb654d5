"""Production mode: introspection only for callers holding ``graphql:introspect``."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from graphql import FieldNode, GraphQLError, ValidationRule

from gateway.auth.viewer import Viewer

# The caller of the request being validated (set by the context getter, read by the rule).
current_viewer: ContextVar[Viewer | None] = ContextVar("campusgraph_viewer", default=None)


class IntrospectionRequiresScope(ValidationRule):
    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.name.value in ("__schema", "__type"):
            viewer = current_viewer.get()
            if viewer is None or not viewer.has("graphql:introspect"):
                self.report_error(GraphQLError("introspection requires the graphql:introspect scope", [node],
                                               extensions={"code": "INTROSPECTION_DISABLED"}))
