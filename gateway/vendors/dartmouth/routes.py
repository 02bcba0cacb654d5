"""Every Dartmouth API route the gateway calls and the sandbox serves (shared/vendor-contracts.md section 3.6).

Authentication: ``POST /api/jwt`` with the raw API key in ``Authorization`` (no ``Bearer``) and the
wanted scopes space-separated in ``?scope=``; every other call sends ``Authorization: Bearer {jwt}``.

Collections (every route named ``list_*``) share the "standard filter parameters" (section 3.3):
any attribute name is a query parameter, nested attributes use dot paths (``class.code``), a
trailing ``*`` is a wildcard and ``<``, ``>``, ``<=``, ``>=`` are written in the value
(``term.sis_term_code=<202001``). A filter on an unknown or not-permitted attribute is ignored.
A collection is a JSON array; paging uses the names below. Found: ``pagesize`` (default 100),
``continuation_key`` (the ``X-Request-ID`` of the first response; the found set is kept 12 h).
Inferred, because the stored page was cut before naming them: the page selector ``page``
(1-based) and the second header of the first response, ``X-Total-Count`` (size of the found set).
"""

from __future__ import annotations

from gateway.vendors.routes import Provenance, Route, RouteTable

SEED, FOUND, INFERRED = Provenance.SEED, Provenance.FOUND, Provenance.INFERRED

# Paging (section 3.3): the found names, then the two inferred ones.
PAGE_SIZE_PARAM = "pagesize"
CONTINUATION_PARAM = "continuation_key"
REQUEST_ID_HEADER = "X-Request-ID"
PAGE_PARAM = "page"  # inferred
TOTAL_COUNT_HEADER = "X-Total-Count"  # inferred
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000  # found only in a third-party client's comment ("max 1000 rows on any query")
PAGING_PARAMS = frozenset({PAGE_SIZE_PARAM, CONTINUATION_PARAM, PAGE_PARAM})

GET_JWT = Route("get_jwt", "POST", "/api/jwt", FOUND, "D1: raw API key in Authorization, scopes in ?scope=")

LIST_STUDENTS = Route("list_students", "GET", "/api/students", FOUND, "D2 collection: standard filtering")
GET_STUDENT = Route("get_student", "GET", "/api/students/{netid}", SEED, "D2")
LIST_STUDENT_TERMS = Route("list_student_terms", "GET", "/api/students/{netid}/terms", FOUND, "D3")

LIST_PEOPLE = Route("list_people", "GET", "/api/people", FOUND, "D11")
GET_PERSON = Route("get_person", "GET", "/api/people/{netid}", FOUND, "D11")

LIST_ENROLLMENTS = Route("list_enrollments", "GET", "/api/academic/enrollments", FOUND,
                         "D4: filters term.sis_term_code, is_active, is_in_session found; netid, section.id, role "
                         "are standard attribute filters")
GET_ENROLLMENT = Route("get_enrollment", "GET", "/api/academic/enrollments/{id}", FOUND,
                       "D4: id {section.id}-{netid}-{role}")
PATCH_ENROLLMENT = Route("patch_enrollment", "PATCH", "/api/academic/enrollments/{id}", SEED,
                         "D5: course_assessment only; 202 + Location: /api/tasks/{id}")
GET_TASK = Route("get_task", "GET", "/api/tasks/{id}", SEED, "D6: accepted -> complete | error")

LIST_TERMS = Route("list_terms", "GET", "/api/academic/terms", FOUND, "D7: quarterly_term.current_term_offset")
GET_TERM = Route("get_term", "GET", "/api/academic/terms/{id}", FOUND, "D7")
LIST_SECTIONS = Route("list_sections", "GET", "/api/academic/sections", FOUND, "D8")
GET_SECTION = Route("get_section", "GET", "/api/academic/sections/{id}", FOUND, "D8")
LIST_COURSES = Route("list_courses", "GET", "/api/academic/courses", FOUND, "D9")
GET_COURSE = Route("get_course", "GET", "/api/academic/courses/{id}", FOUND,
                   "D9: id {subject}.{course_number}-{term_code_effective}")
LIST_HOLDS = Route("list_holds", "GET", "/api/academic/holds", INFERRED,
                   "D15: the API exists (academic overview); its path and payload are not published")
GET_HOLD = Route("get_hold", "GET", "/api/academic/holds/{id}", INFERRED, "D15")
LIST_HOLD_TYPES = Route("list_hold_types", "GET", "/api/academic/hold_types", FOUND, "D14")
GET_HOLD_TYPE = Route("get_hold_type", "GET", "/api/academic/hold_types/{id}", FOUND, "D14")
LIST_SECTION_TYPES = Route("list_section_types", "GET", "/api/academic/section_types", FOUND, "D14")
GET_SECTION_TYPE = Route("get_section_type", "GET", "/api/academic/section_types/{id}", FOUND, "D14")

LIST_SCHOOLS = Route("list_schools", "GET", "/api/schools", FOUND, "D13")
GET_SCHOOL = Route("get_school", "GET", "/api/schools/{id}", FOUND, "D13")
LIST_STUDENT_STATUSES = Route("list_student_statuses", "GET", "/api/student_statuses", FOUND, "D13")
GET_STUDENT_STATUS = Route("get_student_status", "GET", "/api/student_statuses/{id}", FOUND, "D13")
LIST_STUDENT_TYPES = Route("list_student_types", "GET", "/api/student_types", FOUND,
                           "D13 (seed 003 says /api/school_types, a slip for student_types)")
GET_STUDENT_TYPE = Route("get_student_type", "GET", "/api/student_types/{id}", FOUND, "D13")
LIST_ADMISSION_TYPES = Route("list_admission_types", "GET", "/api/admission_types", FOUND, "D13")
GET_ADMISSION_TYPE = Route("get_admission_type", "GET", "/api/admission_types/{id}", FOUND, "D13")

ROUTES = RouteTable("dartmouth", [
    GET_JWT,
    LIST_STUDENTS, GET_STUDENT, LIST_STUDENT_TERMS,
    LIST_PEOPLE, GET_PERSON,
    LIST_ENROLLMENTS, GET_ENROLLMENT, PATCH_ENROLLMENT, GET_TASK,
    LIST_TERMS, GET_TERM, LIST_SECTIONS, GET_SECTION, LIST_COURSES, GET_COURSE,
    LIST_HOLDS, GET_HOLD, LIST_HOLD_TYPES, GET_HOLD_TYPE, LIST_SECTION_TYPES, GET_SECTION_TYPE,
    LIST_SCHOOLS, GET_SCHOOL, LIST_STUDENT_STATUSES, GET_STUDENT_STATUS,
    LIST_STUDENT_TYPES, GET_STUDENT_TYPE, LIST_ADMISSION_TYPES, GET_ADMISSION_TYPE,
])
