"""Dartmouth payload models: seed 003/004 samples verbatim, sandbox-shaped payloads, and each documented anomaly."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from gateway.vendors.dartmouth.models import (
    DartmouthCourse,
    DartmouthEnrollment,
    DartmouthGpaHistory,
    DartmouthHold,
    DartmouthHoldType,
    DartmouthPerson,
    DartmouthSection,
    DartmouthStudent,
    DartmouthTask,
    DartmouthTerm,
    DartmouthValue,
)
from gateway.vendors.errors import VendorProtocolError

SEEDS = Path(__file__).parent / "seeds"


def seed(name: str) -> dict[str, Any]:
    """One of seed 003's three sample students, copied verbatim into tests/vendors/seeds/."""
    payload: dict[str, Any] = json.loads((SEEDS / f"dartmouth_003_{name}.json").read_text())
    return payload


# Seed 004's task samples, verbatim.
TASK_ACCEPTED = {"status": "accepted", "path": None, "message": None, "id": "630cf2e78b1c6c251cfbc125"}
TASK_COMPLETE = {
    "status": "complete",
    "path": "https://api-dev.dartmouth.edu/api/academic/enrollments/AAAS.010.01-202001-U-10188-f002qt1-student",
    "message": "Enrollment updated successfully.",
    "id": "630cf2e78b1c6c251cfbc125",
}
TASK_ERROR = {
    "status": "error",
    "path": "https://api-dev.dartmouth.edu/api/academic/enrollments/AAAS.010.01-202001-U-10188-f002qt1-student",
    "message": "['Payload is invalid, contains values for both submit_date and opt_out_date.']",
    "id": "630cf3b161b5fada66eb9358",
}

