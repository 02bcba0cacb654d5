"""Stellic payload models: seed 000/001 samples verbatim, sandbox-shaped answers, and the documented anomalies."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from gateway.vendors.errors import VendorProtocolError
from gateway.vendors.stellic.models import (
    StellicAudit,
    StellicDeleteResult,
    StellicEngagementScore,
    StellicExportJob,
    StellicExportStatus,
    StellicHoldResult,
    StellicItemResults,
    StellicPlanner,
    StellicRegistrationTime,
    StellicSeatCounts,
    StellicSection,
    StellicSectionRestriction,
    StellicSectionTimings,
    StellicStatusResult,
    item_errors,
)

# ---- seed 001: the async export flow, verbatim -------------------------------------------------------------------
SEED_EXPORT_JOB = {
    "success": True,
    "data": {
        "name": "Plan courses",
        "bg_task": {
            "name": "async_export",
            "description": "Exports a report asynchronously",
            "status": "not_started",
            "start_time": None,
            "end_time": None,
            "task_id": "7df0a737-c2ca-4fba-847c-dba72085d071",
            "created_time": "2025-04-08 18:20:33.229534+00:00",
        },
        "status": "not_started",
        "file_name": "plan_courses-20250408_182033Z-9aQXvxxy.csv",
        "requested_on": "2025-04-08 18:20:33.236624+00:00",
        "file_expiry": "2025-04-11 18:20:33.236624+00:00",
    },
}
SEED_EXPORT_STARTED = {"success": True, "status": "started", "url": None}
SEED_EXPORT_COMPLETED = {
    "success": True,
    "status": "completed",
    "url": "https://stellicuni.s3.amazonaws.com/export/plan_courses-20250408_182033Z-9aQXvxxy.csv?AWSAccessKeyId="
           "{long_string}&Signature={another_long_string}&Expries=1744139034",
}

# ---- seed 000: response samples, verbatim (nested contents lost in the scrape) -------------------------------------
SEED_ENGAGEMENT_CSV = ["Username, ID, Engagement Score", "sstanton, 11, 5", "mabbott, 12, 3"]
SEED_PROPERTY = {"engagement_score": {}, "success": True}
SEED_AUDIT = {"unmatched_courses": [], "counts_for": [], "success": True}
SEED_PLANNER = {"future_courses": [], "success": True}
SEED_STATUS = {"status": "success", "state": {}, "errors": []}
SEED_TAG = {"status": "success", "state": {}}
SEED_ITEMS = {"success": [], "errors": []}
SEED_DELETED = {"success": True}
SEED_RT_DELETED = {"success": True, "errors": []}
SEED_SEATS = {"id": "string", "max_enrollment": 0, "available_enrollment": 0, "max_waitlist": 0, "waitlist": 0}
SEED_SECTION = {
    "id": "string", "name": "string", "external_id": "string", "course": "string", "campus": "string",
    "term": "string", "type": "string", "start_date": "2019-08-24", "end_date": "2019-08-24",
    "linked_section": "FA23-00123", "linked_sections": [], "topic": "string", "delivery_mode": "string",
    "max_enrollment": 0, "available_enrollment": 0, "max_waitlist": 0, "waitlist": 0, "details": {},
    "instructors": [], "timings": [],
}
SEED_RESTRICTION = {
    "section": "string", "type": "string", "operator": "eq", "student_sets": [], "action": "disallow_register",
    "note": "string", "reserve_capacity": "string", "start_date": None, "end_date": None, "rqrmnt_group": "string",
}
SEED_TIMINGS = {"section": "string", "timings": []}
SEED_HOLD_CREATED = {"success": True, "title": "string", "description": "string", "activities": [], "note": "string"}
SEED_HOLD_UPDATED = {"success": True, "fields_updated": {}, "failed": {}, "title": "string",
                     "description": "string", "activities": []}
SEED_REGISTRATION_TIME = {
    "registration_time_id": "57568", "registration_type": "registration", "timestamp": "2023-05-11 14:30",
    "end_timestamp": "2023-07-11 14:30", "student_username": "mabbott", "usem": {},
}


def test_the_seeds_async_export_job_and_its_polls() -> None:
    job = StellicExportJob.from_payload(SEED_EXPORT_JOB)
    assert job.success and job.file_name == "plan_courses-20250408_182033Z-9aQXvxxy.csv"
    assert (job.name, job.status) == ("Plan courses", "not_started")
    assert job.requested_on == datetime(2025, 4, 8, 18, 20, 33, 236624, tzinfo=UTC)
    assert job.file_expiry == datetime(2025, 4, 11, 18, 20, 33, 236624, tzinfo=UTC)
    assert job.bg_task is not None and job.bg_task.task_id == "7df0a737-c2ca-4fba-847c-dba72085d071"
    assert job.bg_task.start_time is None and job.bg_task.created_time == datetime(2025, 4, 8, 18, 20, 33, 229534,
                                                                                    tzinfo=UTC)
    assert StellicExportJob.from_payload(SEED_EXPORT_JOB["data"]) == job  # the data object alone reads the same
    started = StellicExportStatus.from_payload(SEED_EXPORT_STARTED)
    assert (started.status, started.url, started.ready) == ("started", None, False)
    done = StellicExportStatus.from_payload(SEED_EXPORT_COMPLETED)
    assert done.ready and done.url == SEED_EXPORT_COMPLETED["url"]  # opaque, "Expries" typo and all


def test_an_export_job_without_a_file_name_is_a_protocol_error() -> None:
    with pytest.raises(VendorProtocolError) as caught:
        StellicExportJob.from_payload({"success": True, "data": {"name": "Plan courses"}})
    assert caught.value.vendor == "stellic"


def test_the_seeds_engagement_csv_and_property_answer() -> None:
    rows = StellicEngagementScore.from_csv("\n".join(SEED_ENGAGEMENT_CSV))
    assert rows == [StellicEngagementScore("sstanton", "11", 5.0), StellicEngagementScore("mabbott", "12", 3.0)]
    assert StellicEngagementScore.from_payload(SEED_PROPERTY) == StellicEngagementScore(None, None, None)


def test_engagement_scores_as_the_sandbox_and_other_shapes_send_them() -> None:
    sandbox = {"engagement_score": {"username": "f00tt7n", "id": 100, "score": 3}, "success": True}
    assert StellicEngagementScore.from_payload(sandbox) == StellicEngagementScore("f00tt7n", "100", 3.0)
    assert StellicEngagementScore.from_payload({"engagement_score": "4.5", "success": True}).score == 4.5
    assert StellicEngagementScore.from_payload({"username": "x", "engagement_score": 2}).score == 2.0
    assert StellicEngagementScore.from_csv("") == [] and StellicEngagementScore.from_csv("a, 1, n/a")[0].score is None


def test_the_seeds_reads_keep_their_raw_answer() -> None:
    audit = StellicAudit.from_payload(SEED_AUDIT)
    assert audit.success and audit.unmatched_courses == () and audit.counts_for == () and audit.raw == SEED_AUDIT
    planner = StellicPlanner.from_payload(SEED_PLANNER)
    assert planner.success and planner.future_courses == () and planner.raw == SEED_PLANNER


def test_sandbox_audit_and_planner_items() -> None:
    progress = {"unmatched_courses": [{"course": "GOVT 048", "title": "International Politics", "term": "20263",
                                       "units": 1, "grade": "B", "status": "completed"}],
                "counts_for": [{"program": "GOVT-MAJ", "name": "Government Major", "courses_counted": 0,
                                "courses_required": 10, "percent_complete": 0}], "success": True}
    audit = StellicAudit.from_payload(progress)
    assert audit.unmatched_courses[0].course == "GOVT 048" and audit.unmatched_courses[0].units == 1.0
    assert audit.counts_for[0]["program"] == "GOVT-MAJ"
    planner = StellicPlanner.from_payload({"future_courses": [{"course": "HIST 026", "title": "Modern Europe",
                                                               "term": "20271", "units": 1, "grade": None,
                                                               "status": "planned"}], "success": True})
    assert [(c.course, c.term, c.status) for c in planner.future_courses] == [("HIST 026", "20271", "planned")]


def test_the_seeds_write_envelopes() -> None:
    assert StellicStatusResult.from_payload(SEED_STATUS).ok
    tagged = StellicStatusResult.from_payload(SEED_TAG)
    assert tagged.ok and tagged.state == {} and tagged.errors == ()
    assert StellicItemResults.from_payload(SEED_ITEMS) == StellicItemResults((), ())
    assert StellicDeleteResult.from_payload(SEED_DELETED) == StellicDeleteResult(True, ())
    assert StellicDeleteResult.from_payload(SEED_RT_DELETED).success


def test_per_item_errors_name_the_item_and_field() -> None:
    partial = StellicItemResults.from_payload({
        "success": [{"course": "AAAS 016", "term": "20263"}],
        "errors": [{"index": 1, "field": "course", "message": "Course 'NOPE 001' not found."}, "plain text"]})
    assert not partial.ok and partial.success[0]["course"] == "AAAS 016"
    assert [(e.index, e.field, e.message) for e in partial.errors] == [
        (1, "course", "Course 'NOPE 001' not found."), (None, None, "plain text")]
    refused = {"success": False, "message": "sis_id: This field is required.",
               "errors": [{"field": "sis_id", "message": "This field is required."}]}
    assert [e.field for e in item_errors(refused)] == ["sis_id"] and item_errors("Bad Request") == ()


def test_the_seeds_hold_answers() -> None:
    created = StellicHoldResult.from_payload(SEED_HOLD_CREATED)
    assert created.success and (created.title, created.note, created.activities) == ("string", "string", ())
    assert created.failed is None and created.fields_updated == {}
    updated = StellicHoldResult.from_payload(SEED_HOLD_UPDATED)
    assert updated.failed == {} and updated.note is None
    partly = StellicHoldResult.from_payload({
        "success": True, "fields_updated": {"note": "Call us"}, "failed": {"hold_code": "Hold code 'ZZ' not found."},
        "title": "Accounts Receivable", "description": "Outstanding balance",
        "activities": [{"activity": "registration", "effect": "blocked"}, "diploma"]})
    assert partly.fields_updated == {"note": "Call us"} and partly.failed == {"hold_code": "Hold code 'ZZ' not found."}
    assert [(a.activity, a.effect) for a in partly.activities] == [("registration", "blocked"), ("diploma", None)]


def test_the_seeds_registration_time_in_utc_with_either_id_type() -> None:
    rt = StellicRegistrationTime.from_payload(SEED_REGISTRATION_TIME)
    assert rt.registration_time_id == "57568" and rt.student_username == "mabbott" and rt.usem is None
    assert rt.timestamp == datetime(2023, 5, 11, 14, 30, tzinfo=UTC)
    assert rt.end_timestamp == datetime(2023, 7, 11, 14, 30, tzinfo=UTC)
    # #30 and #31 type the id as an integer.
    assert StellicRegistrationTime.from_payload({**SEED_REGISTRATION_TIME, "registration_time_id": 57568}) == rt
    with_usem = StellicRegistrationTime.from_payload({**SEED_REGISTRATION_TIME, "usem": {
        "id": "20271", "semester": "winter", "year": 2027, "name": "Winter 2027"}})
    assert with_usem.usem is not None and (with_usem.usem.id, with_usem.usem.year) == ("20271", 2027)
    with pytest.raises(VendorProtocolError):
        StellicRegistrationTime.from_payload({"timestamp": "2023-05-11 14:30"})


def test_the_seeds_section_seats_restriction_and_timings() -> None:
    section = StellicSection.from_payload(SEED_SECTION)
    assert (section.id, section.linked_section, section.start_date) == ("string", "FA23-00123", date(2019, 8, 24))
    assert section.details == {} and section.instructors == () and section.timings == ()
    seats = StellicSeatCounts.from_payload(SEED_SEATS)
    assert (seats.id, seats.max_enrollment, seats.waitlist) == ("string", 0, 0)
    restriction = StellicSectionRestriction.from_payload(SEED_RESTRICTION)
    assert (restriction.operator, restriction.action, restriction.start_date) == ("eq", "disallow_register", None)
    assert StellicSectionTimings.from_payload(SEED_TIMINGS) == StellicSectionTimings("string", ())


def test_a_sandbox_section_with_instructors_and_timings() -> None:
    section = StellicSection.from_payload({
        **SEED_SECTION, "id": "1001", "name": "AAAS 016 01", "external_id": "10201",
        "details": {"title": "Introduction to African American Studies", "units": 1},
        "instructors": [{"username": "djzde8g", "first_name": "Jasmine", "last_name": "Sanchez",
                         "email": "jasmine.m.sanchez@dartmouth.edu", "role": "primary"}],
        "timings": [{"start": "08:10", "end": "09:15", "day": "monday", "room": "120", "building": "Carson Hall",
                     "start_date": None, "end_date": "2026-08-27"}]})
    assert section.instructors[0].username == "djzde8g" and section.details["units"] == 1
    timing = section.timings[0]
    assert (timing.day, timing.start, timing.end, timing.end_date) == ("monday", time(8, 10), time(9, 15),
                                                                       date(2026, 8, 27))


@pytest.mark.parametrize("payload", [None, [], "ok"])
def test_an_answer_that_is_not_an_object_is_a_protocol_error(payload: Any) -> None:
    for model in (StellicItemResults, StellicStatusResult, StellicHoldResult, StellicSection, StellicAudit):
        with pytest.raises(VendorProtocolError):
            model.from_payload(payload)
