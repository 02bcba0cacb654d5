"""Parsing and validation that a repeated query does not pay for again on every request.

Parsed documents are kept per query text and parse options (a bounded LRU, as Strawberry's own
ParserCache, except that a text that fails to parse is left to Strawberry, which reports the error).
graphql-core's standard rules (and Strawberry's two) judge the document alone: a query text they
accepted once they accept again, so the texts they accepted are remembered (a bounded LRU) and
skip them. The gateway's own rules (depth, aliases, directives, cost, introspection scope) depend
on the caller and the variables, so they run on every request the standard rules accept. A text with errors is never
remembered: its errors are found again, and reported exactly as before. Variables that do not fit the operation
are found here too, so that they refuse the request before execution, as an invalid document does.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    TypeInfo,
    ValidationContext,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.values import get_variable_values
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from gateway.security.limits import OperationRule


def parse_cache(maxsize: int = 512) -> Callable[..., DocumentNode]:
    """``parse`` remembering its last ``maxsize`` documents (by text and options)."""
    return lru_cache(maxsize=maxsize)(parse)


class CachedParse(SchemaExtension):
    def __init__(self, cached_parse: Callable[..., DocumentNode]) -> None:
        super().__init__()
        self.cached_parse = cached_parse

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            options: dict[str, Any] = dict(context.parse_options)
            # On a syntax error Strawberry parses the text again itself and answers with the error.
            with contextlib.suppress(GraphQLError):
                context.graphql_document = self.cached_parse(context.query, **options)
        yield


class AcceptedQueries:
    """Query texts the standard rules accepted, most recent last; at most ``maxsize`` of them."""

    def __init__(self, maxsize: int = 512) -> None:
        self.maxsize = maxsize
        self._texts: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, text: object) -> bool:
        if text in self._texts:
            self._texts.move_to_end(text)  # type: ignore[arg-type]
            return True
        return False

    def add(self, text: str) -> None:
        self._texts[text] = None
        self._texts.move_to_end(text)
        while len(self._texts) > self.maxsize:
            self._texts.popitem(last=False)


class Validation(SchemaExtension):
    """Runs the standard rules unless this text already passed them, and the gateway's rules always."""

    def __init__(self, own_rules: Sequence[type[ASTValidationRule]], accepted: AcceptedQueries) -> None:
        super().__init__()
        self.accepted = accepted
        # Whole-operation rules are called on each operation; the rest need graphql-core's walk of the document.
        self.whole = [rule for rule in own_rules if issubclass(rule, OperationRule)]
        self.walked = [rule for rule in own_rules if not issubclass(rule, OperationRule)]

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        schema, document, text = context.schema._schema, context.graphql_document, context.query
        assert document is not None  # validation runs only after a successful parse
        errors = []
        if text is None or text not in self.accepted:
            errors = validate_document(schema, document, tuple(context.validation_rules))
            if not errors and text is not None:
                self.accepted.add(text)
        # A document the standard rules refuse never runs, and its cost or depth counts fields that may not
        # exist: its errors alone are reported, one kind of error for one mistake.
        context.pre_execution_errors = errors or self._own_errors(schema, document, context.operation_name) or \
            _variable_errors(schema, document, context.operation_name, context.variables)
        yield

    def _own_errors(self, schema: GraphQLSchema, document: DocumentNode,
                    operation_name: str | None) -> list[GraphQLError]:
        """The gateway's rules: whole-operation rules called on the operation the request runs (each operation
        when it names none), the rest by graphql-core's walk. An operation left unrun costs nothing: GraphiQL
        sends the whole editor, and one big query kept in it must not refuse the small one asked for."""
        errors = validate(schema, document, self.walked) if self.walked else []
        if self.whole:
            context = ValidationContext(schema, document, TypeInfo(schema), errors.append)
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)
                          and (operation_name is None or (d.name is not None and d.name.value == operation_name))]
            for rule in self.whole:
                judge = rule(context)
                for operation in operations:
                    judge.enter_operation_definition(operation)
        return errors


def _variable_errors(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
                     variables: dict[str, Any] | None) -> list[GraphQLError]:
    """The errors of variables that do not fit the operation run, found as graphql-core's execution finds them
    (the same errors), but here, before execution: the request is refused as a whole, like an invalid document,
    so its answer has no ``data`` (gateway.view's process_result) rather than graphql-core's ``"data": null``."""
    operation = get_operation_ast(document, operation_name)
    if operation is None or not operation.variable_definitions:
        return []
    coerced = get_variable_values(schema, operation.variable_definitions, variables or {})
    return coerced if isinstance(coerced, list) else []


def warm(schema: GraphQLSchema, texts: Sequence[str], cached_parse: Callable[..., DocumentNode],
         accepted: AcceptedQueries, max_tokens: int) -> list[str]:
    """Parse and validate operations known in advance (the persisted allow-list) before the first request asks
    for them; the texts that do not parse or validate against this schema (an allow-list older than the schema),
    which no request can then run."""
    refused = []
    for text in texts:
        try:
            document = cached_parse(text, max_tokens=max_tokens)  # the options MaxTokensLimiter gives a request
        except GraphQLError:
            refused.append(text)
            continue
        if validate_document(schema, document, tuple(specified_rules)):
            refused.append(text)
        else:
            accepted.add(text)
    return refused
