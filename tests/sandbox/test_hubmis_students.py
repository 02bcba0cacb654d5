"""HUBmis sandbox contract: students (lists, paging, filters, sort, search) and their sub-resources."""

from __future__ import annotations

import itertools
from datetime import date

from gateway.sandbox.population import build_world
from gateway.sandbox.world import HUBMIS
from tests.sandbox.test_hubmis_helpers import Hub
from tests.sandboxproc import SandboxProcess


def test_seed_student_56_as_the_seed_shows_him(sandbox: SandboxProcess) -> None:
    student = Hub(sandbox).json("/students/56")
    assert {k: student[k] for k in (
        "id", "access_status", "multi_realm", "date_of_birth", "deleted_at", "enrolment_status", "external_id",
        "first_name", "has_global_note", "last_login", "last_name", "learning_support_record_summary",
        "middle_name", "name_in_local_language", "national_identity", "person_type", "preferred_name",
        "primary_email", "tags", "medical_condition_severity")} == {
        "id": 56, "access_status": "invited", "multi_realm": False, "date_of_birth": "2010-08-24",
        "deleted_at": None, "enrolment_status": "current", "external_id": "MX99328", "first_name": "Miles",
        "has_global_note": False, "last_login": "2019-08-24T14:15:22Z", "last_name": "Whyde",
        "learning_support_record_summary": [], "middle_name": None, "name_in_local_language": None,
        "national_identity": None, "person_type": "stduent", "preferred_name": None,
        "primary_email": "user@example.com", "tags": [], "medical_condition_severity": []}
    # nested objects the scrape lost are small {id, name, code} objects
    assert student["gender"] == {"id": 2, "name": "Male", "code": "M"}
    assert student["form"] == {"id": 93, "name": "Form 9A", "code": "9A",
                               "year_group": {"id": 8, "name": "Year 9", "code": "Y9"}}
    for key in ("academic_house", "boarding_type", "country_of_birth", "ethnicity", "faith", "language_first"):
        assert {"id", "name", "code"} <= set(student[key]), key
    assert isinstance(student["nationalities"], list) and student["profile_image"] == {"url": None}


