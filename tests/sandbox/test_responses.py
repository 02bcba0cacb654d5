"""The sandbox's JSON answers: orjson-rendered, the same JSON as Starlette's stdlib rendering."""

from __future__ import annotations

import json

import pytest
from starlette.responses import JSONResponse as StdlibJSONResponse

from gateway.sandbox.responses import JSONResponse


@pytest.mark.parametrize("content", [
    {"name": "Zoë Ørsted", "gpa": 3.67, "ok": True, "none": None, "rows": [1, 2.5, "x"]},
    {1: "integer keys", 2: ["as the stdlib writes them"]},  # orjson refuses these: the stdlib's fallback
    {"big": 2**70},  # beyond 64 bits: the stdlib's fallback
    [],
])
def test_the_same_json_as_starlettes(content: object) -> None:
    ours, theirs = JSONResponse(content), StdlibJSONResponse(content)
    assert json.loads(ours.body) == json.loads(theirs.body)
    assert ours.headers["content-type"] == theirs.headers["content-type"] == "application/json"
    assert "Zoë".encode() in ours.body or "Zoë" not in json.dumps(content, ensure_ascii=False)
