"""The fields of a query document that a response path names, for errors raised outside a resolver.

graphql-core gives an error its ``locations`` from the field nodes of the resolver that raised it. A failure the
gateway reports after the fact (a vendor passed over in a field's order, whose field still answered) has only its
path: these are the field nodes at that path, so the error points at the text GraphiQL highlights.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_operation_ast,
)


def field_nodes_at(document: DocumentNode | None, operation_name: str | None,
                   path: Sequence[str | int]) -> list[FieldNode]:
    """The field nodes whose response key (alias or name) is each step of ``path`` in turn (list indices
    skipped), through fragments; none when the document or operation is not there. Fields of one response key
    in fragments on different types are all given, as GraphQL merges them."""
    operation: OperationDefinitionNode | None = (get_operation_ast(document, operation_name)
                                                 if document is not None else None)
    if operation is None:
        return []
    fragments = {d.name.value: d for d in document.definitions  # type: ignore[union-attr]
                 if isinstance(d, FragmentDefinitionNode)}
    sets: list[SelectionSetNode] = [operation.selection_set]
    found: list[FieldNode] = []
    for step in path:
        if isinstance(step, int):
            continue
        found = [f for selection_set in sets for f in _fields(selection_set, fragments, set())
                 if (f.alias or f.name).value == step]
        sets = [f.selection_set for f in found if f.selection_set is not None]
    return found


def _fields(selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode],
            spread: set[str]) -> Iterable[FieldNode]:
    """The fields a selection set asks for, its fragments' included (each named fragment once)."""
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, spread)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in spread:
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                spread.add(selection.name.value)
                yield from _fields(fragment.selection_set, fragments, spread)


def subfield_paths(path: Sequence[str | int], field_nodes: Sequence[FieldNode],
                   fragments: Mapping[str, FragmentDefinitionNode], name: str) -> list[list[str | int]]:
    """The response paths of the subfield ``name`` of the field at ``path`` (``field_nodes``: its nodes), one per
    response key it is asked for under (an alias, through fragments), in query order; the field's own path when it
    is not asked for. A resolver reporting a failure under its field after the fact names the path the response
    has, which ``field_nodes_at`` then finds in the query text."""
    keys: dict[str, None] = {}
    for node in field_nodes:
        if node.selection_set is not None:
            keys.update(dict.fromkeys((f.alias or f.name).value
                                      for f in _fields(node.selection_set, fragments, set())
                                      if f.name.value == name))
    return [[*path, key] for key in keys] or [list(path)]
