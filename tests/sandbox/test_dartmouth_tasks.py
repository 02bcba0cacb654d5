"""Dartmouth simulator: PATCH of an enrollment's course_assessment and the task that carries it out (seed 004).

The session's sandbox runs with ``--task-seconds 0.5`` (tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import re
import time
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from gateway.sandbox import credentials as creds
from tests.sandbox.test_dartmouth import ALL, ENROLL_READ, ENROLL_WRITE, PRIVATE, Dartmouth
from tests.sandbox.test_dartmouth_students import ferpa_netids
from tests.sandboxproc import SandboxProcess

SEED_ENROLLMENT = "AAAS.010.01-202001-U-10188-f002qt1-student"
PATH = f"/api/academic/enrollments/{SEED_ENROLLMENT}"
SUBMITTED = {"course_assessment": {"submit_date": "2020-03-05T17:53:46Z", "opt_out_date": None}}
TASK_SECONDS = 0.5


def submit(api: Dartmouth, body: Any, path: str = PATH) -> str:
    """PATCH and return the task path from the Location header."""
    answer = api.patch(path, body)
    assert answer.status_code == 202, answer.text
    assert answer.json() == {"status": "accepted"}
    location = answer.headers["Location"]
    assert re.fullmatch(r"/api/tasks/[0-9a-f]{24}", location)
    return location


def settled(api: Dartmouth, task_path: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        task: dict[str, Any] = api.json(task_path)
        if task["status"] != "accepted":
            return task
        time.sleep(0.05)
    raise AssertionError(f"task {task_path} never settled")


def test_patch_completes_after_the_delay_and_only_then_changes_the_enrollment(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox)
    started = time.monotonic()
    task_path = submit(api, SUBMITTED)
    pending = api.json(task_path)
    assert pending == {"status": "accepted", "path": None, "message": None, "id": task_path.rsplit("/", 1)[1]}
    assert api.json(PATH)["course_assessment"] is None
    task = settled(api, task_path)
    assert time.monotonic() - started >= TASK_SECONDS - 0.05
    assert task == {"status": "complete", "path": sandbox.url("dartmouth") + PATH,
                    "message": "Enrollment updated successfully.", "id": pending["id"]}
    assert api.json(PATH)["course_assessment"] == SUBMITTED["course_assessment"]


def test_both_dates_fail_in_the_task_and_change_nothing(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox)
    both = {"course_assessment": {"submit_date": "2020-03-05T17:53:46Z", "opt_out_date": "2020-03-06T10:00:00Z"}}
    task = settled(api, submit(api, both))
    assert task["status"] == "error"
    assert task["message"] == "['Payload is invalid, contains values for both submit_date and opt_out_date.']"
    assert task["path"] == sandbox.url("dartmouth") + PATH
    assert api.json(PATH)["course_assessment"] is None


def test_both_null_clears_the_assessment(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox)
    opted_out = {"course_assessment": {"submit_date": None, "opt_out_date": "2020-03-06T10:00:00Z"}}
    assert settled(api, submit(api, opted_out))["status"] == "complete"
    assert api.json(PATH)["course_assessment"] == opted_out["course_assessment"]
    cleared = {"course_assessment": {"submit_date": None, "opt_out_date": None}}
    assert settled(api, submit(api, cleared))["status"] == "complete"
    assert api.json(PATH)["course_assessment"] is None


def test_enrollment_changes_when_the_delay_passes_even_if_nobody_polls(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox)
    submit(api, SUBMITTED)
    time.sleep(TASK_SECONDS + 0.2)
    assert sandbox.records("dartmouth", "enrollments", SEED_ENROLLMENT)["course_assessment"] == \
        SUBMITTED["course_assessment"]
    assert api.json(PATH)["course_assessment"] == SUBMITTED["course_assessment"]
    assert api.json("/api/academic/enrollments", netid="f002qt1", **{"course_assessment.submit_date": "2020*"})


@pytest.mark.parametrize("body", [
    {"course_assessment": {"submit_date": "2020-03-05T17:53:46Z"}},
    {"course_assessment": {"opt_out_date": None}},
    {"course_assessment": {"submit_date": None, "opt_out_date": None, "grade": "A"}},
    {"course_assessment": None},
    {"final_grade": "A", **SUBMITTED},
    {"course_assessment": {"submit_date": "yesterday", "opt_out_date": None}},
    [],
])
def test_invalid_payload_is_400(sandbox: SandboxProcess, body: Any) -> None:
    answer = Dartmouth(sandbox).patch(PATH, body)
    assert answer.status_code == 400 and answer.json()["message"]


def test_body_must_be_json(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox)
    for content, ctype in ((b"", "application/json"), (b"{nope", "application/json"),
                           (b'{"course_assessment": {"submit_date": null, "opt_out_date": null}}', "text/plain")):
        answer = httpx.patch(api.base + PATH, headers={**api.headers, "Content-Type": ctype}, content=content)
        assert answer.status_code == 400, (content, ctype)


def test_patch_needs_the_write_scope(sandbox: SandboxProcess) -> None:
    for api in (Dartmouth(sandbox, [ENROLL_READ]), Dartmouth(sandbox, ALL, creds.DARTMOUTH_BASIC_KEY)):
        answer = api.patch(PATH, SUBMITTED)
        assert answer.status_code == 403 and answer.json()["message"]


def test_unknown_enrollment_is_404(sandbox: SandboxProcess) -> None:
    answer = Dartmouth(sandbox).patch("/api/academic/enrollments/AAAS.010.01-202001-U-10188-zz999-student", SUBMITTED)
    assert answer.status_code == 404


def test_ferpa_enrollment_is_404_without_the_private_scope(sandbox: SandboxProcess) -> None:
    netid = ferpa_netids(sandbox)[0]
    enrollment = Dartmouth(sandbox).json("/api/academic/enrollments", netid=netid, role="student")[0]["id"]
    path = f"/api/academic/enrollments/{enrollment}"
    public = Dartmouth(sandbox, [s for s in ALL if s != PRIVATE])
    assert public.patch(path, SUBMITTED).status_code == 404
    assert public.get(path).status_code == 404
    assert Dartmouth(sandbox, [ENROLL_WRITE, PRIVATE]).patch(path, SUBMITTED).status_code == 202


def test_unknown_task_is_404(sandbox: SandboxProcess) -> None:
    assert Dartmouth(sandbox).get("/api/tasks/5cddb466b68a450c3b102bfd").status_code == 404


async def test_a_tasks_timer_settles_it_even_when_it_fires_before_the_clock_reaches_due(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """uvloop's timers run on a millisecond clock and may fire a little before ``time.monotonic()`` reaches
    a task's due time; the timer settles its task anyway (the enrollment changes with nobody polling)."""
    from gateway.sandbox.dartmouth import tasks

    enrollments: dict[str, dict[str, object]] = {"e1": {"course_assessment": None}}
    queue = tasks.TaskQueue(enrollments, delay_s=0.05)
    task = queue.submit("e1", "/api/academic/enrollments/e1", SUBMITTED["course_assessment"])
    real = time.monotonic
    # From now on the queue's clock lags the loop's by 20 ms: its timer fires before ``due`` by that clock.
    monkeypatch.setattr(tasks, "time", SimpleNamespace(monotonic=lambda: real() - 0.02))
    await asyncio.sleep(0.1)
    assert task.status == "complete"
    assert enrollments["e1"]["course_assessment"] == SUBMITTED["course_assessment"]
