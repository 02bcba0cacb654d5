"""The simulators' JSON answers, written with orjson: the stdlib encoder was the sandbox's largest single
cost per answer (about 0.1 ms of a 0.2 ms read at 50-student pages), CPU a real vendor spends on its own
machines but the sandbox spends on the one it shares with the gateway under test."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse as _StarletteJSONResponse

from gateway import jsoncodec


class JSONResponse(_StarletteJSONResponse):
    """Starlette's JSONResponse, rendering the same JSON faster."""

    def render(self, content: Any) -> bytes:
        return jsoncodec.encode(content)