# Payloads as the sandbox serves them (copied from its answers).
ENROLLMENT = {
    "id": "AAAS.016.01-202606-U-10201-djzde8g-instructor", "netid": "djzde8g", "role": "instructor",
    "section": {"id": "AAAS.016.01-202606-U-10201", "crn": "10201", "subject_id": "AAAS", "course_number": "016",
                "section_number": "01", "course_id": "AAAS.016-202001",
                "title": "Introduction to African American Studies"},
    "term": {"id": "202606-U", "sis_term_code": "202606", "name": "Summer 2026",
             "start_date": "2026-06-20T05:00:00Z", "end_date": "2026-08-27T05:00:00Z"},
    "is_active": False, "is_in_session": False, "course_assessment": None, "final_grade": None,
    "cache_date": "2026-11-23T19:45:35Z",
}
SECTION = {
    "id": "AAAS.016.01-202606-U-10201", "crn": "10201", "subject_id": "AAAS", "course_number": "016",
    "section_number": "01", "course_id": "AAAS.016-202001", "title": "Introduction to African American Studies",
    "section_type_id": "LEC",
    "term": {"id": "202606-U", "sis_term_code": "202606", "name": "Summer 2026",
             "start_date": "2026-06-20T05:00:00Z", "end_date": "2026-08-27T05:00:00Z"},
    "sis_section": {"id": "10201", "term_code": "202606"}, "lms_section": {"id": "AAAS.016.01-SU26"},
    "crosslist": None, "campus": "HAN", "is_active": False, "is_in_session": False, "max_enrollment": 120,
    "enrollment": 10, "seats_available": 110, "max_waitlist": 10, "waitlist": 0,
    "instructors": [{"netid": "djzde8g", "name": "Jasmine Sanchez", "is_primary": True}],
    "meeting_times": [{"day": "monday", "start_time": "08:10", "end_time": "09:15", "building": "Carson Hall",
                       "room": "120"}],
    "cache_date": "2026-11-23T19:45:35Z",
}
TERM = {
    "id": "202001-U", "sis_term_code": "202001", "name": "Winter 2020", "school_id": "UG",
    "start_date": "2020-01-05T05:00:00Z", "end_date": "2020-03-14T05:00:00Z", "is_active": False,
    "is_in_session": False,
    "lms_term": {"id": "WI20", "name": "Winter 2020", "is_course_send_enabled": False,
                 "is_enroll_send_enabled": False},
    "quarterly_term": {"id": "202001", "name": "Winter 2020", "start_date": "2020-01-05T05:00:00Z",
                       "end_date": "2020-03-14T05:00:00Z", "current_term_offset": -27},
    "cache_date": "2026-11-23T19:45:35Z",
}
STUDENT_TERM = {
    "netid": "f00q1kd", "term_id": "202609-U", "school_id": "UG", "is_active": True,
    "start_date": "2026-09-10T05:00:00Z", "end_date": "2026-11-25T05:00:00Z",
    "lms_term": {"id": "FA26", "name": "Fall 2026", "is_course_send_enabled": True, "is_enroll_send_enabled": True},
    "quarterly_term": {"id": "202609", "name": "Fall 2026", "start_date": "2026-09-10T05:00:00Z",
                       "end_date": "2026-11-25T05:00:00Z", "current_term_offset": 0},
    "cache_date": "2026-11-23T19:45:35Z",
}
HOLD = {
    "id": "500001", "netid": "f008f7e", "hold_type_id": "AR", "hold_type_code": "AR",
    "short_description": "Accounts Receivable", "description": "Outstanding balance on the student account",
    "note": "See the office", "from_date": "2026-06-12T05:00:00Z", "to_date": None, "is_active": True,
    "cache_date": "2026-11-23T19:45:35Z",
}
HOLD_TYPE = {
    "id": "AR", "short_description": "Accounts Receivable",
    "long_description": "Outstanding balance on the student account", "category": "Financial",
    "resolution": "Pay the balance at the Student Accounts office",
    "resolution_url": "https://www.dartmouth.edu/reg/holds/ar", "guid": "772444e7eb5cc9bf0a801f0b",
    "cache_date": "2026-11-23T19:45:35Z",
}
PERSON = {
    "netid": "djzde8g", "name": "Jasmine M. Sanchez", "prefix": "Prof.", "first_name": "Jasmine",
    "middle_name": "Maya", "last_name": "Sanchez", "suffix": None, "email": "jasmine.m.sanchez@dartmouth.edu",
    "title": "Associate Professor of African and African American Studies", "campus_address": "HB 2055",
    "affiliations": [{"name": "Faculty"}, {"name": "Employee"}], "dartmouth_affiliation": "DART",
    "department_class": "African and African American Studies",
    "telephone_numbers": [{"telephone_number": "603-646-3643", "telephone_type_id": "CAMPUS", "data_source": "HR"}],
    "cache_date": "2026-11-23T19:45:35Z",
}
COURSE = {
    "id": "AAAS.016-202001", "subject_id": "AAAS", "course_number": "016", "department_id": "AAAS",
    "department_name": "African and African American Studies", "division_id": "INTER",
    "name": "Introduction to African American Studies", "term_code_effective": "202001", "distributives": [],
    "culture_options": [], "course_attributes": [], "is_active": True, "is_credit_nocredit": False,
    "non_recording_options": [], "cache_date": "2026-11-23T19:45:35Z",
}


