"""Hostile-query limits, checked during validation, before anything executes or any vendor is called.

Depth, aliases, directives and cost are all counted through fragment spreads and inline fragments
(graphql-armor's published bypasses hide depth and aliases in fragments), and fragment cycles are cut.
Introspection (``__schema``, ``__type``) is left out of depth and cost: it is answered from the schema in
memory, never from a vendor, and graphql-core's MaxIntrospectionDepthRule (one of the standard rules)
refuses the nesting that would make it expensive; the standard introspection query that GraphiQL and
code generators send is 15 levels deep. Aliases and directives count there as anywhere. Cost multiplies
by list sizes: a field's cost is
its weight times the sizes of the lists above it, a list's size being its ``first`` argument or,
without one, ``DEFAULT_LIST_SIZE``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    ValueNode,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension

DEFAULT_LIST_SIZE = 5  # a list without `first`: a student's advisors, holds, current enrollments are a handful
# The largest page any connection gives (resolvers/paging.py pages with it). A larger `first` is costed as this: the
# field refuses it itself, as BAD_USER_INPUT naming its range, which says more than the cost it would have had.
LARGEST_PAGE = 1000
# HUBmis' largest page, which its lists' connections give at most (resolvers/lists.py), and the connections whose
# largest page it is, by "Type.field": costed at it, so `staff(first: 500)` is refused for its range, not its cost.
HUBMIS_LARGEST_PAGE = 100
LARGEST_PAGES = {"Query.staff": HUBMIS_LARGEST_PAGE}
# The connections whose `source` argument chooses the vendor they page, and so their largest page.
LARGEST_PAGES_BY_SOURCE = {"Query.students": {"HUBMIS": HUBMIS_LARGEST_PAGE}}

# The operation's variables, so a list size given as `first: $n` is costed at its real value.
current_variables: ContextVar[dict[str, Any]] = ContextVar("campusgraph_variables", default={})  # noqa: B039


@dataclass(frozen=True)
class QueryLimits:
    """Defaults at least as strict as graphql-armor's, but for depth. Depth counts object levels, and a Relay
    connection takes two (``edges``, ``node``): at armor's 6, a roster's student's advisor's sections (8) were
    refused. What a deep query can cost is bounded by ``max_cost``, which multiplies by every list size."""

    max_depth: int = 10
    max_aliases: int = 15
    max_directives: int = 50
    max_tokens: int = 1000
    max_cost: int = 5000


class OperationRule(ValidationRule):
    """A rule that judges each operation whole, in ``enter_operation_definition`` (walking fragments itself):
    the gateway runs it without graphql-core's walk of every node (gateway/security/validation.py)."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        raise NotImplementedError


def _refuse(context: ValidationContext, code: str, message: str, node: Node) -> None:
    context.report_error(GraphQLError(message, [node], extensions={"code": code}))


def _walk_selections(selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode],
                     seen: frozenset[str] = frozenset()) -> list[tuple[Node, frozenset[str]]]:
    """Every selection under a set, fragments inlined (each fragment at most once per path)."""
    out: list[tuple[Node, frozenset[str]]] = []
    for selection in (selection_set.selections if selection_set else ()):
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            out.append((selection, seen))
            if name not in seen and name in fragments:
                out.extend(_walk_selections(fragments[name].selection_set, fragments, seen | {name}))
        elif isinstance(selection, InlineFragmentNode):
            out.append((selection, seen))
            out.extend(_walk_selections(selection.selection_set, fragments, seen))
        else:
            out.append((selection, seen))
    return out


def _fragments(context: ValidationContext) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in context.document.definitions if isinstance(d, FragmentDefinitionNode)}


def _introspection(node: FieldNode) -> bool:
    """``__schema`` or ``__type`` (``__typename`` is a scalar and counts as one)."""
    return node.name.value.startswith("__") and node.selection_set is not None


def _depth(selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode],
           seen: frozenset[str] = frozenset()) -> int:
    deepest = 0
    for node, path_seen in _walk_selections(selection_set, fragments, seen):
        if isinstance(node, FieldNode) and node.selection_set is not None and not _introspection(node):
            deepest = max(deepest, 1 + _depth(node.selection_set, fragments, path_seen))
    return deepest