def test_seed_consent_and_enrolment_samples(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    assert hub.json("/students/56/consent") == dict.fromkeys(
        ("photograph", "publish_photograph", "publish_video", "share_photograph", "share_video", "share_data",
         "school_trip"), True)
    assert hub.json("/students/56/enrolment") == {
        "enrolment_status": "current", "start_date": "2017-08-24", "account_reference": "OU812",
        "candidate_number": "AA23", "unique_pupil_number": "90210", "unique_pupil_number_status": "temporary"}


def test_students_are_the_worlds_hubmis_students(sandbox: SandboxProcess) -> None:
    world = build_world(7, 300)
    expected = {p.hubmis_id: p for p in world.students(HUBMIS)}
    students = Hub(sandbox).all_pages("/students")
    assert {s["id"] for s in students} == set(expected)
    for s in students:
        p = expected[s["id"]]
        assert (s["external_id"], s["first_name"], s["last_name"]) == (p.key, p.first_name, p.last_name)
        if s["id"] != 56:
            assert (s["date_of_birth"], s["primary_email"]) == (p.date_of_birth.isoformat(), p.email)
    assert min(s["id"] for s in students if s["id"] != 56) >= 100  # generated ids never meet the seed's


def test_paging_defaults_limits_and_a_short_last_page(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    total = sandbox.records("hubmis", "students")["count"]
    assert len(hub.json("/students")) == 25  # default page size
    pages = []
    number = 1
    while True:
        page = hub.json("/students", {"page[number]": number, "page[size]": 40})
        pages.append(page)
        if len(page) < 40:
            break
        number += 1
    ids = [s["id"] for page in pages for s in page]
    assert len(ids) == total == len(set(ids)) and ids == sorted(ids)
    assert len(pages[-1]) < 40
    assert hub.json("/students", {"page[number]": number + 5, "page[size]": 40}) == []
    assert len(hub.json("/students", {"page[size]": 100})) == 100
    for bad in ({"page[size]": 101}, {"page[size]": 0}, {"page[number]": 0}, {"page[number]": "two"}):
        assert hub.get("/students", bad).status_code == 422, bad


def test_group_filters_match_the_groups_own_rosters(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    _, active = hub.years()
    year = f"/academic-years/{active['id']}"
    in_form = hub.all_pages("/students", {"filter[form]": 93})
    assert in_form and all(s["form"]["id"] == 93 for s in in_form)
    assert [s["id"] for s in in_form] == [s["id"] for s in hub.json(f"{year}/forms/93/students")]
    in_tutor_group = [s["id"] for s in hub.all_pages("/students", {"filter[tutorGroup]": 98})]
    assert 56 in in_tutor_group
    assert in_tutor_group == [s["id"] for s in hub.json(f"{year}/tutor-groups/98/students")]
    year9 = hub.all_pages("/students", {"filter[yearGroup]": 8})
    assert all(s["form"]["year_group"]["id"] == 8 for s in year9) and len(year9) > len(in_form)
    assert len(year9) == hub.json(f"{year}/year-groups/8")["total_student_count"]


def test_status_gender_boarding_and_house_filters(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    for status in ("current", "past", "applicant"):
        found = hub.all_pages("/students", {"filter[enrolmentStatus]": status})
        assert found and all(s["enrolment_status"] == status for s in found), status
    assert hub.get("/students", {"filter[enrolmentStatus]": "expelled"}).status_code == 422
    girls = hub.all_pages("/students", {"filter[gender]": 1})
    assert girls and all(s["gender"]["id"] == 1 for s in girls)
    day = hub.all_pages("/students", {"filter[boardingType]": 1})
    assert day and all(s["boarding_type"]["id"] == 1 and s["boarding_house"] is None for s in day)
    green = hub.all_pages("/students", {"filter[house]": 9})
    assert green and all(s["boarding_house"]["id"] == 9 for s in green)
    both = hub.all_pages("/students", {"filter[house]": 9, "filter[gender]": 1})
    assert both and {s["id"] for s in both} <= {s["id"] for s in green} & {s["id"] for s in girls}


def test_academic_year_filter_and_header_on_the_list(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    previous, _ = hub.years()
    last_year = {"academic-year-id": str(previous["id"])}
    on_roll = hub.all_pages("/students", {"filter[academicYear]": previous["id"]})
    shown = {s["id"]: s for s in hub.json("/students", {"page[size]": 100}, **last_year)}
    assert shown[56]["form"]["code"] == "8A"
    assert {s["enrolment_status"] for s in on_roll} >= {"current", "past"}  # last year's leavers were on roll
    leavers = [s for s in on_roll if s["enrolment_status"] == "past"]
    assert all(s["form"] is None for s in leavers)  # not on roll this year
    assert hub.get("/students", {"filter[academicYear]": 999}).status_code == 422


def test_sort_and_search(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    by_name = hub.all_pages("/students", {"sort[lastName]": "desc", "sort[firstName]": "asc"})
    keys = [(s["last_name"].lower(), s["first_name"].lower()) for s in by_name]
    assert keys == sorted(sorted(keys, key=lambda k: k[1]), key=lambda k: k[0], reverse=True)
    oldest_first = hub.json("/students", {"sort[dateOfBirth]": "asc", "page[size]": 100})
    assert [s["date_of_birth"] for s in oldest_first] == sorted(s["date_of_birth"] for s in oldest_first)
    by_year = hub.all_pages("/students", {"sort[yearGroup]": "desc", "filter[enrolmentStatus]": "current"})
    numbers = [int(s["form"]["year_group"]["code"][1:]) for s in by_year]
    assert numbers == sorted(numbers, reverse=True)
    assert [s["id"] for s in hub.json("/students", {"search": "MX99328"})] == [56]
    assert [s["id"] for s in hub.json("/students", {"search": "miles WHYDE"})] == [56]
    some = hub.json("/students", {"search": "an", "page[size]": 100})
    assert some and all("an" in " ".join(str(s[k]) for k in ("first_name", "last_name", "middle_name",
                                                              "preferred_name", "external_id", "primary_email"))
                        .lower() for s in some)


def test_year_groups_follow_age(sandbox: SandboxProcess) -> None:
    current = Hub(sandbox).all_pages("/students", {"filter[enrolmentStatus]": "current", "sort[dateOfBirth]": "asc"})
    by_birthday: dict[str, list[int]] = {}
    for s in current:
        if s["id"] != 56:
            by_birthday.setdefault(s["date_of_birth"], []).append(int(s["form"]["year_group"]["code"][1:]))
    groups = list(by_birthday.values())  # oldest first
    assert all(min(older) >= max(younger) for older, younger in itertools.pairwise(groups))
    assert {y for g in groups for y in g} == set(range(7, 14))


def test_past_students_and_their_destinations(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    past = hub.all_pages("/students/past")
    assert hub.get("/students/past", {"sort[lastName]": "asc"}).status_code == 400  # the seed lists no sorts here
    assert past and all(s["enrolment_status"] == "past" for s in past)
    destination = hub.json(f"/students/{past[0]['id']}/destination")
    assert destination["leaving_status"] == "Leaver" and destination["leaving_date"]
    assert {"id", "name", "code"} <= set(destination["destination"])
    same_place = hub.all_pages("/students/past", {"filter[destinationSchool]": destination["destination"]["id"]})
    assert past[0]["id"] in [s["id"] for s in same_place] and len(same_place) <= len(past)
    assert hub.json("/students/56/destination")["leaving_status"] is None


def test_email_addresses_contacts_and_academic_structure(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    emails = hub.json("/students/56/email-addresses")
    assert emails[0]["email"] == "user@example.com" and emails[0]["is_primary"]
    assert sum(e["is_primary"] for e in emails) == 1
    relations = hub.json("/students/56/contact-relations")
    assert relations[0]["contact"]["id"] == 37 and relations[0]["relationship_type"]["name"] == "Mother"
    assert [r["priority"] for r in relations] == list(range(1, len(relations) + 1))
    for relation in relations:
        contact = hub.json(f"/contacts/{relation['contact']['id']}")
        assert 56 in [s["id"] for s in contact["students"]]
    structure = hub.json("/students/56/academic-structure")
    by_type: dict[str, list[int]] = {}
    for group in structure:
        by_type.setdefault(group["group_type"], []).append(group["id"])
    assert by_type["year_group"] == [8] and by_type["form"] == [93] and by_type["tutor_group"] == [98]
    assert 25 in by_type["subject_set"]  # English 9A
    _, active = hub.years()
    for set_id in by_type["subject_set"]:
        roster = hub.json(f"/academic-years/{active['id']}/subject-sets/{set_id}/students")
        assert 56 in [s["id"] for s in roster]


def test_attendance_marks_filters_and_sort(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    _, active = hub.years()
    marks = hub.json("/students/56/attendance")
    terms = hub.json(f"/academic-years/{active['id']}/terms")
    today = date.today().isoformat()
    assert marks and len(marks) % 2 == 0
    for mark in marks:
        day = date.fromisoformat(mark["date"])
        assert day.weekday() < 5 and mark["date"] <= today
        assert any(t["start_date"] <= mark["date"] <= t["end_date"] for t in terms)
        assert mark["attendance_session"] in ("am", "pm") and mark["date_time"].startswith(mark["date"])
    am = hub.json("/students/56/attendance", {"filter[attendanceSession]": "am"})
    assert len(am) == len(marks) // 2 and {m["attendance_session"] for m in am} == {"am"}
    present = hub.json("/students/56/attendance", {"filter[attendanceCode]": "/"})
    assert present and {m["attendance_code"]["code"] for m in present} == {"/"}
    assert hub.json("/students/56/attendance", {"filter[attendanceCode]": 1}) == present
    first_day = marks[0]["date"]
    window = hub.json("/students/56/attendance", {"filter[dateTime][from]": f"{first_day}T00:00:00Z",
                                                  "filter[dateTime][to]": f"{first_day}T23:59:59Z"})
    assert [m["date"] for m in window] == [first_day, first_day]
    latest = hub.json("/students/56/attendance", {"sort[date]": "desc"})
    assert [m["date_time"] for m in latest] == sorted((m["date_time"] for m in marks), reverse=True)
    assert hub.get("/students/56/attendance", {"filter[attendanceSession]": "evening"}).status_code == 422
    sandbox.reset("hubmis")
    assert hub.json("/students/56/attendance") == marks  # generated on demand, same every time


def test_timetable_and_calendar(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    periods = hub.json("/students/56/timetable")["timetables"]
    sets = {g["id"] for g in hub.json("/students/56/academic-structure") if g["group_type"] == "subject_set"}
    assert periods and {p["subject_set"]["id"] for p in periods} == sets
    slots = [(p["day"], p["period"]["id"]) for p in periods]
    assert len(slots) == len(set(slots))  # one lesson at a time
    assert hub.get("/students/56/timetable/calendar").status_code == 422  # the date filters are required
    _, active = hub.years()
    autumn = hub.json(f"/academic-years/{active['id']}/terms")[0]
    start = date.fromisoformat(autumn["start_date"])
    monday = date.fromordinal(start.toordinal() + 7 - start.weekday())
    one_day = hub.json("/students/56/timetable/calendar", {"filter[date]": monday.isoformat()})["calendar"]
    assert one_day and {c["date"] for c in one_day} == {monday.isoformat()} and {c["day"] for c in one_day} == {
        "monday"}
    week = hub.json("/students/56/timetable/calendar", {
        "filter[dateFrom]": monday.isoformat(),
        "filter[dateTo]": date.fromordinal(monday.toordinal() + 6).isoformat()})["calendar"]
    assert len(week) == len(periods)  # five school days: every weekly period once, none at the weekend
    saturday = date.fromordinal(monday.toordinal() + 5).isoformat()
    assert hub.json("/students/56/timetable/calendar", {"filter[date]": saturday})["calendar"] == []
    backwards = hub.get("/students/56/timetable/calendar", {"filter[dateFrom]": "2026-10-10",
                                                            "filter[dateTo]": "2026-10-01"})
    assert backwards.status_code == 422
    too_long = hub.get("/students/56/timetable/calendar", {"filter[dateFrom]": "2026-01-01",
                                                           "filter[dateTo]": "2027-03-01"})
    assert too_long.status_code == 422 and "366" in too_long.json()["message"]


def test_the_same_seed_gives_the_same_students(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    before = hub.json("/students", {"page[size]": 100, "page[number]": 2})
    sandbox.reset("hubmis")
    assert hub.json("/students", {"page[size]": 100, "page[number]": 2}) == before
