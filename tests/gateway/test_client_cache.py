"""What a client cache (Apollo Client, urql's Graphcache, Relay) makes of an answer: each stores an object with an
`id` under its `__typename` and `id`. Objects of one type and id that differ in one answer would be merged into one,
wrong on screen, so each such type must say in its description (GraphiQL, code generators) and in the README how a
cache keys it; the Node types must never differ."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.gatewayproc import GatewayProcess

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()

# A HUBmis-listed page, as a student list screen asks it, with every nested type that carries an `id`.
SCREEN = """query StudentList { students(source: HUBMIS, first: 20) { edges { node { __typename id netid firstName
  sources { __typename vendor id }
  hubmis { __typename id form { __typename id name } yearGroup { __typename id name }
           tutorGroup { __typename id name } academicHouse { __typename id name } }
  dartmouth { __typename dplans { __typename id termCode }
              academicHistory { __typename disciplines { __typename id name type } } } } } } }"""

NODE_TYPES = {"Student", "Staff", "Section", "Enrollment", "Hold", "Task"}


def cache_conflicts(value: Any, seen: dict[tuple[str, Any], dict[str, Any]], out: set[str]) -> set[str]:
    """The types of which two objects with one `__typename` and `id` hold different scalar values."""
    if isinstance(value, list):
        for item in value:
            cache_conflicts(item, seen, out)
    elif isinstance(value, dict):
        if value.get("__typename") and value.get("id") is not None:
            scalars = {k: v for k, v in value.items() if not isinstance(v, (dict, list))}
            before = seen.setdefault((value["__typename"], value["id"]), scalars)
            if any(k in before and before[k] != v for k, v in scalars.items()):
                out.add(value["__typename"])
        for item in value.values():
            cache_conflicts(item, seen, out)
    return out


def test_each_type_a_cache_would_merge_wrongly_says_how_to_key_it(gateway: GatewayProcess) -> None:
    """A student's Dartmouth and Stellic SourceRecords both had their netid as `id`, a page's form 35 and tutor group
    35 were both `GroupRef:35`, and a student's D-plan terms all `Dplan:R`: with a client's default cache, `sources`
    read as two Stellic records and a D-plan as its last term over and over, and nothing told the developer."""
    result = gateway.query(SCREEN)
    assert "errors" not in result, result["errors"]
    conflicting = cache_conflicts(result["data"], {}, set())
    assert {"SourceRecord", "Dplan"} <= conflicting, conflicting  # the answer shows the hazard is real
    assert not conflicting & NODE_TYPES, conflicting
    documented = {"SourceRecord", "GroupRef", "Dplan", "Discipline"}
    assert conflicting <= documented, conflicting - documented
    for name in documented:
        described = gateway.query("query($n: String!) { __type(name: $n) { description } }", {"n": name})
        description = described["data"]["__type"]["description"]
        assert "client cache" in description and "README: Client caches" in description, (name, description)
    section = README.split("**Client caches.**", 1)[1].split("\n\n```js", 1)[1].split("```", 1)[0]
    for name in documented:
        assert re.search(rf"\b{name}\b.*keyFields", section) or f"{name}: (r) =>" in section, (name, section)
        assert re.search(rf"\b{name}\b", section.split("cacheExchange", 1)[1].split("getDataID", 1)[0]), name
