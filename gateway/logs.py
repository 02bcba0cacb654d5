"""Structured logging: one JSON object per line, with the structured fields a record carries.

Modules log with ``extra={"upstream": {...}}`` (or another single key); this formatter lifts that
dict into the JSON line, so a log store can index vendor, route, status and duration directly. Every line
written while a request runs (its upstream calls included) carries that request's ``request_id``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# Not lifted into the line: the record's own attributes, and uvicorn's copy of its message with terminal colours.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "color_message"}

# Set by the request-log middleware for the duration of one HTTP request.
request_id: ContextVar[str | None] = ContextVar("campusgraph_log_request_id", default=None)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        current_id = request_id.get()
        if current_id is not None:
            line["request_id"] = current_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class CutOffAtShutdown(logging.Filter):
    """Drops uvicorn's "Exception in ASGI application" traceback for a request it cancelled because a graceful
    shutdown ran out of time: nothing failed, and uvicorn's line before it ("Cancel 1 running task(s), timeout
    graceful shutdown exceeded") already says what happened."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError))


def quiet_cut_off_requests() -> None:
    """CutOffAtShutdown on uvicorn's error logger, for a server run with uvicorn's own log configuration."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, CutOffAtShutdown) for f in logger.filters):
        logger.addFilter(CutOffAtShutdown())


def configure(level: str = "INFO") -> None:
    """Send every campusgraph log record to stderr as JSON lines, and every other library's (the OTLP exporter's,
    aiohttp's, asyncio's) too: without a handler on the root logger theirs fell to Python's last-resort handler as
    bare text, breaking the one-JSON-object-per-line stream a log pipeline parses. The root keeps its own level
    (warning), so other libraries say only what goes wrong."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("campusgraph")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    others = logging.getLogger()
    others.handlers[:] = [h for h in others.handlers if not isinstance(h.formatter, JsonFormatter)]
    others.addHandler(handler)


def uvicorn_log_config(level: str = "INFO") -> dict[str, Any]:
    """uvicorn's own lines (start-up, shutdown, its errors) as the same JSON lines on stderr, for ``log_config``."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "filters": {"cut_off": {"()": CutOffAtShutdown}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr",
                                "filters": ["cut_off"]}},
        "loggers": {name: {"handlers": ["stderr"], "level": level.upper(), "propagate": False}
                    for name in ("uvicorn", "uvicorn.error", "uvicorn.access")},
    }
