"""Direct resolvers: a field that needs nothing of Strawberry's per-call wrapping is called without it.

Strawberry wraps every resolver. Per call, the wrapper converts the arguments, lets the field
extensions reshape them, chains those extensions through partials, builds an ``Info`` and then calls
the function: about ten Python calls before the resolver's own line runs. A warm 50-student query
calls some 500 resolvers, and that wrapping was about a fifth of its CPU.

A field with no arguments and no field extensions (the scope checks of ``resolvers/permissions.py``
are field extensions, so every scoped field keeps the whole path) whose resolver takes exactly
``self`` and ``info`` needs only the ``Info``. Once the schema is built, such fields get a resolver
that builds that ``Info`` and calls the function, as Strawberry's would. Schema extensions' ``resolve``
hooks and graphql-core's middleware still wrap them, as they wrap every field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from strawberry.types.field import StrawberryField

DEFINITION = "strawberry-definition"  # where Strawberry links a GraphQL field back to its own definition


def install(schema: strawberry.Schema) -> list[str]:
    """Give every eligible field of ``schema`` a direct resolver; the fields changed, as ``Type.field``."""
    if schema.schema_converter.exception_handlers:  # handlers need Strawberry's wrapper to catch errors
        return []
    info_class = schema.config.info_class
    changed = []
    for gql_type in schema._schema.type_map.values():
        if not isinstance(gql_type, GraphQLObjectType) or gql_type is schema._schema.subscription_type:
            continue
        for name, gql_field in gql_type.fields.items():
            resolve = _direct(gql_field.extensions.get(DEFINITION), info_class)
            if resolve is not None:
                gql_field.resolve = resolve
                changed.append(f"{gql_type.name}.{name}")
    return changed


def _direct(field: StrawberryField | None,
            info_class: Callable[..., Any]) -> Callable[[Any, GraphQLResolveInfo[Any]], Any] | None:
    if not isinstance(field, StrawberryField) or field.base_resolver is None or field.extensions or field.arguments:
        return None
    resolver = field.base_resolver
    self_param, info_param = resolver.self_parameter, resolver.info_parameter
    if self_param is None or info_param is None or resolver.parent_parameter or resolver.root_parameter:
        return None
    if list(resolver.signature.parameters) != [self_param.name, info_param.name]:
        return None
    function = cast(Callable[..., Any], resolver.wrapped_func)

    def direct(source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        return function(source, info_class(_raw_info=info, _field=field))

    return direct