# ---- seed 003 -------------------------------------------------------------------------------------------
def test_the_seeds_current_undergraduate_parses_with_its_values() -> None:
    s = DartmouthStudent.from_payload(seed("current_undergraduate"))
    assert (s.netid, s.school_id, s.class_year, s.student_type_id, s.student_status_id) == ("f00xxxx", "UG", "19",
                                                                                            "C", "AS")
    assert (s.term_code_eff, s.grad_term, s.current_admit_term_code, s.admission_type_id) == ("201909", "202103",
                                                                                              "201503", "ST")
    assert s.class_ is not None and (s.class_.code, s.class_.name) == ("JR", "Junior (UG)")
    assert s.is_future_status is False and s.is_fysep_participant is False and s.is_firstgen_student is False
    assert s.cache_date is None  # documented, absent from the samples
    high_school, dartmouth = s.academic_history
    assert high_school.institution is not None and high_school.institution.name == "Our Lady Of Good Counsel Hs"
    assert high_school.completion_date == date(2017, 5, 25) and high_school.start_date is None
    assert high_school.degree is None and high_school.source is not None and high_school.source.code == "UHT1"
    assert dartmouth.degree is not None and dartmouth.degree.level == "Bachelor of Arts"
    assert [(d.id, d.type) for d in dartmouth.degree.disciplines] == [("PSYC", "MAJOR"), ("EDUC", "MINOR"),
                                                                      ("THEA", "MINOR")]
    assert dartmouth.admit_term_code == "201503" and dartmouth.source is None
    assert s.primary_advisor is not None and s.primary_advisor.netid == "d13279t"
    assert [a.type for a in s.advisors] == ["Undergraduate Class Dean", "Faculty Advisor (first year)"]
    assert [(a.code, a.term_code_effective) for a in s.other_attributes] == [("EABE", "201903")]
    assert len(s.status_history) == 8 and s.status_history[-1].class_code == "SR"
    assert s.status_history[-1].student_status_id == "GS"
    assert [d.term_code for d in s.dplans] == ["201909", "202001", "202003"]
    assert s.dplans[0].dplan_source_id == "PHL" and s.dplans[0].student_status_id is None
    assert s.curriculum[0].degree_id == "AB" and s.curriculum[0].program is None
    assert s.varsity_sports == ()


def test_gpa_values_given_as_text_become_floats() -> None:
    gpa = DartmouthStudent.from_payload(seed("current_undergraduate")).gpa_history
    assert gpa is not None
    assert [(g.gpa_type_ind, g.gpa_value) for g in gpa.cumulative_gpa] == [("I", 3.14), ("O", 3.14), ("T", 0.0)]
    assert [(g.sis_term_code, g.gpa_value) for g in gpa.term_gpa] == [("202003", 3.33), ("202001", 3.53),
                                                                      ("202001", 2.42)]
    assert gpa.cumulative() == 3.14


def test_the_seeds_thayer_student_has_numeric_gpas_no_class_and_concentrations() -> None:
    s = DartmouthStudent.from_payload(seed("current_thayer"))
    assert s.school_id == "TH" and s.class_year == "TH" and s.class_ is None
    assert s.gpa_history is not None
    assert s.gpa_history.cumulative(school_id="TH") == 3.25
    assert s.gpa_history.cumulative(school_id="UG", gpa_type_ind="O") == 2.65
    assert s.gpa_history.term_gpa[6].gpa_value == 2.0  # written as the integer 2
    assert all(isinstance(g.gpa_value, float) for g in s.gpa_history.term_gpa)
    engineering = s.academic_history[2].degree
    assert engineering is not None and engineering.disciplines[0].concentrations[0].name == "Engg. Management"
    assert s.academic_history[1].completion_date == date(2017, 12, 19)
    assert s.primary_advisor is not None and s.primary_advisor.type == "Thayer Advisor"
    assert len(s.dplans) == 18 and s.dplans[-1].dplan_id == "E R"
    assert s.status_history[-1].class_code is None and s.status_history[-1].grad_term is None


def test_the_seeds_future_student_has_no_cumulative_gpa_and_an_empty_degree() -> None:
    s = DartmouthStudent.from_payload(seed("future_thayer"))
    assert s.advisors == () and s.primary_advisor is None
    assert s.gpa_history is not None and s.gpa_history.cumulative_gpa == () and s.gpa_history.cumulative() is None
    assert len(s.gpa_history.term_gpa) == 3
    middlebury = s.academic_history[1]
    assert middlebury.degree is not None and middlebury.degree.level is None and middlebury.degree.disciplines == ()
    assert middlebury.source is not None and middlebury.source.name == "College Transcript 4*"


