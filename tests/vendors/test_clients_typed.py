"""Typed client methods against the sandbox: each returns its vendor model filled with the sandbox's real values."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from gateway.sandbox import credentials as creds
from gateway.vendors.config import Secret
from gateway.vendors.dartmouth import routes as dartmouth_routes
from gateway.vendors.dartmouth.models import (
    DartmouthEnrollment,
    DartmouthHold,
    DartmouthHoldType,
    DartmouthPerson,
    DartmouthSection,
    DartmouthStudent,
    DartmouthTask,
    DartmouthTerm,
)
from gateway.vendors.errors import VendorBadRequest, VendorNotFound
from gateway.vendors.hubmis.models import (
    HubmisAcademicYear,
    HubmisAttendanceMark,
    HubmisContact,
    HubmisGroup,
    HubmisStaff,
    HubmisStudent,
    HubmisTimetablePeriod,
)
from gateway.vendors.stellic.client import R
from gateway.vendors.stellic.models import (
    StellicAudit,
    StellicEngagementScore,
    StellicExportJob,
    StellicExportStatus,
    StellicHoldResult,
    StellicItemResults,
    StellicPlanner,
    StellicRegistrationTime,
    StellicSeatCounts,
    StellicSection,
    StellicSectionTimings,
    StellicStatusResult,
    item_errors,
)
from tests.sandboxproc import SandboxProcess

MakeClient = Callable[..., Any]
SEED_003 = Path(__file__).parent / "seeds" / "dartmouth_003_current_undergraduate.json"


# ---- Dartmouth -----------------------------------------------------------------------------------------------
async def test_dartmouth_get_student_is_seed_003s_sample(make_client: MakeClient) -> None:
    client = await make_client("dartmouth")
    student = await client.get_student("d59951y")
    assert isinstance(student, DartmouthStudent)
    # The sandbox serves the seed's first sample under the netid asked for, adding only cache_date.
    expected = DartmouthStudent.from_payload({**json.loads(SEED_003.read_text()), "netid": "d59951y"})
    assert student.cache_date is not None and replace(student, cache_date=None) == expected
    assert student.gpa_history is not None and student.gpa_history.cumulative() == 3.14
    assert student.primary_advisor is not None and student.primary_advisor.netid == "d13279t"


async def test_dartmouth_gpa_is_none_without_the_highly_sensitive_scope(make_client: MakeClient) -> None:
    client = await make_client("dartmouth", api_key=Secret(creds.DARTMOUTH_BASIC_KEY),
                               scopes=creds.DARTMOUTH_BASIC_SCOPES)
    student = await client.get_student("d59951y")
    assert student.gpa_history is None and student.class_year == "19"


async def test_dartmouth_people_terms_and_a_students_terms(make_client: MakeClient) -> None:
    client = await make_client("dartmouth")
    current = await client.list_terms(current_term_offset=0)
    assert len(current) == 1 and isinstance(current[0], DartmouthTerm) and current[0].current_term_offset == 0
    assert current[0].start_date is not None and current[0].end_date is not None
    assert current[0].start_date < current[0].end_date
    assert await client.get_term(current[0].id) == current[0]
    students = await client.list_students({"is_future_status": False, "student_status_id": "AS"}, limit=3)
    assert len(students) == 3 and all(s.student_status_id == "AS" for s in students)
    assert students[0].primary_advisor is not None and students[0].primary_advisor.netid
    advisor = await client.get_person(students[0].primary_advisor.netid)
    assert isinstance(advisor, DartmouthPerson) and "Faculty" in advisor.affiliations and advisor.last_name
    held = await client.list_student_terms(students[0].netid)
    assert held and {t.netid for t in held} == {students[0].netid}
    assert current[0].sis_term_code in {t.sis_term_code for t in held}


async def test_dartmouth_enrollments_by_dot_path_filter_and_their_sections(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth", page_size=50)
    term = (await client.list_terms(current_term_offset=0))[0]
    enrollments = await client.list_enrollments({"term.sis_term_code": term.sis_term_code}, role="student")
    assert len(enrollments) > 50  # more than one page, all of them returned
    assert all(isinstance(e, DartmouthEnrollment) for e in enrollments)
    assert {e.term.sis_term_code for e in enrollments if e.term} == {term.sis_term_code}
    assert {e.role for e in enrollments} == {"student"}
    first = enrollments[0]
    assert await client.get_enrollment(first.id) == first
    assert first.section is not None and first.section.id is not None
    section = await client.get_section(first.section.id)
    assert isinstance(section, DartmouthSection) and section.crn == first.section.crn
    assert section.term is not None and section.term.sis_term_code == term.sis_term_code
    some = await client.list_sections({"term.sis_term_code": term.sis_term_code}, limit=5)
    assert len(some) == 5 and all(s.term and s.term.sis_term_code == term.sis_term_code for s in some)
    listed = [r for r in sandbox.requests("dartmouth")["requests"] if r["route"] == dartmouth_routes.LIST_SECTIONS.key]
    assert len(listed) == 1 and "pagesize=5" in listed[0]["query"]  # a limit asks for no more than it keeps


async def test_dartmouth_holds_and_hold_types(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth")
    hold_id = sandbox.records("dartmouth", "holds")["ids"][0]
    netid = sandbox.records("dartmouth", "holds", hold_id)["netid"]
    holds = await client.list_holds(netid=netid)
    assert holds and all(isinstance(h, DartmouthHold) and h.netid == netid for h in holds)
    types = await client.list_hold_types()
    assert all(isinstance(t, DartmouthHoldType) for t in types)
    assert holds[0].hold_type_id in {t.id for t in types}
    one = await client.get_hold_type(holds[0].hold_type_id or "")
    assert one.short_description == holds[0].short_description
    assert await client.get_hold(holds[0].id) == holds[0]
    assert {s.id for s in await client.list_schools()} >= {"UG", "TH"}


async def test_dartmouth_patch_returns_a_task_that_completes(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth")
    term = (await client.list_terms(current_term_offset=0))[0]
    enrollment = (await client.list_enrollments({"term.sis_term_code": term.sis_term_code}, role="student",
                                                limit=1))[0]
    submitted = datetime(2026, 3, 5, 17, 53, 46, tzinfo=UTC)
    task_id = await client.patch_enrollment(enrollment.id, submitted, None)
    assert isinstance(task_id, str) and len(task_id) == 24
    pending = await client.get_task(task_id)
    assert isinstance(pending, DartmouthTask) and pending.status == "accepted" and pending.path is None
    done = await client.wait_for_task(task_id, timeout_s=10, interval_s=0.2)
    assert done.status == "complete" and done.resource_id == enrollment.id
    assert sandbox.requests("dartmouth")["by_route"][dartmouth_routes.PATCH_ENROLLMENT.key] == 1  # sent once
    # The enrollment read before the PATCH is cached; the caller invalidates it when the task completes.
    await client.invalidate(dartmouth_routes.GET_ENROLLMENT, path={"id": enrollment.id})
    updated = await client.get_enrollment(enrollment.id)
    assert updated.course_assessment is not None and updated.course_assessment.submit_date == submitted


async def test_dartmouth_a_patch_with_both_dates_fails_in_its_task(make_client: MakeClient) -> None:
    client = await make_client("dartmouth")
    enrollment = (await client.list_enrollments(role="student", limit=1))[0]
    task_id = await client.patch_enrollment(enrollment.id, "2026-03-05T17:53:46Z", "2026-03-06T10:00:00Z")
    failed = await client.wait_for_task(task_id, timeout_s=10, interval_s=0.2)
    assert failed.status == "error" and "both submit_date and opt_out_date" in (failed.message or "")
    with pytest.raises(VendorNotFound):
        await client.get_task("0" * 24)


# ---- HUBmis ------------------------------------------------------------------------------------------------
async def test_hubmis_student_56_is_miles_whyde(make_client: MakeClient) -> None:
    client = await make_client("hubmis")
    miles = await client.get_student(56)
    assert isinstance(miles, HubmisStudent)
    assert (miles.first_name, miles.last_name, miles.external_id) == ("Miles", "Whyde", "MX99328")
    assert miles.date_of_birth == date(2010, 8, 24) and miles.person_type == "stduent"  # seed 002's spelling
    assert miles.last_login == datetime(2019, 8, 24, 14, 15, 22, tzinfo=UTC)
    assert miles.form is not None and miles.form.code == "9A"
    assert miles.year_group is not None and miles.year_group.code == "Y9"
    assert miles.gender is not None and miles.gender.name == "Male"


async def test_hubmis_students_by_snake_case_filter_over_every_page(make_client: MakeClient) -> None:
    client = await make_client("hubmis", page_size=10)
    miles = await client.get_student(56)
    assert miles.year_group is not None
    year_nine = await client.list_students(year_group=miles.year_group.id, enrolment_status="current")
    assert len(year_nine) > 10 and 56 in {s.id for s in year_nine}
    assert {s.year_group.code for s in year_nine if s.year_group} == {"Y9"}
    first = await client.list_students(sort={"lastName": "asc"}, limit=5)
    assert len(first) == 5 and [s.last_name for s in first] == sorted(s.last_name or "" for s in first)


async def test_hubmis_staff_12_and_the_staff_list(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("hubmis", page_size=4)
    ben = await client.get_staff(12)
    assert isinstance(ben, HubmisStaff)
    assert (ben.first_name, ben.last_name, ben.preferred_name, ben.job_title) == ("Benjamin", "Kakistos", "Ben",
                                                                                  "Head of Drama")
    assert ben.external_id == "ST5466X" and ben.departments and ben.roles
    details = await client.get_staff_school_details(12)
    assert details.id == 12 and {s.code for s in details.subjects} >= {"DR"}
    staff = await client.list_staff(status="current", limit=10)
    assert len(staff) == 10 and {s.status for s in staff} == {"current"} and len({s.id for s in staff}) == 10
    assert sandbox.requests("hubmis")["by_route"]["GET /api/v1/staff"] == 3  # pages of 4 until 10 are had


async def test_hubmis_attendance_between_two_dates(make_client: MakeClient) -> None:
    client = await make_client("hubmis")
    everything = await client.get_student_attendance(56)
    assert everything and all(isinstance(m, HubmisAttendanceMark) for m in everything)
    last_day = max(m.date for m in everything if m.date)
    window = await client.get_student_attendance(56, last_day - timedelta(days=6), last_day)
    assert window and all(m.date and last_day - timedelta(days=6) <= m.date <= last_day for m in window)
    assert {m.attendance_session for m in window} == {"am", "pm"}
    mornings = await client.get_student_attendance(56, last_day - timedelta(days=6), last_day, session="am")
    assert mornings and {m.attendance_session for m in mornings} == {"am"}
    assert all(m.attendance_code and m.attendance_code.code for m in window)


async def test_hubmis_timetable_and_calendar(make_client: MakeClient) -> None:
    client = await make_client("hubmis")
    weekly = await client.get_student_timetable(56)
    assert weekly and all(isinstance(p, HubmisTimetablePeriod) for p in weekly)
    assert weekly[0].period is not None and isinstance(weekly[0].period.time_from, time)
    assert weekly[0].subject_set is not None and weekly[0].staff
    marks = await client.get_student_attendance(56)
    school_day = max(m.date for m in marks if m.date)
    lessons = await client.get_student_timetable_calendar(56, school_day)
    assert lessons and {p.date for p in lessons} == {school_day}
    assert all(p.start and p.end and p.start < p.end for p in lessons)


async def test_hubmis_school_structure(make_client: MakeClient) -> None:
    client = await make_client("hubmis")
    years = await client.list_academic_years()
    assert all(isinstance(y, HubmisAcademicYear) for y in years)
    active = next(y for y in years if y.is_active)
    assert active.start_date is not None and active.start_date.month == 9
    terms = await client.list_terms(active.id)
    assert [t.name for t in terms] == ["Autumn Term", "Spring Term", "Summer Term"]
    form = await client.get_form(active.id, 93)
    assert isinstance(form, HubmisGroup) and (form.code, form.group_type) == ("9A", "form")
    assert form.year_group is not None and form.year_group.id == 8
    year_group = await client.get_year_group(active.id, 8)
    assert (year_group.code, year_group.group_type, year_group.uuid) == (
        "Y9", "year_group", "28db8526-dc32-4d18-9093-cde010d15b0b")
    english = await client.get_subject_set(active.id, 25)
    assert english.subject is not None and english.subject.code == "EN" and english.group_type == "subject_set"
    mine = await client.list_student_academic_structure(56)
    assert {(g.group_type, g.id) for g in mine} >= {("year_group", 8), ("form", 93), ("tutor_group", 98)}
    assert 56 in {s.id for s in await client.list_form_students(active.id, 93)}
    assert {s.code for s in await client.list_sections()} >= {"MS"}
    room = await client.get_room(123)
    assert (room.room_code, room.room_capacity) == ("Maths room", 50)


async def test_hubmis_houses_and_contacts(make_client: MakeClient) -> None:
    client = await make_client("hubmis")
    green = await client.get_house(9)
    assert (green.name, green.code, green.group_type, green.house_type) == ("Green House", "GH", "house", "boarding")
    boarding = await client.list_houses(house_type="boarding")
    assert 9 in {h.id for h in boarding} and {h.house_type for h in boarding} == {"boarding"}
    sarah = await client.get_contact(37)
    assert isinstance(sarah, HubmisContact) and (sarah.first_name, sarah.last_name) == ("Sarah", "Shmyth")
    assert 56 in {s.id for s in sarah.students}
    parents = await client.list_student_contact_relations(56)
    assert parents[0].contact is not None and parents[0].contact.id == 37 and parents[0].is_primary


# ---- Stellic ------------------------------------------------------------------------------------------------
async def test_stellic_engagement_scores_one_by_one_and_exported(make_client: MakeClient) -> None:
    client = await make_client("stellic")
    score = await client.get_engagement_score("sstanton")
    assert isinstance(score, StellicEngagementScore) and score == StellicEngagementScore("sstanton", "11", 5.0)
    everyone = await client.export_students_by_property()
    assert len(everyone) > 100 and {s.username: s.score for s in everyone}["mabbott"] == 3.0  # seed 000's rows


async def test_stellic_audit_and_planner(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("stellic")
    username = sandbox.records("stellic", "students")["ids"][0]
    progress = await client.get_audit(username, "registered", "progress")
    assert isinstance(progress, StellicAudit) and progress.success and progress.counts_for
    assert {c["program"] for c in progress.counts_for} == set(sandbox.records("stellic", "students",
                                                                              username)["programs"])
    custom = await client.get_audit(username, "registered", "unmatched", program_filter="all")
    assert custom.raw["success"] is True
    calls = sandbox.requests("stellic")["by_route"]
    assert calls[R["get_student_audit"].key] == 1 and calls[R["get_student_custom_audit"].key] == 1
    planner = await client.get_planner(username)
    assert isinstance(planner, StellicPlanner) and planner.future_courses
    assert {c.status for c in planner.future_courses} == {"planned"}


async def test_stellic_async_export_runs_to_a_download_url(make_client: MakeClient) -> None:
    client = await make_client("stellic")
    job = await client.export_data("plan_courses", {"mode": "unmatched", "course_filter": "registered"})
    assert isinstance(job, StellicExportJob) and job.status == "not_started" and job.file_name.endswith(".csv")
    assert job.bg_task is not None and job.bg_task.name == "async_export"
    first = await client.get_export_url(job.file_name)
    assert isinstance(first, StellicExportStatus) and not first.ready
    done = await client.wait_for_export(job.file_name, timeout_s=10, interval_s=0.3)
    assert done.ready and done.url and job.file_name in done.url
    csv_text = await client.export_data("user_groups", async_=False)
    assert isinstance(csv_text, str) and csv_text.splitlines()[0]


async def test_stellic_hold_create_update_delete(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("stellic")
    student = sandbox.records("stellic", "students", sandbox.records("stellic", "students")["ids"][0])
    created = await client.create_hold({"sis_id": "HOLD-T1", "student_id": student["student_id"], "hold_code": "AR",
                                        "note": "Pay by Friday"})
    assert isinstance(created, StellicHoldResult) and created.success
    assert (created.title, created.note) == ("Accounts Receivable", "Pay by Friday") and created.activities
    updated = await client.update_hold("HOLD-T1", {"student_id": student["student_id"], "hold_code": "NOPE",
                                                   "note": "Paid half"})
    assert updated.fields_updated["note"] == "Paid half" and updated.failed and "hold_code" in updated.failed
    assert sandbox.records("stellic", "holds", "HOLD-T1")["note"] == "Paid half"
    assert (await client.delete_hold("HOLD-T1")).success
    with pytest.raises(VendorBadRequest) as refused:
        await client.create_hold({"student_id": student["student_id"], "hold_code": "AR"})
    assert [e.field for e in item_errors(refused.value.detail)] == ["sis_id"]


async def test_stellic_section_writes(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("stellic")
    term = "20271"
    section = await client.create_section("9001", {
        "name": "AAAS 016 09", "external_id": "19001", "course": "AAAS 016", "campus": "HAN", "term": term,
        "type": "Lecture", "start_date": "2027-01-04", "end_date": "2027-03-12", "max_enrollment": 30,
        "timings": [{"start": "10:10", "end": "11:15", "day": "tuesday", "room": "105", "building": "Dartmouth Hall"}]})
    assert isinstance(section, StellicSection) and section.id == "9001" and section.start_date == date(2027, 1, 4)
    assert section.timings[0].start == time(10, 10) and section.linked_section
    seats = await client.update_section_enrollment_info("9001", {"available_enrollment": 12, "waitlist": 2})
    assert isinstance(seats, StellicSeatCounts) and (seats.max_enrollment, seats.available_enrollment) == (30, 12)
    timings = await client.update_section_timings("9001", [
        {"start": "13:00", "end": "14:05", "day": "friday", "room": "2", "building": "Kemeny Hall"}])
    assert isinstance(timings, StellicSectionTimings) and timings.timings[0].day == "friday"
    bulk = await client.bulk_update_section_enrollment_info([{"id": "9001", "waitlist": 0}])
    assert isinstance(bulk, StellicItemResults) and bulk.ok and bulk.success[0]["id"] == "9001"
    restriction = await client.create_section_restriction("R-1", {
        "section": "9001", "type": "campus", "operator": "eq", "student_sets": [{"campus": "HAN"}],
        "action": "reserved_seats"})
    assert restriction.section == "9001" and restriction.reserve_capacity == "0"  # the documented default
    assert (await client.delete_section_restriction("R-1")).success
    assert sandbox.records("stellic", "sections", "9001")["waitlist"] == 0


async def test_stellic_enrollment_and_profile_writes(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("stellic")
    username = sandbox.records("stellic", "students")["ids"][0]
    tagged = await client.add_student_tag(username, "honors")
    assert isinstance(tagged, StellicStatusResult) and tagged.ok and "honors" in tagged.state["tags"]
    assert "honors" not in (await client.remove_student_tag(username, "honors")).state["tags"]
    profile = await client.create_student_profile("newstu1", {
        "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.edu", "class_level_id": "FR",
        "term_joined": "20264"})
    assert profile.ok and profile.state["username"] == "newstu1"
    replaced = await client.replace_course_enrollments("newstu1", "20271", [{"course": "AAAS 016"},
                                                                             {"course": "NOPE 001"}])
    assert [c["course"] for c in replaced.success] == ["AAAS 016"]
    assert [(e.index, e.field) for e in replaced.errors] == [(1, "course")]
    section = await client.create_section("9002", {
        "name": "AAAS 016 08", "external_id": "19002", "course": "AAAS 016", "campus": "HAN", "term": "20271",
        "type": "Lecture", "start_date": "2027-01-04", "end_date": "2027-03-12"})
    added = await client.create_section_enrollment("SE-T1", [{
        "student_username": "newstu1", "course": "AAAS 016", "section": section.id, "is_enrollment_component": True}])
    assert added.ok and added.success[0]["id"] == "SE-T1" and added.success[0]["term"] == "20271"
    assert (await client.delete_section_enrollment("SE-T1")).success


async def test_stellic_registration_times(make_client: MakeClient) -> None:
    client = await make_client("stellic")
    created = await client.create_registration_time("99001", {
        "student_username": "mabbott", "timestamp": "2027-01-02 09:00", "end_timestamp": "2027-01-20 23:59",
        "semester": "winter", "year": 2027, "term": "20271"})
    assert isinstance(created, StellicRegistrationTime) and created.registration_time_id == "99001"
    assert created.timestamp == datetime(2027, 1, 2, 9, 0, tzinfo=UTC) and created.usem is not None
    moved = await client.update_registration_time("99001", {"timestamp": "2027-01-03 09:00"})
    assert moved.timestamp == datetime(2027, 1, 3, 9, 0, tzinfo=UTC) and moved.end_timestamp == created.end_timestamp
    assert (await client.delete_registration_time("99001")).success
