"""Stellic bulk exports (contracts 1.8): sync CSV, the async flow, and the pre-signed download it ends in.

Sync (``http_file``) answers the CSV at once, unless it has more rows than the simulated 2-minute limit
allows (``options.sync_export_max_rows``): then it answers 504 as the vendor does after its timeout.
Async (``s3``, and the data types Stellic always runs in the background) snapshots the CSV when asked;
``get_export_url`` reports ``not_started`` -> ``started`` -> ``completed`` over ``options.export_seconds``
and then hands out a URL signed like an S3 query-string URL, valid for the file's 3 days.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import string
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from starlette.responses import Response

from gateway.sandbox.responses import JSONResponse
from gateway.sandbox.simulator import Call, SandboxError, handles
from gateway.sandbox.stellic import exportcatalog as cat
from gateway.sandbox.stellic import exportrows as rows
from gateway.sandbox.stellic.state import StellicState
from gateway.sandbox.stellic.validate import bad_request, error_body, not_found, problem

DATA_TYPES: dict[str, rows.Builder] = {
    "audit_data": cat.audit_data, "audit_requirements": cat.audit_requirements,
    "bulk_exceptions_detailed": cat.bulk_exceptions_detailed, "bulk_pathways": cat.bulk_pathways,
    "dynamic_group_entities": cat.dynamic_group_entities, "export_workflow_responses": cat.export_workflow_responses,
    "incorrect_audit_applications": cat.incorrect_audit_applications, "plan_courses": rows.plan_courses,
    "plancourse_enrollment_by_term": rows.plancourse_enrollment_by_term,
    "programs_without_audits": cat.programs_without_audits, "registration_details": rows.registration_details,
    "audit_coursesection_requirement_count": rows.audit_coursesection_requirement_count,
    "student_geneds": rows.student_geneds, "tagged_notes": cat.tagged_notes, "user_groups": cat.user_groups,
    "all_appointments": rows.all_appointments, "sections_counting_for_reqs": rows.sections_counting_for_reqs,
    "permissions": cat.permissions, "engagement_score": rows.engagement_rows,
}
# learn.stellic.com: these run in the background whatever delivery_channel says.
ALWAYS_ASYNC = frozenset({"audit_requirements", "sections_counting_for_reqs", "permissions",
                          "audit_coursesection_requirement_count"})
APPOINTMENTS_ASYNC_OVER = 5000  # all_appointments goes async above this many appointments
FILE_DAYS = 3
KEEP_FILES = 200  # async files kept in memory; older ones are dropped (a 20,000-student plan_courses is ~5 MB)
ACCESS_KEY_ID = "AKIASANDBOXSTELLIC00"


def signature(file_name: str, expires: int, seed: int) -> str:
    """An S3 query-string (v2) signature over the file's key and expiry, with a key fixed by the seed."""
    key = f"sandbox-stellic-export-signing:{seed}".encode()
    to_sign = f"GET\n\n\n{expires}\n/export/{file_name}".encode()
    return base64.b64encode(hmac.new(key, to_sign, hashlib.sha1).digest()).decode()


def signed_url(base_url: str, file_name: str, expires: int, seed: int) -> str:
    sig = quote(signature(file_name, expires, seed), safe="")
    return f"{base_url}/_files/{quote(file_name)}?AWSAccessKeyId={ACCESS_KEY_ID}&Expires={expires}&Signature={sig}"


def _s3_error(status: int, code: str, message: str, **extra: str) -> Response:
    fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in {"Code": code, "Message": message, **extra}.items())
    return Response(f'<?xml version="1.0" encoding="UTF-8"?>\n<Error>{fields}</Error>', status_code=status,
                    media_type="application/xml")


def _stamp(epoch: float) -> str:
    return str(datetime.fromtimestamp(epoch, UTC))  # "2025-04-08 18:20:33.229534+00:00", as in seed 001


