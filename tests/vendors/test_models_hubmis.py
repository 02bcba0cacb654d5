"""HUBmis payload models: seed 002 samples, sandbox-shaped payloads, and each documented anomaly.

The seed samples live in tests/vendors/seeds/hubmis_002_samples.json as printed, minus the scrape's
artifacts (bullet marks, trailing commas). The scrape lost every nested object's contents (``{}``).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from gateway.vendors.errors import VendorProtocolError
from gateway.vendors.hubmis.models import (
    HubmisAcademicYear,
    HubmisAttendanceMark,
    HubmisConsent,
    HubmisContact,
    HubmisContactRelation,
    HubmisDepartment,
    HubmisEnrolment,
    HubmisGroup,
    HubmisRoom,
    HubmisSection,
    HubmisStaff,
    HubmisStaffSchoolDetails,
    HubmisStudent,
    HubmisSubject,
    HubmisTerm,
    HubmisTimetablePeriod,
)
from gateway.vendors.payload import envelope

SEED: dict[str, Any] = json.loads((Path(__file__).parent / "seeds" / "hubmis_002_samples.json").read_text())

# Payloads as the sandbox serves them (copied from its answers).
STUDENT_56 = {
    "id": 56, "access_status": "invited", "multi_realm": False,
    "academic_house": {"id": 2, "name": "Brunel", "code": "BR", "house_type": "academic"},
    "boarding_type": {"id": 3, "name": "Weekly Boarder", "code": "WB"},
    "boarding_house": {"id": 8, "name": "Field House", "code": "FH", "house_type": "boarding"},
    "country_of_birth": {"id": 826, "name": "United Kingdom", "code": "GB"}, "date_of_birth": "2010-08-24",
    "deleted_at": None, "ethnicity": {"id": 1, "name": "White - British", "code": "WBRI"},
    "enrolment_status": "current", "external_id": "MX99328", "faith": {"id": 1, "name": "Christian", "code": "CHR"},
    "first_name": "Miles", "gender": {"id": 2, "name": "Male", "code": "M"}, "has_global_note": False,
    "form": {"id": 93, "name": "Form 9A", "code": "9A", "year_group": {"id": 8, "name": "Year 9", "code": "Y9"}},
    "language_first": {"id": 1, "name": "English", "code": "ENG"},
    "language_second": {"id": 8, "name": "Arabic", "code": "ARA"}, "last_login": "2019-08-24T14:15:22Z",
    "last_name": "Whyde", "learning_support_record_summary": [], "middle_name": None, "name_in_local_language": None,
    "national_identity": None, "nationalities": [{"id": 826, "name": "British", "code": "GB"}],
    "person_type": "stduent", "preferred_name": None, "primary_email": "user@example.com",
    "profile_image": {"url": None}, "tags": [], "medical_condition_severity": [],
}
HOUSE_9 = {
    "id": 9, "address": None, "code": "GH",
    "genders": [{"id": 1, "name": "Female", "code": "F"}, {"id": 3, "name": "Non-binary", "code": "X"}],
    "house_parents": [{"id": 109, "external_id": "d6d39zz", "first_name": "Jose", "last_name": "Moore"}],
    "house_type": "boarding", "images": [], "max_students": 100, "name": "Green House", "note": None, "phone": None,
    "profile_image": {"url": None},
    "staff": [{"id": 105, "external_id": "d3efr4e", "first_name": "Alice", "last_name": "White"}],
    "system_profile_image": "aqua", "is_active": True,
}
ATTENDANCE = [
    {"id": 56115, "date": "2026-11-23", "date_time": "2026-11-23T13:55:00Z", "attendance_session": "pm",
     "attendance_code": {"id": 2, "code": "\\", "description": "Present (PM)"}, "description": None,
     "minutes_late": None},
    {"id": 56114, "date": "2026-11-23", "date_time": "2026-11-23T08:40:00Z", "attendance_session": "am",
     "attendance_code": {"id": 3, "code": "L", "description": "Late (before registers closed)"},
     "description": "Bus delayed", "minutes_late": 12},
]
CALENDAR = {"calendar": [{
    "id": 17100, "timetable": {"id": 27, "name": "Weekly Timetable 2026/27", "code": "WK2026"}, "day": "monday",
    "period": {"id": 1, "name": "P1", "time_from": "08:50:00", "time_to": "09:50:00"},
    "subject_set": {"id": 171, "name": "Music 9A", "code": "MUS9A"},
    "subject": {"id": 35, "name": "Music", "code": "MU"},
    "rooms": [{"id": 128, "name": "D3", "code": "D3"}],
    "staff": [{"id": 12, "external_id": "ST5466X", "first_name": "Benjamin", "last_name": "Kakistos"}],
    "date": "2026-11-23", "start": "2026-11-23T08:50:00Z", "end": "2026-11-23T09:50:00Z"}]}
STRUCTURE = [
    {"id": 8, "name": "Year 9", "code": "Y9", "group_type": "year_group",
     "academic_year": {"id": 7, "name": "2026/27", "code": "2026-27", "is_active": True}},
    {"id": 93, "name": "Form 9A", "code": "9A", "group_type": "form",
     "academic_year": {"id": 7, "name": "2026/27", "code": "2026-27", "is_active": True}},
]
RELATION = {
    "id": 1, "contact": {"id": 37, "first_name": "Sarah", "last_name": "Shmyth",
                         "title": {"id": 3, "name": "Ms", "code": "MS"}},
    "relationship_type": {"id": 1, "name": "Mother", "code": "MOT"}, "priority": 1, "is_primary": True,
    "parental_responsibility": True, "lives_with_student": True, "receives_correspondence": True,
    "emergency_contact": True,
}


# ---- seed 002 -------------------------------------------------------------------------------------------------
def test_the_seeds_student_56_is_miles_whyde_with_its_typo_kept() -> None:
    s = HubmisStudent.from_payload(SEED["student"])
    assert (s.id, s.first_name, s.last_name, s.external_id) == (56, "Miles", "Whyde", "MX99328")
    assert s.person_type == "stduent" and s.enrolment_status == "current" and s.access_status == "invited"
    assert s.date_of_birth == date(2010, 8, 24) and s.last_login == datetime(2019, 8, 24, 14, 15, 22, tzinfo=UTC)
    assert s.middle_name is None and s.deleted_at is None and s.has_global_note is False
    # The scrape lost every nested object: an empty {} is no reference at all.
    assert s.form is None and s.year_group is None and s.gender is None and s.academic_house is None
    assert s.nationalities == () and s.tags == () and s.profile_image_url is None


def test_the_seeds_staff_contact_and_staff_details() -> None:
    ben = HubmisStaff.from_payload(SEED["staff"])
    assert (ben.id, ben.first_name, ben.preferred_name, ben.job_title, ben.status) == (
        12, "Benjamin", "Ben", "Head of Drama", "current")
    assert ben.external_id == "ST5466X" and ben.title is None and ben.departments == () and ben.roles == ()
    sarah = HubmisContact.from_payload(SEED["contact"])
    assert (sarah.id, sarah.first_name, sarah.last_name, sarah.status) == (37, "Sarah", "Shmyth", "active")
    assert sarah.deleted_at == datetime(2019, 8, 24, 14, 15, 22, tzinfo=UTC) and sarah.external_id is None
    details = HubmisStaffSchoolDetails.from_payload(SEED["staff_school_details"])
    assert (details.id, details.job_title, details.timetable_code) == (54, "Teacher", "PK3")
    assert details.learning_support_coordinator is False


def test_the_seeds_groups_share_one_shape() -> None:
    house = HubmisGroup.from_payload(SEED["house"])
    assert (house.id, house.code, house.name, house.house_type, house.max_students) == (9, "GH", "Green House",
                                                                                      "boarding", 100)
    assert house.is_active is True and house.genders == () and house.group_type is None
    form = HubmisGroup.from_payload(SEED["form"])
    assert (form.id, form.code, form.student_count, form.short_description) == (93, "9A", 30, "Year 9 form group A")
    assert form.academic_year is None and form.section is None
    tutor = HubmisGroup.from_payload(SEED["tutor_group"])
    assert (tutor.id, tutor.code, tutor.timetable_code, tutor.student_count) == (98, "TG09X", "TG9X", 10)
    english = HubmisGroup.from_payload(SEED["subject_set"])
    assert (english.credit_score, english.date_start, english.date_end) == (12, date(2019, 4, 24), date(2019, 9, 24))
    year = HubmisGroup.from_payload(SEED["year_group"])
    assert (year.dfe_year, year.key_stage, year.form_count, year.position) == ("1", "KS5", 4, 5)
    assert year.student_count == 400  # a year group's total_student_count
    assert year.uuid == "28db8526-dc32-4d18-9093-cde010d15b0b" and year.final_year is False
    orchestra = HubmisGroup.from_payload(SEED["extra_curricular_activity"])
    assert (orchestra.code, orchestra.date_end, orchestra.year_groups) == ("ORCH", date(2019, 11, 24), ())


def test_the_seeds_structure_records() -> None:
    section = HubmisSection.from_payload(SEED["section"])
    assert (section.id, section.code, section.name, section.position) == (5, "MS", "Middle School", 1)
    room = HubmisRoom.from_payload(SEED["room"])
    assert (room.id, room.room_code, room.room_capacity, room.timetable_code) == (123, "Maths room", 50, "12355AAXP4")
    science = HubmisDepartment.from_payload(SEED["department"])
    assert (science.id, science.code, science.can_copy) == (3, "SCI", None)  # the deprecated variant has no can_copy
    maths = HubmisSubject.from_payload(SEED["subject"])
    assert (maths.id, maths.code, maths.can_copy, maths.alternative_name, maths.color_option) == (33, "MATH", False,
                                                                                                   None, None)
    biology = HubmisSubject.from_payload(SEED["subject_deprecated"])
    assert (biology.alternative_name, biology.color_option, biology.can_copy) == ("Life Science", 3, None)


def test_the_seeds_enrolment_and_consent() -> None:
    enrolment = HubmisEnrolment.from_payload(SEED["enrolment"])
    assert enrolment.start_date == date(2017, 8, 24) and enrolment.unique_pupil_number_status == "temporary"
    assert (enrolment.account_reference, enrolment.candidate_number, enrolment.unique_pupil_number) == (
        "OU812", "AA23", "90210")
    consent = HubmisConsent.from_payload(SEED["consent"])
    assert all(getattr(consent, f) is True for f in consent.__slots__)


# ---- anomalies -------------------------------------------------------------------------------------------------
def test_lists_come_as_a_bare_array_or_a_data_envelope() -> None:
    bare = [HubmisStudent.from_payload(p) for p in envelope([SEED["student"]])]
    wrapped = [HubmisStudent.from_payload(p) for p in envelope({"data": [SEED["student"]], "meta": {"total": 1},
                                                                 "links": {}})]
    assert bare == wrapped and bare[0].id == 56
    assert envelope({"message": "Unauthenticated."}) == [] and envelope(None) == []


def test_ids_sent_as_text_and_unknown_dates_are_tolerated() -> None:
    s = HubmisStudent.from_payload({"id": "56", "date_of_birth": "24/08/2010", "last_login": "yesterday",
                                    "tags": ["honours", {"name": "sen"}, 7]})
    assert s.id == 56 and s.date_of_birth is None and s.last_login is None and s.tags == ("honours", "sen", "7")
    assert s.first_name is None and s.form is None


@pytest.mark.parametrize("model", [HubmisStudent, HubmisStaff, HubmisContact, HubmisGroup, HubmisSection,
                                   HubmisRoom, HubmisAcademicYear, HubmisTerm, HubmisAttendanceMark,
                                   HubmisTimetablePeriod, HubmisDepartment, HubmisSubject])
def test_a_record_without_an_integer_id_is_a_protocol_error_naming_the_vendor(model: Any) -> None:
    for payload in ({}, {"id": None}, {"id": "x56"}, [], "56"):
        with pytest.raises(VendorProtocolError) as caught:
            model.from_payload(payload)
        assert caught.value.vendor == "hubmis"


def test_a_list_sample_of_empty_objects_is_refused_not_half_parsed() -> None:
    # Every list sample in seed 002 is [ {} ]: the items carry no id.
    with pytest.raises(VendorProtocolError):
        [HubmisStaff.from_payload(p) for p in [{}]]


# ---- sandbox-shaped records -------------------------------------------------------------------------------------
def test_a_full_student_record_carries_its_references() -> None:
    s = HubmisStudent.from_payload(STUDENT_56)
    assert s.form is not None and (s.form.id, s.form.code) == (93, "9A")
    assert s.year_group is not None and (s.year_group.id, s.year_group.code) == (8, "Y9")
    assert s.academic_house is not None and s.academic_house.name == "Brunel"
    assert s.boarding_type is not None and s.boarding_type.code == "WB"
    assert [n.name for n in s.nationalities] == ["British"] and s.language_second is not None


def test_a_house_with_its_staff_and_genders() -> None:
    house = HubmisGroup.from_payload(HOUSE_9)
    assert [g.code for g in house.genders] == ["F", "X"]
    assert house.house_parents[0].external_id == "d6d39zz" and house.staff[0].last_name == "White"


def test_attendance_marks_keep_the_session_code_and_lateness() -> None:
    pm, am = (HubmisAttendanceMark.from_payload(m) for m in ATTENDANCE)
    assert pm.date == date(2026, 11, 23) and pm.date_time == datetime(2026, 11, 23, 13, 55, tzinfo=UTC)
    assert pm.attendance_code is not None and pm.attendance_code.code == "\\" and pm.minutes_late is None
    assert (am.attendance_session, am.description, am.minutes_late) == ("am", "Bus delayed", 12)
    undated = HubmisAttendanceMark.from_payload({"id": 1, "date_time": "2026-11-24T08:40:00Z"})
    assert undated.date == date(2026, 11, 24)


def test_calendar_lessons_parse_times_and_dates() -> None:
    lesson = HubmisTimetablePeriod.from_payload(CALENDAR["calendar"][0])
    assert lesson.period is not None and (lesson.period.time_from, lesson.period.time_to) == (time(8, 50),
                                                                                              time(9, 50))
    assert lesson.date == date(2026, 11, 23) and lesson.start == datetime(2026, 11, 23, 8, 50, tzinfo=UTC)
    assert lesson.subject is not None and lesson.subject.code == "MU" and lesson.staff[0].id == 12
    weekly = HubmisTimetablePeriod.from_payload({k: v for k, v in CALENDAR["calendar"][0].items()
                                                 if k not in ("date", "start", "end")})
    assert (weekly.date, weekly.start, weekly.end, weekly.day) == (None, None, None, "monday")


def test_academic_structure_rows_carry_their_group_type_and_year() -> None:
    year_group, form = (HubmisGroup.from_payload(g) for g in STRUCTURE)
    assert (year_group.group_type, form.group_type) == ("year_group", "form")
    assert form.academic_year == HubmisAcademicYear(7, "2026/27", "2026-27", True)


def test_a_contact_relation_names_the_parent() -> None:
    r = HubmisContactRelation.from_payload(RELATION)
    assert r.contact is not None and r.contact.id == 37 and r.contact.title is not None
    assert r.relationship_type is not None and r.relationship_type.name == "Mother"
    assert (r.priority, r.is_primary, r.emergency_contact) == (1, True, True)


def test_terms_and_academic_years() -> None:
    year = HubmisAcademicYear.from_payload({"id": 7, "name": "2026/27", "code": "2026-27", "is_active": True,
                                            "start_date": "2026-09-01", "end_date": "2027-08-31"})
    assert (year.start_date, year.end_date) == (date(2026, 9, 1), date(2027, 8, 31))
    term = HubmisTerm.from_payload({"id": 4, "name": "Autumn Term", "start_date": "2026-09-03",
                                    "end_date": "2026-12-18", "academic_year": {"id": 7, "name": "2026/27"}})
    assert term.academic_year is not None and term.academic_year.id == 7 and term.start_date == date(2026, 9, 3)
