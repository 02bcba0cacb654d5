"""Stellic simulator: bulk exports, sync and async, the signed download, and the 2-minute limit."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from gateway.sandbox.stellic.exports import signed_url
from tests.sandbox.test_stellic_helpers import (
    API,
    client,
    csv_lines,
    current_term,
    export_async,
    fields,
    section_in,
    wait_for_export,
    world,
)
from tests.sandboxproc import SandboxProcess, free_port

SYNC = {  # every sync-capable data type of contracts 1.8, with the parameters it needs
    "audit_data": {}, "bulk_exceptions_detailed": {"school_shortname": "UG", "include_all": "true"},
    "bulk_pathways": {"include_placeholders": "true", "include_extracurriculars": "true"},
    "dynamic_group_entities": {"dynamic_group": "Honors Students"}, "export_workflow_responses": {"workflow_id": "1"},
    "incorrect_audit_applications": {}, "plan_courses": {"mode": "unmatched", "course_filter": "registered"},
    "plancourse_enrollment_by_term": {"years": "[2025,2026,2027]"}, "programs_without_audits": {},
    "registration_details": {"semester": "winter", "year": "2027", "all_students": "True"},
    "student_geneds": {}, "tagged_notes": {"tag": "honors"}, "user_groups": {}, "all_appointments": {},
    "engagement_score": {},
}
ALWAYS_ASYNC = {"audit_requirements": {"for_ext_ids": "false"}, "permissions": {},
                "sections_counting_for_reqs": {}, "audit_coursesection_requirement_count": {"usem_ids": "20201"}}


def _export(http: httpx.Client, data_type: str, **params: str) -> httpx.Response:
    return http.get(f"/exports/export_data/{data_type}", params={"output_format": "csv", **params})


@pytest.mark.parametrize("data_type", sorted(SYNC))
def test_sync_export_of_every_data_type(sandbox: SandboxProcess, data_type: str) -> None:
    with client(sandbox) as http:
        lines = csv_lines(_export(http, data_type, delivery_channel="http_file", **SYNC[data_type]))
    assert len(lines[0].split(",")) >= 3
    if data_type not in ("dynamic_group_entities", "tagged_notes", "bulk_exceptions_detailed",
                         "export_workflow_responses", "incorrect_audit_applications"):
        assert len(lines) > 1, f"{data_type} exported no rows"


def test_engagement_export_has_the_seed_rows(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        lines = csv_lines(_export(http, "engagement_score"))
    assert lines[0] == "Username, ID, Engagement Score"
    assert lines[2:4] == ["sstanton, 11, 5", "mabbott, 12, 3"]


def test_export_parameter_errors(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        unknown = _export(http, "everything")
        json_format = _export(http, "audit_data", output_format="json")
        no_format = http.get("/exports/export_data/audit_data")
        channel = _export(http, "audit_data", delivery_channel="ftp")
        no_group = _export(http, "dynamic_group_entities")
        bad_group = _export(http, "dynamic_group_entities", dynamic_group="Chess Club")
        bad_flag = _export(http, "bulk_pathways", include_placeholders="maybe")
        no_terms = _export(http, "audit_coursesection_requirement_count")
        bad_term = _export(http, "audit_coursesection_requirement_count", usem_ids="19991")
    assert unknown.status_code == 404
    assert json_format.status_code == 400 and fields(json_format) == {"output_format"}
    assert no_format.status_code == 400 and fields(no_format) == {"output_format"}
    assert channel.status_code == 400 and fields(channel) == {"delivery_channel"}
    assert no_group.status_code == 400 and fields(no_group) == {"dynamic_group"}
    assert bad_group.status_code == 404 and fields(bad_group) == {"dynamic_group"}
    assert bad_flag.status_code == 400 and fields(bad_flag) == {"include_placeholders"}
    assert no_terms.status_code == 400 and fields(no_terms) == {"usem_ids"}
    assert bad_term.status_code == 404 and fields(bad_term) == {"usem_ids"}


def test_async_export_flow_to_the_download(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        sync = _export(http, "plan_courses", delivery_channel="http_file").text
        started = _export(http, "plan_courses", delivery_channel="s3")
        body = started.json()
        file_name = body["data"]["file_name"]
        first = http.get("/exports/get_export_url/", params={"file_name": file_name}).json()
        statuses = wait_for_export(http, file_name)
        done = http.get("/exports/get_export_url/", params={"file_name": file_name}).json()
    assert started.status_code == 200 and body["success"] is True
    data = body["data"]
    assert set(data) == {"name", "bg_task", "status", "file_name", "requested_on", "file_expiry"}
    assert data["name"] == "Plan courses" and data["status"] == "not_started"
    assert set(data["bg_task"]) == {"name", "description", "status", "start_time", "end_time", "task_id",
                                    "created_time"}
    assert data["bg_task"]["name"] == "async_export" and data["bg_task"]["start_time"] is None
    assert file_name.startswith("plan_courses-") and file_name.endswith(".csv")
    assert data["requested_on"].endswith("+00:00") and data["file_expiry"][:10] > data["requested_on"][:10]
    assert first == {"success": True, "status": "not_started", "url": None}
    assert statuses[-2:] == ["started", "completed"]
    assert done["status"] == "completed" and done["url"].startswith(sandbox.url("stellic") + "/_files/")
    download = httpx.get(done["url"])  # a pre-signed URL: no PAT
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert download.text == sync
    expires = int(parse_qs(urlsplit(done["url"]).query)["Expires"][0])
    assert 3 * 86400 - 60 < expires - time.time() <= 3 * 86400


def test_download_url_refused_when_tampered_or_expired(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        body, _ = export_async(http, "user_groups")
        url = http.get("/exports/get_export_url/",
                       params={"file_name": body["data"]["file_name"]}).json()["url"]
    query = parse_qs(urlsplit(url).query)
    tampered_expiry = url.replace(f"Expires={query['Expires'][0]}", f"Expires={int(query['Expires'][0]) + 86400}")
    other_file = url.replace("user_groups-", "permissions-")
    unsigned = url.split("?")[0]
    expired = signed_url(sandbox.url("stellic"), body["data"]["file_name"], int(time.time()) - 60, sandbox.seed)
    for bad in (tampered_expiry, other_file):
        response = httpx.get(bad)
        assert response.status_code == 403 and "<Code>SignatureDoesNotMatch</Code>" in response.text
    assert httpx.get(unsigned).status_code == 403
    response = httpx.get(expired)
    assert response.status_code == 403 and "<Message>Request has expired</Message>" in response.text
    assert httpx.get(url).status_code == 200


def test_get_export_url_errors(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        missing = http.get("/exports/get_export_url/")
        unknown = http.get("/exports/get_export_url/", params={"file_name": "plan_courses-1.csv"})
    assert missing.status_code == 400 and fields(missing) == {"file_name"}
    assert unknown.status_code == 404


@pytest.mark.parametrize("data_type", sorted(ALWAYS_ASYNC))
def test_background_data_types_go_async_even_when_sync_is_asked(sandbox: SandboxProcess, data_type: str) -> None:
    with client(sandbox) as http:
        response = _export(http, data_type, delivery_channel="http_file", **ALWAYS_ASYNC[data_type])
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert response.json()["data"]["file_name"].startswith(data_type + "-")


# ---- writes show in exports ------------------------------------------------------------------------
def test_created_section_shows_in_the_requirement_count_export(sandbox: SandboxProcess) -> None:
    term = current_term(sandbox)
    like = section_in(sandbox, term)
    with client(sandbox) as http:
        stored = http.post(f"{API}/catalog/section/90020", json={
            "name": "New seminar", "external_id": "19020", "course": like["course"], "campus": "HAN", "term": term,
            "type": "Seminar", "start_date": "2026-09-10", "end_date": "2026-11-25"})
        assert stored.status_code == 201
        _, text = export_async(http, "audit_coursesection_requirement_count", usem_ids=term)
    rows = [line.split(",") for line in text.splitlines()]
    assert rows[0][:3] == ["Section ID", "External ID", "Course"]
    assert ["90020", "19020", like["course"], term] in [r[:4] for r in rows]


def test_tag_and_enrollment_writes_show_in_exports(sandbox: SandboxProcess) -> None:
    future = max(s.term.stellic_id for s in world(sandbox).sections.values())
    section = section_in(sandbox, future)
    with client(sandbox) as http:
        assert http.post(f"{API}/students/mabbott/tags/athlete").status_code == 201
        group = csv_lines(_export(http, "dynamic_group_entities", dynamic_group="Varsity Athletes"))
        before = csv_lines(_export(http, "plancourse_enrollment_by_term"))
        put = http.put(f"{API}/students/mabbott/terms/{future}/course_enrollments",
                       json=[{"course": section["course"], "sections": [section["id"]]}])
        assert put.status_code == 200
        after = csv_lines(_export(http, "plancourse_enrollment_by_term"))
    assert any(line.startswith("Morgan,Abbott,") for line in group)

    def count(lines: list[str]) -> int:
        return next((int(x.rsplit(",", 1)[1]) for x in lines if x.startswith(f"{section['course']},")
                     and f",{future}," in x), 0)

    assert count(after) == count(before) + 1


def test_registration_time_shows_in_registration_details(sandbox: SandboxProcess) -> None:
    body = {"student_username": "sstanton", "timestamp": "2027-02-01 09:00", "semester": "spring", "year": 2027,
            "term": "20272"}
    with client(sandbox) as http:
        before = csv_lines(_export(http, "registration_details", semester="spring", year="2027"))
        assert http.post(f"{API}/registration_times/60100", json=body).status_code == 201
        after = csv_lines(_export(http, "registration_details", semester="spring", year="2027"))
    assert not any(line.startswith("sstanton,") for line in before)
    assert any(line.startswith("sstanton,11,Sam Stanton,spring,2027,registration,2027-02-01 09:00,") for line in after)


# ---- the 2-minute limit of sync exports -----------------------------------------------------------------
SMALL_LIMIT = """
import asyncio, sys
from gateway.sandbox.runner import SandboxConfig, serve
from gateway.sandbox.simulator import SandboxOptions
ports = dict(zip(("stellic", "hubmis", "dartmouth"), map(int, sys.argv[1:4])))
config = SandboxConfig(ports=ports, students=60,
                       options=SandboxOptions(seed=7, sync_export_max_rows=25, export_seconds=0.3))
