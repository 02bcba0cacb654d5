"""Dartmouth simulator: paging, enrollments, sections, courses, terms, holds and value lists (contracts 3.3, 3.6)."""

from __future__ import annotations

from gateway.sandbox import credentials as creds
from tests.sandbox.test_dartmouth import ALL, ENROLL_READ, STUDENTS, Dartmouth
from tests.sandboxproc import SandboxProcess

SEED_ENROLLMENT = "AAAS.010.01-202001-U-10188-f002qt1-student"
SEED_SECTION = "AAAS.010.01-202001-U-10188"


# ---- paging ---------------------------------------------------------------------------------
def test_default_page_and_paging_headers(sandbox: SandboxProcess) -> None:
    first = Dartmouth(sandbox).get("/api/people")
    assert first.status_code == 200
    assert len(first.json()) == 100
    assert int(first.headers["X-Total-Count"]) > 100
    assert first.headers["X-Request-ID"]


def test_later_pages_come_from_the_found_set(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox)
    first = api.get("/api/academic/enrollments", role="student", pagesize=50)
    key, total = first.headers["X-Request-ID"], int(first.headers["X-Total-Count"])
    assert total > 100
    pages = [first.json()]
    for number in range(2, -(-total // 50) + 1):
        # no filter on later pages: the continuation key alone selects the found set
        pages.append(api.json("/api/academic/enrollments", continuation_key=key, page=number, pagesize=50))
    rows = [e for page in pages for e in page]
    assert len(rows) == total == len({e["id"] for e in rows})
    assert all(e["role"] == "student" for e in rows)
    single = api.json("/api/academic/enrollments", role="student", pagesize=1000)
    assert [e["id"] for e in rows][:1000] == [e["id"] for e in single]
    assert api.json("/api/academic/enrollments", continuation_key=key, page=number + 1, pagesize=50) == []


def test_page_size_is_capped_at_1000_and_checked(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox)
    big = api.get("/api/academic/enrollments", pagesize=5000)
    assert int(big.headers["X-Total-Count"]) > 1000 and len(big.json()) == 1000
    assert api.get("/api/people", pagesize="zero").status_code == 400
    assert api.get("/api/people", pagesize=0).status_code == 400


def test_unknown_continuation_key_is_400(sandbox: SandboxProcess) -> None:
    answer = Dartmouth(sandbox).get("/api/people", continuation_key="not-a-key", page=2)
    assert answer.status_code == 400 and "continuation_key" in answer.json()["message"]


# ---- enrollments ----------------------------------------------------------------------------
def test_seed_enrollment(sandbox: SandboxProcess) -> None:
    enrollment = Dartmouth(sandbox).json(f"/api/academic/enrollments/{SEED_ENROLLMENT}")
    assert set(enrollment) >= {"id", "netid", "role", "section", "term", "is_active", "is_in_session",
                               "course_assessment", "final_grade", "cache_date"}
    assert (enrollment["id"], enrollment["netid"], enrollment["role"]) == (SEED_ENROLLMENT, "f002qt1", "student")
    assert enrollment["section"]["id"] == SEED_SECTION and enrollment["section"]["crn"] == "10188"
    assert enrollment["term"]["sis_term_code"] == "202001"
    assert enrollment["course_assessment"] is None and enrollment["final_grade"] == "A"


def test_enrollment_ids_are_section_netid_role(sandbox: SandboxProcess) -> None:
    for e in Dartmouth(sandbox).json("/api/academic/enrollments", pagesize=300):
        assert e["id"] == f"{e['section']['id']}-{e['netid']}-{e['role']}"


def test_final_grade_only_with_the_sensitive_scope(sandbox: SandboxProcess) -> None:
    basic = Dartmouth(sandbox, ALL, creds.DARTMOUTH_BASIC_KEY)
    assert "final_grade" not in basic.json(f"/api/academic/enrollments/{SEED_ENROLLMENT}")
    assert all("final_grade" not in e for e in basic.json("/api/academic/enrollments", netid="f002qt1"))


def test_enrollments_need_the_read_scope(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox, [STUDENTS])
    assert api.get("/api/academic/enrollments").status_code == 403
    assert api.get(f"/api/academic/enrollments/{SEED_ENROLLMENT}").status_code == 403
    assert Dartmouth(sandbox).get("/api/academic/enrollments/no-such-enrollment").status_code == 404


def test_enrollment_filters(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox, [ENROLL_READ])
    mine = api.json("/api/academic/enrollments", netid="f002qt1")
    assert SEED_ENROLLMENT in {e["id"] for e in mine} and all(e["netid"] == "f002qt1" for e in mine)
    in_section = api.json("/api/academic/enrollments", **{"section.id": SEED_SECTION})
    assert [e["id"] for e in in_section] == [SEED_ENROLLMENT]
    before = api.json("/api/academic/enrollments", netid="f002qt1", **{"term.sis_term_code": "<202601"})
    assert [e["id"] for e in before] == [SEED_ENROLLMENT]
    active = api.json("/api/academic/enrollments", is_active="true", pagesize=1000)
    assert active and all(e["is_active"] for e in active)
    in_session = api.json("/api/academic/enrollments", is_in_session="false", pagesize=1000)
    assert in_session and not any(e["is_in_session"] for e in in_session)
    teaching = api.json("/api/academic/enrollments", role="instructor", pagesize=1000)
    assert teaching and all(e["role"] == "instructor" for e in teaching)


# ---- sections, courses, terms -----------------------------------------------------------------
def test_sections(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox, [])
    section = api.json(f"/api/academic/sections/{SEED_SECTION}")
    assert (section["crn"], section["term"]["sis_term_code"], section["max_enrollment"], section["enrollment"]) == (
        "10188", "202001", 30, 1)
    assert section["seats_available"] == 29
    assert section["instructors"][0]["netid"]
    assert [m["day"] for m in section["meeting_times"]] == ["monday", "wednesday", "friday"]
    current = api.json("/api/academic/terms", **{"quarterly_term.current_term_offset": "0"})[0]["sis_term_code"]
    now = api.json("/api/academic/sections", **{"term.sis_term_code": current}, pagesize=1000)
    assert now and all(s["term"]["sis_term_code"] == current and s["is_active"] for s in now)
    assert api.get("/api/academic/sections/nope").status_code == 404


def test_courses(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox, [])
    courses = api.json("/api/academic/courses", subject_id="AAAS")
    course = next(c for c in courses if c["course_number"] == "010")
    assert course["id"] == f"AAAS.010-{course['term_code_effective']}"
    assert api.json(f"/api/academic/courses/{course['id']}")["name"] == course["name"]
    assert api.get("/api/academic/courses/AAAS.999-190001").status_code == 404


def test_terms_by_offset(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox, [])
    offsets = {}
    for offset in (-1, 0, 1):
        found = api.json("/api/academic/terms", **{"quarterly_term.current_term_offset": str(offset)})
        assert len(found) == 1
        offsets[offset] = found[0]
    assert offsets[-1]["sis_term_code"] < offsets[0]["sis_term_code"] < offsets[1]["sis_term_code"]
    assert offsets[0]["is_active"] and not offsets[-1]["is_active"]
    assert api.json(f"/api/academic/terms/{offsets[0]['id']}") == offsets[0]
    assert len(api.json("/api/academic/terms", **{"quarterly_term.current_term_offset": ">=0"})) >= 2


# ---- holds and value lists ----------------------------------------------------------------------
def test_holds(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox, [STUDENTS])
    holds = api.json("/api/academic/holds", pagesize=1000)
    assert holds
    hold = holds[0]
    assert set(hold) >= {"id", "netid", "hold_type_id", "description", "from_date", "cache_date"}
    assert api.json("/api/academic/holds", netid=hold["netid"]) == [h for h in holds if h["netid"] == hold["netid"]]
    assert api.json(f"/api/academic/holds/{hold['id']}") == hold
    hold_type = api.json(f"/api/academic/hold_types/{hold['hold_type_id']}")
    assert set(hold_type) == {"id", "short_description", "long_description", "category", "resolution",
                              "resolution_url", "guid", "cache_date"}
    assert Dartmouth(sandbox, [ENROLL_READ]).get("/api/academic/holds").status_code == 403


def test_value_lists(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox, [])
    assert api.json("/api/schools/TH")["name"] == "Thayer School of Engineering"
    for path in ("/api/schools", "/api/student_statuses", "/api/student_types", "/api/admission_types",
                 "/api/academic/section_types", "/api/academic/hold_types"):
        values = api.json(path)
        assert values, path
        assert all("id" in v and "cache_date" in v for v in values), path
    assert set(api.json("/api/student_statuses/AS")) == {"id", "name", "is_active", "cache_date"}
    assert api.json("/api/academic/section_types/LEC")["name"] == "Lecture"
    student = Dartmouth(sandbox).json("/api/students/f002qt1")
    for path, key in (("/api/schools", "school_id"), ("/api/student_statuses", "student_status_id"),
                      ("/api/student_types", "student_type_id"), ("/api/admission_types", "admission_type_id")):
        assert api.get(f"{path}/{student[key]}").status_code == 200, (path, student[key])
    assert api.get("/api/schools/XX").status_code == 404


def test_a_day_long_before_the_seed_term_still_builds_its_world() -> None:
    """``--today`` years before the seeds' 2020 enrollment: the terms around that day and the seed's own term
    both exist (the sandbox once failed to start, "coroutine raised StopIteration")."""
    early = SandboxProcess(students=40, seed=3, extra_args=("--today", "2012-05-01")).start()
    try:
        api = Dartmouth(early, [])
        current = api.json("/api/academic/terms", **{"quarterly_term.current_term_offset": "0"})
        assert [t["sis_term_code"] for t in current] == ["201203"]  # Spring 2012, running on 1 May
        assert Dartmouth(early).json(f"/api/academic/enrollments/{SEED_ENROLLMENT}")["term"]["sis_term_code"] == (
            "202001")
    finally:
        early.stop()
