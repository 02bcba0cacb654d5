"""Federation's ``_entities``: each representation another subgraph sends is checked before it is resolved.

Strawberry's resolver looks ``__typename`` up unguarded, so an unknown type (or a representation that is not an
object) failed the whole field and lost the good entries with it, and it hands every other key of the
representation to ``resolve_reference``, so a missing ``id`` (or a field beside it) failed there; each was an
INTERNAL_ERROR. Checked here one by one, a bad representation is a null entry with one BAD_USER_INPUT error at
its index, as the federation spec asks, and the others resolve.
"""

from __future__ import annotations

from collections.abc import Collection

from gateway.errors import GatewayError

SHOWN = 64  # characters of a caller's __typename repeated in an error


def entity_key(representation: object, entity_types: Collection[str]) -> dict[str, str] | GatewayError:
    """What ``resolve_reference`` takes of a representation (its ``__typename`` and ``id`` key; any other field,
    such as one another subgraph ``@requires``, is not needed to find the entity), or why it cannot be resolved."""
    if not isinstance(representation, dict):
        return GatewayError("a representation is an object with __typename and id", argument="representations")
    type_name = representation.get("__typename")
    if not isinstance(type_name, str) or type_name not in entity_types:
        given = "no __typename" if type_name is None else f"__typename {str(type_name)[:SHOWN]!r}"
        return GatewayError(f"{given} is not an entity of this subgraph: one of {', '.join(sorted(entity_types))}",
                            argument="representations")
    key = representation.get("id")
    if not isinstance(key, str):
        return GatewayError(f"a {type_name} is represented by its key, id (an ID)", argument="representations")
    return {"__typename": type_name, "id": key}