class ExportHandlers(StellicState):
    """Handlers of the export routes."""

    @handles("export_data")
    async def export_data(self, call: Call) -> Response:
        data_type, q = call.params["data_type"], call.query
        builder = DATA_TYPES.get(data_type)
        if builder is None:
            raise not_found(f"Unknown data_type {data_type!r}; supported: {', '.join(sorted(DATA_TYPES))}.",
                            "data_type")
        if q.get("output_format") != "csv":
            message = "Must be csv." if q.get("output_format") else "This parameter is required."
            raise bad_request([problem("output_format", message)])
        channel = q.get("delivery_channel") or None
        if channel not in (None, "http_file", "s3"):
            raise bad_request([problem("delivery_channel", "Must be one of: http_file, s3.")])
        header, found = builder(self, q)
        too_big = len(found) > self.options.sync_export_max_rows
        background = (channel == "s3" or data_type in ALWAYS_ASYNC or (channel is None and too_big)
                      or (data_type == "all_appointments" and len(found) > APPOINTMENTS_ASYNC_OVER))
        if not background and too_big:
            message = ("The export did not finish within the 2-minute request timeout. Export this much data "
                       "with the asynchronous flow: add delivery_channel=s3.")
            raise SandboxError(504, message, body=error_body(message, [problem("delivery_channel", message)]))
        engagement = data_type == "engagement_score"
        if not background:
            return rows.csv_response(header, found, engagement=engagement, file_name=f"{data_type}.csv")
        text = rows.csv_text(header, found, engagement=engagement)
        return JSONResponse({"success": True, "data": self._start_export(data_type, text.encode(), len(found))})

    def _start_export(self, data_type: str, content: bytes, count: int) -> dict[str, Any]:
        now = time.time()
        suffix = "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(8))
        file_name = f"{data_type}-{datetime.fromtimestamp(now, UTC):%Y%m%d_%H%M%S}Z-{suffix}.csv"
        task_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        task = {"name": "async_export", "description": "Exports a report asynchronously", "status": "not_started",
                "start_time": None, "end_time": None, "task_id": task_id, "created_time": _stamp(now)}
        record = {"name": data_type.replace("_", " ").capitalize(), "bg_task": task, "status": "not_started",
                  "file_name": file_name, "requested_on": _stamp(now),
                  "file_expiry": _stamp(now + timedelta(days=FILE_DAYS).total_seconds())}
        self.stores["exports"][file_name] = {**record, "data_type": data_type, "rows": count,
                                                             "requested_at": now}
        self.exports[file_name] = content
        while len(self.exports) > KEEP_FILES:
            oldest = next(iter(self.exports))
            del self.exports[oldest], self.stores["exports"][oldest]
        return record

    def _advance(self, record: dict[str, Any]) -> None:
        """Move the task along by the time since it was requested."""
        started_after = self.options.export_seconds / 3
        elapsed = time.time() - record["requested_at"]
        status = ("completed" if elapsed >= self.options.export_seconds
                  else "started" if elapsed >= started_after else "not_started")
        task = record["bg_task"]
        record["status"] = task["status"] = status
        if status != "not_started":
            task["start_time"] = _stamp(record["requested_at"] + started_after)
        if status == "completed":
            task["end_time"] = _stamp(record["requested_at"] + self.options.export_seconds)

    @handles("get_export_url")
    async def get_export_url(self, call: Call) -> Response:
        file_name = call.query.get("file_name")
        if not file_name:
            raise bad_request([problem("file_name", "This parameter is required.")])
        record = self.stores["exports"].get(file_name)
        if record is None:
            raise not_found(f"No export file {file_name!r}.", "file_name")
        self._advance(record)
        url = None
        if record["status"] == "completed":
            base = self.options.base_url or str(call.request.base_url).rstrip("/")
            expires = int(record["requested_at"] + timedelta(days=FILE_DAYS).total_seconds())
            url = signed_url(base, file_name, expires, self.options.seed)
        return JSONResponse({"success": True, "status": record["status"], "url": url})

    @handles("download_export_file")
    async def download_export_file(self, call: Call) -> Response:
        """Served without the PAT, like S3: the signature and expiry in the query are the credentials."""
        file_name, q = call.params["file_name"], call.query
        expires, sig = q.get("Expires", ""), q.get("Signature", "")
        if not (expires.isdigit() and sig and q.get("AWSAccessKeyId")):
            return _s3_error(403, "AccessDenied", "Query-string authentication requires the Signature, Expires "
                             "and AWSAccessKeyId parameters")
        if q["AWSAccessKeyId"] != ACCESS_KEY_ID or not hmac.compare_digest(
                sig, signature(file_name, int(expires), self.options.seed)):
            return _s3_error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match "
                             "the signature you provided.")
        if int(expires) < time.time():
            return _s3_error(403, "AccessDenied", "Request has expired", Expires=formatdate(int(expires), usegmt=True),
                             ServerTime=formatdate(usegmt=True))
        content = self.exports.get(file_name)
        if content is None:
            return _s3_error(404, "NoSuchKey", "The specified key does not exist.", Key=f"export/{file_name}")
        return Response(content, media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{file_name}"'})
