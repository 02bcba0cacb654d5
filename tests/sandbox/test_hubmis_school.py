"""HUBmis sandbox contract: staff, contacts, academic structure, houses, rooms and attendance codes."""

from __future__ import annotations

from datetime import date

from tests.sandbox.test_hubmis_helpers import Hub
from tests.sandboxproc import SandboxProcess


def test_seed_staff_12_and_his_details(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    staff = hub.json("/staff/12")
    assert {k: staff[k] for k in ("access_status", "multi_realm", "email", "external_id", "first_name", "id",
                                  "images", "job_title", "last_name", "middle_name", "person_type",
                                  "preferred_name", "status")} == {
        "access_status": "invited", "multi_realm": False, "email": "user@example.com", "external_id": "ST5466X",
        "first_name": "Benjamin", "id": 12, "images": [], "job_title": "Head of Drama", "last_name": "Kakistos",
        "middle_name": None, "person_type": "staff", "preferred_name": "Ben", "status": "current"}
    assert [d["code"] for d in staff["departments"]] == ["PA"] and staff["title"]["name"] == "Mr"
    details = hub.json("/staff/12/school-details")
    assert details["id"] == 12 and details["job_title"] == "Head of Drama"
    assert "DR" in [s["code"] for s in details["subjects"]] and details["timetable_code"].startswith("BK")
    assert hub.json("/staff/12/email-addresses")[0] == {
        "id": 120, "email": "user@example.com", "email_type": {"id": 1, "name": "Primary", "code": "PRI"},
        "is_primary": True}
    lessons = hub.json("/staff/12/timetable")["timetables"]
    assert lessons and all(12 in [s["id"] for s in p["staff"]] for p in lessons)
    assert {p["subject"]["code"] for p in lessons} <= {"DR", "MU"}


def test_staff_list_filters_sort_and_search(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    _, active = hub.years()
    year = f"/academic-years/{active['id']}"
    everyone = hub.all_pages("/staff")
    assert len(everyone) == sandbox.records("hubmis", "staff")["count"]
    english_9a = hub.json(f"{year}/subject-sets/25")
    teachers = hub.all_pages("/staff", {"filter[subjectSet]": 25})
    assert [t["id"] for t in teachers] == [s["id"] for s in english_9a["staff"]]
    tutors = hub.all_pages("/staff", {"filter[form]": 93})
    assert [t["id"] for t in tutors] == [s["id"] for s in hub.json(f"{year}/forms/93")["staff"]]
    pa = next(d for d in hub.json(f"{year}/departments") if d["code"] == "PA")
    assert 12 in [s["id"] for s in hub.all_pages("/staff", {"filter[department]": pa["id"]})]
    past = hub.all_pages("/staff", {"filter[status]": "past"})
    assert all(s["status"] == "past" for s in past)
    assert hub.all_pages("/staff", {"filter[status]": 2}) == past
    assert hub.get("/staff", {"filter[status]": "retired"}).status_code == 422
    assert [s["id"] for s in hub.json("/staff", {"search": "kakistos"})] == [12]
    by_name = hub.all_pages("/staff", {"sort[lastName]": "asc"})
    assert [s["last_name"].lower() for s in by_name] == sorted(s["last_name"].lower() for s in everyone)


def test_seed_contact_37_and_the_contact_list(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    contact = hub.json("/contacts/37")
    assert {k: contact[k] for k in ("access_status", "multi_realm", "students_access", "deleted_at", "external_id",
                                    "first_name", "id", "last_name", "middle_name", "primary_email", "status")} == {
        "access_status": "no_access", "multi_realm": False, "students_access": [],
        "deleted_at": "2019-08-24T14:15:22Z", "external_id": None, "first_name": "Sarah", "id": 37,
        "last_name": "Shmyth", "middle_name": None, "primary_email": "user@example.com", "status": "active"}
    assert [s["id"] for s in contact["students"]] == [56] and {"id", "name"} <= set(contact["title"])
    contacts = hub.all_pages("/contacts")
    assert len(contacts) == sandbox.records("hubmis", "contacts")["count"]
    assert min(c["id"] for c in contacts if c["id"] != 37) >= 100
    assert [c["id"] for c in hub.json("/contacts", {"search": "shmyth"})] == [37]
    inactive = hub.all_pages("/contacts", {"filter[status]": "inactive"})
    assert inactive and all(c["status"] == "inactive" for c in inactive)
    assert hub.all_pages("/contacts", {"filter[status]": 2}) == inactive


def test_academic_years_and_terms(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    previous, active = hub.years()
    assert previous["end_date"] < active["start_date"] <= date.today().isoformat() <= active["end_date"]
    for year in (previous, active):
        terms = hub.json(f"/academic-years/{year['id']}/terms")
        assert [t["name"] for t in terms] == ["Autumn Term", "Spring Term", "Summer Term"]
        assert all(year["start_date"] <= t["start_date"] < t["end_date"] <= year["end_date"] for t in terms)
        assert all(t["academic_year"]["id"] == year["id"] for t in terms)


def test_seed_department_and_subjects(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    previous, active = hub.years()
    year = f"/academic-years/{active['id']}"
    science = hub.json(f"{year}/departments/3")
    assert (science["code"], science["name"]) == ("SCI", "Science")
    assert 88 in [s["id"] for s in science["subjects"]]
    maths = hub.json(f"{year}/subjects/33")
    assert {k: maths[k] for k in ("id", "alternative_name", "code", "name", "can_copy")} == {
        "id": 33, "alternative_name": None, "code": "MATH", "name": "Maths", "can_copy": False}
    biology = hub.json(f"{year}/subjects/88")
    assert (biology["code"], biology["name"], biology["alternative_name"]) == ("BY", "Biology", "Life Science")
    sciences = hub.json(f"{year}/subjects", {"filter[department]": 3})
    assert sciences and all(s["department"]["id"] == 3 for s in sciences)
    assert [d["name"] for d in hub.json(f"{year}/departments", {"search": "scien"})] == ["Science"]
    # year-scoped records have new ids each year
    assert hub.get(f"/academic-years/{previous['id']}/departments/3").status_code == 404
    last_years = hub.json(f"/academic-years/{previous['id']}/departments")
    assert "SCI" in [d["code"] for d in last_years] and 3 not in [d["id"] for d in last_years]


def test_seed_year_group_form_tutor_group_and_subject_set(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    _, active = hub.years()
    year = f"/academic-years/{active['id']}"
    y9 = hub.json(f"{year}/year-groups/8")
    assert {k: y9[k] for k in ("id", "code", "dfe_year", "final_year", "key_stage", "max_students", "name",
                               "position", "status", "uuid")} == {
        "id": 8, "code": "Y9", "dfe_year": "1", "final_year": False, "key_stage": "KS5", "max_students": 500,
        "name": "Year 9", "position": 5, "status": "active", "uuid": "28db8526-dc32-4d18-9093-cde010d15b0b"}
    assert y9["form_count"] == len(hub.json(f"{year}/forms", {"filter[yearGroup]": 8}))
    form = hub.json(f"{year}/forms/93")
    assert {k: form[k] for k in ("id", "code", "name", "short_description", "timetable_code", "max_students")} == {
        "id": 93, "code": "9A", "name": "Form 9A", "short_description": "Year 9 form group A",
        "timetable_code": "9A", "max_students": 40}
    assert form["year_group"]["id"] == 8 and form["section"]["code"] == "MS"
    assert form["student_count"] == len(hub.json(f"{year}/forms/93/students"))
    tutor = hub.json(f"{year}/tutor-groups/98")
    assert (tutor["code"], tutor["name"], tutor["timetable_code"]) == ("TG09X", "Year 9 Tutor Group X", "TG9X")
    english = hub.json(f"{year}/subject-sets/25")
    assert {k: english[k] for k in ("id", "code", "name", "short_description", "timetable_code", "credit_score",
                                    "max_students")} == {
        "id": 25, "code": "ENG9A", "name": "English 9A", "short_description": "English class year 9 group A",
        "timetable_code": "9AEng", "credit_score": 12, "max_students": 40}
    assert english["subject"]["code"] == "EN" and english["year_group"]["id"] == 8
    assert english["student_count"] == len(hub.json(f"{year}/subject-sets/25/students"))


def test_group_lists_filter_sort_and_page(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    _, active = hub.years()
    year = f"/academic-years/{active['id']}"
    sets = hub.all_pages(f"{year}/subject-sets", size=50)
    assert len(sets) == len({s["id"] for s in sets}) > 50
    one_subject = hub.all_pages(f"{year}/subject-sets", {"filter[subject]": sets[0]["subject"]["id"]})
    assert one_subject and {s["subject"]["id"] for s in one_subject} == {sets[0]["subject"]["id"]}
    biggest = hub.json(f"{year}/subject-sets", {"sort[studentCount]": "desc", "page[size]": 100})
    assert [s["student_count"] for s in biggest] == sorted((s["student_count"] for s in biggest), reverse=True)
    middle = hub.json(f"{year}/forms", {"filter[section]": 5, "sort[name]": "desc"})
    assert middle and {f["section"]["id"] for f in middle} == {5}
    assert [f["name"] for f in middle] == sorted((f["name"] for f in middle), reverse=True)
    assert [t["code"] for t in hub.json(f"{year}/tutor-groups", {"search": "TG09X"})] == ["TG09X"]
    year_groups = hub.json(f"{year}/year-groups")
    assert [y["code"] for y in year_groups] == [f"Y{n}" for n in range(7, 14)]
    sections = hub.json("/sections")
    assert [s["position"] for s in sections] == [1, 2, 3]
    assert {y["id"] for s in sections for y in s["year_groups"]} == {y["id"] for y in year_groups}


def test_seed_section_5(sandbox: SandboxProcess) -> None:
    section = Hub(sandbox).json("/sections/5")
    assert (section["id"], section["code"], section["name"], section["position"]) == (5, "MS", "Middle School", 1)
    assert [y["code"] for y in section["year_groups"]] == ["Y7", "Y8", "Y9"]


def test_seed_house_9_and_house_lists(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    house = hub.json("/houses/9")
    assert {k: house[k] for k in ("id", "address", "code", "house_type", "images", "max_students", "name", "note",
                                  "phone", "system_profile_image", "is_active")} == {
        "id": 9, "address": None, "code": "GH", "house_type": "boarding", "images": [], "max_students": 100,
        "name": "Green House", "note": None, "phone": None, "system_profile_image": "aqua", "is_active": True}
    assert house["house_parents"] and all({"id", "first_name", "last_name"} <= set(p) for p in house["house_parents"])
    boarding = hub.json("/houses", {"filter[houseType]": "boarding"})
    assert 9 in [h["id"] for h in boarding] and {h["house_type"] for h in boarding} == {"boarding"}
    closed = hub.json("/houses", {"filter[isActive]": "false"})
    assert closed and not any(h["is_active"] for h in closed)


def test_house_students_follow_the_academic_year(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    previous, _ = hub.years()
    last_year = {"academic-year-id": str(previous["id"])}
    now = hub.json("/houses/9/students")
    assert now and all(s["boarding_house"]["id"] == 9 and s["enrolment_status"] == "current" for s in now)
    then = hub.json("/houses/9/students", **last_year)
    assert {s["id"] for s in then} != {s["id"] for s in now}  # leavers out, new boarders in
    assert hub.json("/houses/9", **last_year)["house_parents"] != hub.json("/houses/9")["house_parents"]
    girls = hub.json("/houses/9/students", {"filter[gender]": 1, "sort[lastName]": "asc"})
    assert [s["last_name"].lower() for s in girls] == sorted(s["last_name"].lower() for s in girls)
    assert hub.get("/houses/9/students", {"filter[enrolmentStatus]": "past"}).status_code == 400


def test_seed_room_123_and_room_list(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    assert hub.json("/rooms/123") == {
        "id": 123, "description": "Standard room assigned to Maths department",
        "location": {"id": 1, "name": "Main Building", "code": "MAIN"}, "room_capacity": 50,
        "room_code": "Maths room", "telephone_extension": "x123", "timetable_code": "12355AAXP4"}
    rooms = hub.all_pages("/rooms", size=10)
    assert 123 in [r["id"] for r in rooms] and len(rooms) == sandbox.records("hubmis", "rooms")["count"]
    labs = hub.all_pages("/rooms", {"filter[location]": 2})
    assert labs and {r["location"]["id"] for r in labs} == {2}
    assert 123 in [r["id"] for r in hub.json("/rooms", {"search": "maths room"})]


def test_attendance_codes(sandbox: SandboxProcess) -> None:
    hub = Hub(sandbox)
    codes = hub.json("/attendance-codes")
    assert {"/", "\\", "L", "I", "M", "N"} <= {c["code"] for c in codes}
    hidden = hub.json("/attendance-codes", {"filter[display]": "false"})
    assert hidden and not any(c["display"] for c in hidden) and len(hidden) < len(codes)