# ---- anomalies ------------------------------------------------------------------------------------------
def test_gpa_history_as_the_array_the_field_table_promises() -> None:
    flat = [{"gpa_type_ind": "I", "gpa_value": "3.5", "school_id": "UG"},
            {"gpa_type_ind": "I", "gpa_value": 3.2, "school_id": "UG", "sis_term_code": "202001"}]
    history = DartmouthGpaHistory.from_payload(flat)
    assert [g.gpa_value for g in history.cumulative_gpa] == [3.5]
    assert [(g.sis_term_code, g.gpa_value) for g in history.term_gpa] == [("202001", 3.2)]
    wrapped = DartmouthStudent.from_payload({"netid": "d1", "gpa_history": [
        {"cumulative_gpa": [{"gpa_type_ind": "I", "gpa_value": 2.9, "school_id": "UG"}], "term_gpa": []}]})
    assert wrapped.gpa_history is not None and wrapped.gpa_history.cumulative() == 2.9


def test_unreadable_gpa_values_are_none_not_errors() -> None:
    history = DartmouthGpaHistory.from_payload({"cumulative_gpa": [
        {"gpa_type_ind": "I", "gpa_value": "n/a"}, {"gpa_type_ind": "O", "gpa_value": None},
        {"gpa_type_ind": "T", "gpa_value": True}], "term_gpa": "lost"})
    assert [g.gpa_value for g in history.cumulative_gpa] == [None, None, None] and history.term_gpa == ()


def test_gpa_history_left_out_without_the_scope_is_none() -> None:
    payload = seed("current_undergraduate")
    del payload["gpa_history"]
    assert DartmouthStudent.from_payload(payload).gpa_history is None


def test_the_field_tables_fysep_spelling_is_read_too() -> None:
    assert DartmouthStudent.from_payload({"netid": "d1", "is_fysep_partcipant": True}).is_fysep_participant is True
    assert DartmouthStudent.from_payload({"netid": "d1", "is_fysep_participant": False,
                                          "is_fysep_partcipant": True}).is_fysep_participant is False


def test_a_student_with_only_its_netid_parses_with_empty_defaults() -> None:
    s = DartmouthStudent.from_payload({"netid": "d2", "school_code": "TU", "varsity_sports": [{"id": "D7"}, "D9"],
                                       "cache_date": "not a date", "class": {}})
    assert s.school_id == "TU"  # the deprecated alias stands in
    assert s.varsity_sports == ("D7", "D9") and s.cache_date is None and s.class_ is None
    assert s.academic_history == () and s.advisors == () and s.gpa_history is None and s.is_future_status is False


@pytest.mark.parametrize("payload", [{"class_year": "19"}, {"netid": None}, {"netid": ""}, ["d1"], None])
def test_a_student_without_its_netid_is_a_protocol_error_naming_the_vendor(payload: Any) -> None:
    with pytest.raises(VendorProtocolError) as caught:
        DartmouthStudent.from_payload(payload)
    assert caught.value.vendor == "dartmouth" and "student" in str(caught.value)


@pytest.mark.parametrize("model", [DartmouthEnrollment, DartmouthSection, DartmouthTerm, DartmouthHold,
                                   DartmouthHoldType, DartmouthPerson, DartmouthCourse, DartmouthValue, DartmouthTask])
def test_every_record_without_its_identity_key_is_a_protocol_error(model: Any) -> None:
    with pytest.raises(VendorProtocolError):
        model.from_payload({"name": "no id"})


# ---- seed 004 tasks ------------------------------------------------------------------------------------------
def test_the_seeds_tasks_settle_from_accepted_to_complete_or_error() -> None:
    pending = DartmouthTask.from_payload(TASK_ACCEPTED)
    assert not pending.done and pending.path is None and pending.resource_id is None
    done = DartmouthTask.from_payload(TASK_COMPLETE)
    assert done.done and done.succeeded and done.message == "Enrollment updated successfully."
    assert done.resource_id == "AAAS.010.01-202001-U-10188-f002qt1-student"
    failed = DartmouthTask.from_payload(TASK_ERROR)
    assert failed.done and not failed.succeeded and "both submit_date and opt_out_date" in (failed.message or "")