asyncio.run(serve(config, on_ready=lambda text: print(text, flush=True)))
"""


@pytest.fixture(scope="module")
def small_limit() -> Iterator[str]:
    """A sandbox whose sync exports "time out" above 25 rows (the CLI has no switch for it yet)."""
    ports = [free_port() for _ in range(3)]
    proc = subprocess.Popen([sys.executable, "-c", SMALL_LIMIT, *map(str, ports)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    output = ""
    for line in proc.stdout:
        output += line
        if "Controls on each" in line:
            break
    else:
        raise RuntimeError(f"sandbox did not start:\n{output}")
    yield f"http://127.0.0.1:{ports[0]}"
    proc.terminate()
    proc.wait(timeout=10)


def test_large_sync_export_fails_like_the_2_minute_timeout(small_limit: str) -> None:
    headers = {"Authorization": "Bearer sandbox-stellic-pat"}
    with httpx.Client(base_url=small_limit, headers=headers) as http:
        started = time.monotonic()
        refused = http.get("/exports/export_data/plan_courses",
                           params={"output_format": "csv", "delivery_channel": "http_file"})
        elapsed = time.monotonic() - started
        small = http.get("/exports/export_data/user_groups",
                         params={"output_format": "csv", "delivery_channel": "http_file"})
        default = http.get("/exports/export_data/plan_courses", params={"output_format": "csv"})
        s3 = http.get("/exports/export_data/plan_courses", params={"output_format": "csv", "delivery_channel": "s3"})
    assert refused.status_code == 504 and elapsed < 5
    assert "2-minute" in refused.json()["message"] and "delivery_channel=s3" in refused.json()["message"]
    assert small.status_code == 200
    # Without a delivery_channel, Stellic decides for itself and runs a large export in the background.
    assert default.status_code == 200 and default.json()["data"]["status"] == "not_started"
    assert s3.status_code == 200 and s3.json()["data"]["file_name"].startswith("plan_courses-")
