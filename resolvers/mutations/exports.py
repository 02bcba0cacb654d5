"""Stellic bulk exports (contracts 1.8): the synchronous flow answers rows, the asynchronous one a Task.

Stellic may run any export in the background whatever was asked (some data types always do), so the
answer decides which the payload carries. An export starts work at Stellic: it is never sent twice.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Annotated, Any

from strawberry.types import Info

from gateway.errors import GatewayError
from gateway.vendors.errors import CircuitOpen, VendorUnavailable, WriteOutcomeUnknown
from resolvers.mutations.arguments import EXPORT_ASYNC, EXPORT_DATA_TYPE, EXPORT_PARAMS
from resolvers.mutations.common import Checks, attempt, error, upstreams
from resolvers.tasks import task_from_record
from resolvers.taskstore import EXPORT, PENDING, RUNNING
from schema.mutations import ExportPayload, UserError
from schema.scalars import JSON

DATA_TYPE = re.compile(r"[a-z][a-z0-9_]*")  # the whole text: fullmatch, as `$` lets a trailing newline by
RESERVED = ("output_format", "delivery_channel")  # the gateway sets these
SCALARS = (str, int, float, bool)


def _refused(data_type: str, errors: list[UserError]) -> ExportPayload:
    return ExportPayload(success=False, data_type=data_type, task=None, columns=None, rows=None, row_count=None,
                         user_errors=errors)


def _check_params(checks: Checks, params: Any) -> dict[str, Any]:
    if params is None:
        return {}
    if not isinstance(params, dict):
        checks.add(["params"], "must be an object of parameter names and values")
        return {}
    for name, value in params.items():
        values = value if isinstance(value, list) else [value]
        if not name.strip() or name in RESERVED:
            checks.add(["params", name], "the gateway sets output_format and delivery_channel itself"
                       if name in RESERVED else "a parameter needs a name")
        elif not all(v is None or isinstance(v, SCALARS) for v in values):
            checks.add(["params", name], "must be a string, number, boolean or a list of them (repeated)")
    return params


def rows_of(text: str) -> tuple[list[str], list[Any]]:
    """A CSV export as its header and one {column: value} per row."""
    reader = csv.reader(io.StringIO(text), skipinitialspace=True)
    header = next(reader, [])
    return header, [dict(zip(header, row, strict=False)) for row in reader if row]


async def start_export(info: Info[Any, Any], data_type: Annotated[str, EXPORT_DATA_TYPE],
                       params: Annotated[JSON | None, EXPORT_PARAMS] = None,
                       async_: Annotated[bool | None, EXPORT_ASYNC] = True) -> ExportPayload:
    """``GET /exports/export_data/{data_type}?output_format=csv&delivery_channel=s3|http_file`` (E1); ``async``
    null is the default, true."""
    async_ = async_ is not False
    checks = Checks()
    if not DATA_TYPE.fullmatch(data_type):
        checks.add(["dataType"], "must be a Stellic data type such as plan_courses (lower case and underscores)")
    query = _check_params(checks, params)
    if not checks.ok:
        return _refused(data_type, checks.errors)
    stellic = upstreams(info).stellic
    try:
        # A parameter keeps Stellic's own name in the path: it is a key of `params`, not a field of ours.
        answer, errors = await attempt(stellic.export_data(data_type, query, async_=async_), root=["params"],
                                       renames={"data_type": ["dataType"], **{k: ["params", k] for k in query}},
                                       write=False)  # an export changes no record: asking again only makes another file
    except WriteOutcomeUnknown:
        if async_:
            raise  # an export may have started at Stellic
        raise GatewayError("stellic: the synchronous export did not answer in time; run it with async: true",
                           "VENDOR_UNAVAILABLE", vendor="stellic") from None
    except VendorUnavailable as exc:
        if exc.status != 504 or async_ or isinstance(exc, CircuitOpen):  # an open circuit's status is a past call's
            raise
        return _refused(data_type, [error(["async"], "Stellic could not export this much data within its 2-minute "
                                                     "limit: run it with async: true", "USE_ASYNC")])
    if answer is None:
        return _refused(data_type, errors)
    if isinstance(answer, str):
        columns, rows = rows_of(answer)
        return ExportPayload(success=True, data_type=data_type, task=None, columns=columns, rows=rows,
                             row_count=len(rows), user_errors=[])
    status = RUNNING if answer.status in ("started", "completed") else PENDING
    record = await info.context.tasks.accepted(EXPORT, answer.file_name, status, subject=data_type)
    return ExportPayload(success=True, data_type=data_type, task=task_from_record(record), columns=None, rows=None,
                         row_count=None, user_errors=[])
