"""Stellic bulk exports through the real gateway: rows at once, or a Task whose result is the download URL."""

from __future__ import annotations

import httpx

from tests.gateway.test_mutations_assessment import poll
from tests.gateway.writes import USER_ERRORS, calls, codes, mutate
from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

EXPORT = f"""mutation($t: String!, $p: JSON, $a: Boolean) {{ startExport(dataType: $t, params: $p, async: $a) {{
  success dataType task {{ id kind status resultUrl vendorId subject }} columns rows rowCount {USER_ERRORS} }} }}"""
EXPORT_ROUTE = "GET /exports/export_data/{data_type}"


def test_a_synchronous_export_answers_its_rows(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    payload = mutate(gateway, EXPORT, {"t": "engagement_score", "a": False})
    assert payload["success"] and payload["task"] is None
    assert payload["columns"] == ["Username", "ID", "Engagement Score"]
    assert payload["rowCount"] == len(payload["rows"]) > 100
    assert {"Username": "mabbott", "ID": "12", "Engagement Score": "3"} in payload["rows"]
    (call,) = calls(sandbox, "stellic")
    assert "delivery_channel=http_file" in call["query"] and "output_format=csv" in call["query"]


def test_an_asynchronous_export_is_a_task_whose_result_is_the_download(gateway: GatewayProcess,
                                                                       sandbox: SandboxProcess) -> None:
    payload = mutate(gateway, EXPORT, {"t": "plan_courses", "p": {"mode": "unmatched",
                                                                  "course_filter": "registered"}})
    task = payload["task"]
    assert payload["success"] and payload["rows"] is None
    assert (task["kind"], task["status"], task["subject"]) == ("EXPORT", "PENDING", "plan_courses")
    assert task["vendorId"].startswith("plan_courses-")
    (call,) = calls(sandbox, "stellic")
    assert "delivery_channel=s3" in call["query"] and "mode=unmatched" in call["query"]
    done = poll(gateway, task["id"])[-1]
    assert done["status"] == "COMPLETE"
    download = httpx.get(done["resultUrl"])  # pre-signed: no credentials needed
    assert download.status_code == 200 and download.text.splitlines()[0].startswith("Username")


def test_list_parameters_repeat_and_stellic_may_choose_the_background(gateway: GatewayProcess,
                                                                      sandbox: SandboxProcess) -> None:
    a, b = (int(t) for t in sandbox.records("stellic", "terms")["ids"][:2])
    payload = mutate(gateway, EXPORT, {"t": "audit_coursesection_requirement_count", "p": {"usem_ids": [a, b]},
                                       "a": False})
    assert payload["task"]["status"] in ("PENDING", "RUNNING")  # this data type always runs in the background
    (call,) = calls(sandbox, "stellic")
    assert f"usem_ids={a}&usem_ids={b}" in call["query"]
    unknown = mutate(gateway, EXPORT, {"t": "audit_coursesection_requirement_count", "p": {"usem_ids": [1]}})
    assert codes(unknown) == [(["params", "usem_ids"], "NOT_FOUND")]


def test_years_go_as_the_one_bracketed_list_seed_001_shows(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Seed 001's sample is ``years=[2020,2021,2022,2023]``, one parameter: repeated, Stellic reads one year only."""
    every = mutate(gateway, EXPORT, {"t": "plancourse_enrollment_by_term", "a": False})
    last = max(int(r["Year"]) for r in every["rows"])
    payload = mutate(gateway, EXPORT, {"t": "plancourse_enrollment_by_term", "p": {"years": [last, last - 1]},
                                       "a": False})
    assert payload["success"] and payload["userErrors"] == [], payload
    assert payload["rows"] == [r for r in every["rows"] if int(r["Year"]) in (last, last - 1)]
    call = calls(sandbox, "stellic")[-1]
    assert f"years=%5B{last},{last - 1}%5D" in call["query"] and call["query"].count("years=") == 1


def test_export_input_errors_are_caught_before_any_call(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    payload = mutate(gateway, EXPORT, {"t": "Plan Courses", "p": {"delivery_channel": "s3", "tags": [{"a": 1}]}})
    assert sorted(codes(payload)) == sorted([(["dataType"], "INVALID"), (["params", "delivery_channel"], "INVALID"),
                                             (["params", "tags"], "INVALID")])
    not_object = mutate(gateway, EXPORT, {"t": "plan_courses", "p": [1, 2]})
    assert codes(not_object) == [(["params"], "INVALID")]
    trailing_newline = mutate(gateway, EXPORT, {"t": "plan_courses\n"})  # not sent as plan_courses%0A
    assert not trailing_newline["success"] and codes(trailing_newline) == [(["dataType"], "INVALID")]
    assert calls(sandbox, "stellic") == []


def test_an_unknown_data_type_and_a_sync_export_too_large(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    unknown = mutate(gateway, EXPORT, {"t": "no_such_export"})
    assert codes(unknown) == [(["dataType"], "NOT_FOUND")]
    sandbox.faults("stellic", route=EXPORT_ROUTE, fail_next=1, error_status=504)  # Stellic's 2-minute limit
    too_large = mutate(gateway, EXPORT, {"t": "plan_courses", "a": False})
    assert codes(too_large) == [(["async"], "USE_ASYNC")]
    assert sandbox.requests("stellic")["by_route"][EXPORT_ROUTE] == 2  # one each: an export is never repeated