def depth_rule(limit: int) -> type[OperationRule]:
    class DepthLimit(OperationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            depth = 1 + _depth(node.selection_set, _fragments(self.context))
            if depth > limit:
                _refuse(self.context, "QUERY_TOO_DEEP", f"the operation is {depth} levels deep; the limit is {limit}",
                        node)

    return DepthLimit


def _count(node: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode],
           measure: Callable[[Node], int]) -> int:
    return sum(measure(d) for d in node.directives or ()) + _count_set(node.selection_set, fragments, measure,
                                                                       frozenset())


def _count_set(selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode],
               measure: Callable[[Node], int], seen: frozenset[str]) -> int:
    """Every selection and directive, counted where it is used (a fragment spread twice counts twice)."""
    total = 0
    for selection, path_seen in _walk_selections(selection_set, fragments, seen):
        total += measure(selection)
        total += sum(measure(d) for d in getattr(selection, "directives", None) or ())
        if isinstance(selection, FieldNode) and selection.selection_set is not None:
            total += _count_set(selection.selection_set, fragments, measure, path_seen)
    return total


def alias_rule(limit: int) -> type[OperationRule]:
    class AliasLimit(OperationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            aliases = _count(node, _fragments(self.context),
                             lambda n: 1 if isinstance(n, FieldNode) and n.alias is not None else 0)
            if aliases > limit:
                _refuse(self.context, "TOO_MANY_ALIASES", f"the operation uses {aliases} aliases; the limit is {limit}",
                        node)

    return AliasLimit


def directive_rule(limit: int) -> type[OperationRule]:
    class DirectiveLimit(OperationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            directives = _count(node, _fragments(self.context),
                                lambda n: 1 if n.kind == "directive" else 0)
            if directives > limit:
                _refuse(self.context, "TOO_MANY_DIRECTIVES",
                        f"the operation uses {directives} directives; the limit is {limit}", node)

    return DirectiveLimit


def _is_list(type_: GraphQLOutputType) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def _operation_variables(node: OperationDefinitionNode) -> dict[str, Any]:
    """The variables the operation runs with: those the request gave, over the defaults the operation declares
    (``query($n: Int = 1000)`` sent without ``n`` pages 1000, and is costed so)."""
    defaults = {d.variable.name.value: value_from_ast_untyped(d.default_value)
                for d in node.variable_definitions or () if d.default_value is not None}
    return {**defaults, **current_variables.get()}


def _given(value: ValueNode, variables: dict[str, Any]) -> Any:
    """An argument's value as given (an enum by its name, an input object as a dict), through variables too."""
    if isinstance(value, VariableNode):
        return variables.get(value.name.value)
    return value_from_ast_untyped(value, variables)


def _argument(node: FieldNode, name: str, variables: dict[str, Any]) -> Any:
    """The value of the field's argument ``name`` (``_given``); None when left out."""
    return next((_given(a.value, variables) for a in node.arguments or () if a.name.value == name), None)


def _largest_page(parent: Any, node: FieldNode, variables: dict[str, Any]) -> int:
    """The largest page the field gives: ``staff(first: 500)``, or ``students(source: HUBMIS, first: 500)``, is
    refused for its range (HUBmis serves 100), not costed as 500 rows and refused for a cost it could never have."""
    if not isinstance(parent, GraphQLObjectType):
        return LARGEST_PAGE
    name = f"{parent.name}.{node.name.value}"
    largest = LARGEST_PAGES.get(name, LARGEST_PAGE)
    source = _argument(node, "source", variables) if name in LARGEST_PAGES_BY_SOURCE else None
    return LARGEST_PAGES_BY_SOURCE[name].get(source, largest) if isinstance(source, str) else largest


def _size_argument(node: FieldNode, field: Any, variables: dict[str, Any], largest: int) -> int | None:
    """The list size a field is asked for: its ``first`` (or ``last``), given or through a variable, at most the
    field's ``largest`` page; when it is left out or null, the field's own default (a connection's page of 25),
    which is what the field returns."""
    for argument in node.arguments or ():
        if argument.name.value in ("first", "last"):
            value = _given(argument.value, variables)
            if isinstance(value, int):
                return min(value, largest)
    declared = field.args.get("first") if field is not None else None
    if declared is not None and isinstance(declared.default_value, int):
        return declared.default_value
    return None


def _answered_from_the_page(parent: Any, node: FieldNode) -> bool:
    """``__typename`` (which Apollo Client adds to every selection) is answered from the schema, and an edge's
    ``cursor`` from the page its node came in: neither adds work for a row, so neither is costed per row."""
    name = node.name.value
    return name == "__typename" or (name == "cursor" and isinstance(parent, GraphQLObjectType)
                                    and "node" in parent.fields)


def cost_rule(limit: int) -> type[OperationRule]:
    class CostLimit(OperationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            root = self.context.schema.get_root_type(node.operation)
            self.variables: dict[str, Any] = _operation_variables(node)
            cost = self._cost(node.selection_set, root, _fragments(self.context), 1, None, frozenset())
            if cost > limit:
                _refuse(self.context, "QUERY_TOO_COMPLEX",
                        f"the operation would cost {cost} (list sizes multiplied); the limit is {limit}", node)

        def _cost(self, selection_set: SelectionSetNode | None, parent: Any,
                  fragments: dict[str, FragmentDefinitionNode], multiplier: int, carried: int | None,
                  seen: frozenset[str]) -> int:
            """Scalars weigh 1 and objects 2, times every list size above them. A connection's ``first``
            is carried down to the list beneath it (its ``edges``), whose objects weigh nothing: an edge only
            wraps its node, and the node is the item counted (so a page of 1000 with two fields fits)."""
            variables = self.variables
            total = 0
            for node, path_seen in _walk_selections(selection_set, fragments, seen):
                if not isinstance(node, FieldNode):
                    continue
                field = parent.fields.get(node.name.value) if isinstance(parent, GraphQLObjectType) else None
                if node.selection_set is None:
                    total += 0 if _answered_from_the_page(parent, node) else multiplier
                    continue
                if _introspection(node):
                    continue
                own = _size_argument(node, field, variables, _largest_page(parent, node, variables))
                is_list = field is not None and _is_list(field.type)
                size = (own or carried or DEFAULT_LIST_SIZE) if is_list else 1
                carry = None if is_list else own
                inner = multiplier * max(1, size)
                child = get_named_type(field.type) if field is not None else None
                weight = 0 if is_list and carried is not None else 2
                total += weight * inner + self._cost(node.selection_set, child, fragments, inner, carry, path_seen)
            return total

    return CostLimit


# The longest text a read's argument may be: a key, filter, ID or cursor is tens of characters. A longer one went
# into a vendor's URL, which the vendor refused (VENDOR_BAD_REQUEST, blaming the vendor for the caller's input).
LONGEST_READ_ARGUMENT = 1000


def _longest_text(value: Any) -> int:
    """The length of the longest string in an argument's value (in a list or an input object too)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return max((_longest_text(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return max((_longest_text(v) for v in value), default=0)
    return 0


def argument_length_rule(limit: int = LONGEST_READ_ARGUMENT) -> type[OperationRule]:
    class ArgumentLength(OperationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            if node.operation is OperationType.MUTATION:  # a write's text (a note, a profile) may be long
                return
            variables = _operation_variables(node)
            text = self.context.document.loc.source.body if self.context.document.loc else None
            if text is not None and len(text) <= limit and _longest_text(variables) <= limit:
                return  # no literal and no variable can be too long: most requests, spared the walk
            self._check(node.selection_set, _fragments(self.context), variables, frozenset())

        def _check(self, selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode],
                   variables: dict[str, Any], seen: frozenset[str]) -> bool:
            """Reports the first argument too long, at any depth; whether it found one."""
            for selection, path_seen in _walk_selections(selection_set, fragments, seen):
                if not isinstance(selection, FieldNode):
                    continue
                for argument in selection.arguments or ():
                    if _longest_text(_given(argument.value, variables)) > limit:
                        name = argument.name.value
                        self.context.report_error(GraphQLError(
                            f"`{name}` is longer than {limit} characters", [argument],
                            extensions={"code": "BAD_USER_INPUT", "argument": name}))
                        return True
                if self._check(selection.selection_set, fragments, variables, path_seen):
                    return True
            return False

    return ArgumentLength


def validation_rules(limits: QueryLimits) -> list[type[ValidationRule]]:
    return [depth_rule(limits.max_depth), alias_rule(limits.max_aliases), directive_rule(limits.max_directives),
            cost_rule(limits.max_cost), argument_length_rule()]


class OperationVariables(SchemaExtension):
    """Makes the operation's variables visible to the cost rule during validation."""

    def on_operation(self) -> Iterator[None]:
        token = current_variables.set(dict(self.execution_context.variables or {}))
        try:
            yield
        finally:
            # A stream closed from another task (a refused graphql-ws operation's generator, finalised by the event
            # loop) runs this outside the context the variables were set in, which went with its task.
            with contextlib.suppress(ValueError):
                current_variables.reset(token)
