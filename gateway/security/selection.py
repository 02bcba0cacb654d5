"""Which operation of a document a request runs, decided right after parsing as the GraphQL spec's GetOperation
decides it: the one ``operationName`` names, or else the document's only operation.

Strawberry runs the first operation when none is named, even in a document that holds several, which the spec
forbids (graphql-core's own ``execute`` would refuse it, but Strawberry hands it the first operation's name).
A document with several operations and no name, a name it does not define, and a document without any
operation are refused here, before validation, and nothing runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import DocumentNode, OperationDefinitionNode
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError


class OperationNotResolved(CannotGetOperationTypeError):
    """Raised when a request does not say which one operation of its document to run. As a kind of Strawberry's
    own CannotGetOperationTypeError, it ends the request the same way (over HTTP a 400, answered with the code
    OPERATION_RESOLUTION_FAILURE by ``gateway.view``; on a WebSocket an error message)."""

    def __init__(self, message: str, operation_name: str | None) -> None:
        super().__init__(operation_name)
        self.message = message

    def as_http_error_reason(self) -> str:
        return self.message


def selection_error(document: DocumentNode, operation_name: str | None) -> str | None:
    """Why no single operation of ``document`` can run (graphql-core's wording), or None when one can."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        if any(op.name is not None and op.name.value == operation_name for op in operations):
            return None
        return f"Unknown operation named '{operation_name}'."
    if not operations:
        return "Must provide an operation."
    if len(operations) > 1:
        return "Must provide operation name if query contains multiple operations."
    return None


class OperationSelection(SchemaExtension):
    def on_parse(self) -> Iterator[None]:
        yield
        context = self.execution_context
        if context.graphql_document is None:
            return  # a syntax error, which Strawberry reports
        # The operationName the request gave: ExecutionContext.operation_name falls back to the first operation's.
        requested: str | None = getattr(context, "_provided_operation_name", None)
        message = selection_error(context.graphql_document, requested)
        if message is not None:
            raise OperationNotResolved(message, requested)
