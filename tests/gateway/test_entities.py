"""Federation's ``_entities``: each representation resolves on its own; one the gateway cannot use is a null
entry with one BAD_USER_INPUT error at its index, and the others still resolve."""

from __future__ import annotations

from typing import Any

import pytest

from schema.node import encode_id
from tests.gatewayproc import GatewayProcess

ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Student { netid } } }"
STUDENT = {"__typename": "Student", "id": str(encode_id("Student", "d59951y"))}


def entities(gateway: GatewayProcess, representations: list[Any]) -> dict[str, Any]:
    return gateway.query(ENTITIES, {"r": representations})


@pytest.mark.parametrize("bad", [
    {"__typename": "Nope", "id": "x"},  # no such type
    {"__typename": "PageInfo", "id": "x"},  # a type, but not an entity
    {"__typename": "Student"},  # no key
    {"__typename": "Student", "id": 5},  # a key that is not an ID
    {"id": STUDENT["id"]},  # no __typename
    "x",  # not an object
])
def test_a_bad_representation_is_a_null_entry_with_its_own_error(gateway: GatewayProcess, bad: Any) -> None:
    result = entities(gateway, [STUDENT, bad, STUDENT])
    assert result["data"]["_entities"] == [{"__typename": "Student", "netid": "d59951y"}, None,
                                           {"__typename": "Student", "netid": "d59951y"}], result
    [error] = result["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["path"] == ["_entities", 1], error
    assert error["extensions"]["requestId"]


def test_only_bad_representations_are_each_refused(gateway: GatewayProcess) -> None:
    result = entities(gateway, [{"__typename": "Student"}, "x"])
    assert result["data"]["_entities"] == [None, None]
    assert sorted((e["path"][1], e["extensions"]["code"]) for e in result["errors"]) == [
        (0, "BAD_USER_INPUT"), (1, "BAD_USER_INPUT")]


def test_a_representation_may_carry_more_than_its_key(gateway: GatewayProcess) -> None:
    """A router may send fields beside the key (another subgraph's @requires); the key alone finds the entity."""
    result = entities(gateway, [{**STUDENT, "libraryLoans": []}])
    assert result == {"data": {"_entities": [{"__typename": "Student", "netid": "d59951y"}]}}
