"""Log lines are JSON with their structured fields lifted to the top level."""

from __future__ import annotations

import json
import logging

from gateway.logs import JsonFormatter


def test_upstream_record_becomes_one_json_line() -> None:
    record = logging.LogRecord("campusgraph.upstream", logging.INFO, __file__, 1, "upstream %s", ("x",), None)
    record.upstream = {"vendor": "hubmis", "route": "GET /api/v1/students/{id}", "status": 200, "ms": 3.2}
    line = JsonFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["msg"] == "upstream x" and parsed["level"] == "info"
    assert parsed["upstream"]["route"] == "GET /api/v1/students/{id}" and parsed["upstream"]["status"] == 200