# ---- sandbox-shaped records -------------------------------------------------------------------------------------
def test_an_enrollment_keeps_its_section_term_and_assessment() -> None:
    e = DartmouthEnrollment.from_payload(ENROLLMENT)
    assert (e.netid, e.role, e.final_grade, e.course_assessment) == ("djzde8g", "instructor", None, None)
    assert e.section is not None and e.section.crn == "10201" and e.section.id == "AAAS.016.01-202606-U-10201"
    assert e.term is not None and e.term.sis_term_code == "202606" and e.term.start_date == date(2026, 6, 20)
    assessed = DartmouthEnrollment.from_payload({**ENROLLMENT, "course_assessment": {
        "submit_date": "2020-03-05T17:53:46Z", "opt_out_date": None}})
    assert assessed.course_assessment is not None
    assert assessed.course_assessment.submit_date == datetime(2020, 3, 5, 17, 53, 46, tzinfo=UTC)
    assert assessed.course_assessment.opt_out_date is None


def test_an_enrollment_without_netid_and_role_takes_them_from_its_documented_id() -> None:
    e = DartmouthEnrollment.from_payload({"id": "AAAS.010.01-202001-U-10188-f002qt1-student"})
    assert (e.netid, e.role, e.section, e.term) == ("f002qt1", "student", None, None)


def test_a_section_parses_seats_instructors_and_meeting_times() -> None:
    s = DartmouthSection.from_payload(SECTION)
    assert (s.max_enrollment, s.enrollment, s.seats_available, s.waitlist) == (120, 10, 110, 0)
    assert s.sis_section is not None and s.sis_section.id == "10201"
    assert s.lms_section is not None and s.lms_section.id == "AAAS.016.01-SU26"
    assert s.crosslist == () and s.instructors[0].netid == "djzde8g" and s.instructors[0].is_primary
    assert s.meeting_times[0].start_time == "08:10" and s.term is not None and s.term.name == "Summer 2026"
    crosslisted = DartmouthSection.from_payload({**SECTION, "crosslist": [{"id": "AMES.016.01"}, "AAAS.016.02"]})
    assert crosslisted.crosslist == ("AMES.016.01", "AAAS.016.02")


def test_terms_and_student_terms_share_one_model() -> None:
    t = DartmouthTerm.from_payload(TERM)
    assert (t.id, t.sis_term_code, t.current_term_offset, t.netid) == ("202001-U", "202001", -27, None)
    assert t.lms_term is not None and t.lms_term.id == "WI20" and t.start_date == date(2020, 1, 5)
    mine = DartmouthTerm.from_payload(STUDENT_TERM)
    assert (mine.id, mine.sis_term_code, mine.name, mine.netid) == ("202609-U", "202609", "Fall 2026", "f00q1kd")
    assert mine.current_term_offset == 0 and mine.is_active is True


def test_holds_hold_types_people_courses_and_value_lists() -> None:
    hold = DartmouthHold.from_payload(HOLD)
    assert (hold.netid, hold.hold_type_id, hold.from_date, hold.to_date) == ("f008f7e", "AR", date(2026, 6, 12), None)
    kind = DartmouthHoldType.from_payload(HOLD_TYPE)
    assert kind.category == "Financial" and kind.resolution_url == "https://www.dartmouth.edu/reg/holds/ar"
    person = DartmouthPerson.from_payload(PERSON)
    assert person.affiliations == ("Faculty", "Employee") and person.telephone_numbers[0].telephone_type_id == "CAMPUS"
    assert person.cache_date == datetime(2026, 11, 23, 19, 45, 35, tzinfo=UTC)
    course = DartmouthCourse.from_payload(COURSE)
    assert course.division_id == "INTER" and course.distributives == () and course.is_credit_nocredit is False
    school = DartmouthValue.from_payload({"id": "TH", "name": "Thayer School of Engineering", "is_active": True})
    assert (school.id, school.name, school.is_active, school.cache_date) == ("TH", "Thayer School of Engineering",
                                                                             True, None)
