"""Every HUBmis route the gateway calls and the sandbox serves (shared/vendor-contracts.md section 2.6).

Only the token path is published (seed 002); every other path is inferred from the operation names
and the ``/api/v1`` prefix, used as written in the contracts. Every call but the token needs
``Authorization: Bearer`` and ``Realm``. Lists are bare JSON arrays; paged ones take ``page[number]``
(from 1) and ``page[size]`` (default 25, at most 100; larger is a 422) and a short page is the last.
"""

from __future__ import annotations

from gateway.vendors.routes import Provenance, Route, RouteTable

SEED, FOUND, INFERRED = Provenance.SEED, Provenance.FOUND, Provenance.INFERRED
MAX_PAGE_SIZE = 100  # HUBmis' largest page[size] (inferred; the seed gives no limit)

_API = "/api/v1"
_AY = "/academic-years/{academicYearId}"
_YEAR = "header academic-year-id selects the academic year shown (default: the active one)"


def _get(name: str, path: str, note: str) -> Route:
    """A read: every HUBmis operation but the token call is a GET (none has a request body)."""
    return Route(name, "GET", _API + path, INFERRED, note)


GET_TOKEN = Route("get_token", "POST", _API + "/token", SEED,
                  "client_credentials grant, form-encoded or JSON body; expires_in 900 (15 minutes)")

# Students
LIST_STUDENTS = _get("list_students", "/students",
                     "every enrolment status unless filtered; paged; search; filter[gender|academicYear|boardingType|"
                     "form|yearGroup|enrolmentStatus|house|tutorGroup] (form, tutorGroup and yearGroup match that "
                     "group's own year); sort[id|firstName|lastName|preferredName|dateOfBirth|externalId|yearGroup|"
                     "form]; " + _YEAR)
LIST_PAST_STUDENTS = _get("list_past_students", "/students/past", "paged; search; filter[gender|destinationSchool]")
GET_STUDENT = _get("get_student", "/students/{id}", _YEAR)
GET_STUDENT_CONSENT = _get("get_student_consent", "/students/{id}/consent", "seven consent booleans")
GET_STUDENT_DESTINATION = _get("get_student_destination", "/students/{id}/destination",
                               "leaving data; every field null for a student who has not left")
GET_STUDENT_ENROLMENT = _get("get_student_enrolment", "/students/{id}/enrolment", "enrolment data")
LIST_STUDENT_EMAIL_ADDRESSES = _get("list_student_email_addresses", "/students/{id}/email-addresses",
                                    "the first one is primary")
LIST_STUDENT_CONTACT_RELATIONS = _get("list_student_contact_relations", "/students/{id}/contact-relations",
                                      "parents and guardians, by priority")
LIST_STUDENT_ACADEMIC_STRUCTURE = _get("list_student_academic_structure", "/students/{id}/academic-structure",
                                       "year group, form, tutor group and subject sets in the active year "
                                       "(group_type as filter[groupType]: year_group|form|tutor_group|subject_set)")
GET_STUDENT_ATTENDANCE = _get("get_student_attendance", "/students/{id}/attendance",
                              "am/pm session marks of the active year to date; filter[attendanceCode] (code or id), "
                              "filter[attendanceSession] (am|pm), filter[dateTime][from|to]; "
                              "sort[date|description|attendanceCode|attendanceSession]; not paged")
GET_STUDENT_TIMETABLE = _get("get_student_timetable", "/students/{id}/timetable",
                             "{timetables: [...]}: weekly periods of the active year")
GET_STUDENT_TIMETABLE_CALENDAR = _get("get_student_timetable_calendar", "/students/{id}/timetable/calendar",
                                      "{calendar: [...]}: dated lessons; filter[date], or filter[dateFrom] with "
                                      "filter[dateTo] (at most 366 days), is required")

# Staff
LIST_STAFF = _get("list_staff", "/staff",
                  "paged; search; filter[department|section|status|subject|form|subjectSet|tutorGroup|yearGroup|"
                  "gender]; sort[id|firstName|lastName|jobTitle]")
GET_STAFF = _get("get_staff", "/staff/{id}", "Staff: Get One Staff")
GET_STAFF_SCHOOL_DETAILS = _get("get_staff_school_details", "/staff/{id}/school-details",
                                "departments, subjects, rooms, timetable code")
LIST_STAFF_EMAIL_ADDRESSES = _get("list_staff_email_addresses", "/staff/{id}/email-addresses",
                                  "the first one is primary")
GET_STAFF_TIMETABLE = _get("get_staff_timetable", "/staff/{id}/timetable",
                           "{timetables: [...]}: periods taught in the active year")
GET_STAFF_TIMETABLE_CALENDAR = _get("get_staff_timetable_calendar", "/staff/{id}/timetable/calendar",
                                    "{calendar: [...]}; filter[date], or filter[dateFrom] with filter[dateTo]")

# Contacts
LIST_CONTACTS = _get("list_contacts", "/contacts", "paged; search; filter[status] (active|inactive or 1|2)")
GET_CONTACT = _get("get_contact", "/contacts/{id}", "Contacts: Get Contact")

# School and academic structure (year-scoped records have new ids each year)
LIST_ACADEMIC_YEARS = _get("list_academic_years", "/academic-years", "the previous and the active academic year")
LIST_TERMS = _get("list_terms", _AY + "/terms", "the year's three terms")
LIST_DEPARTMENTS = _get("list_departments", _AY + "/departments", "search")
GET_DEPARTMENT = _get("get_department", _AY + "/departments/{id}", "Departments: Get one")
LIST_SUBJECTS = _get("list_subjects", _AY + "/subjects", "filter[department|section]")
GET_SUBJECT = _get("get_subject", _AY + "/subjects/{id}", "Subjects: Get one")
LIST_SUBJECT_SETS = _get("list_subject_sets", _AY + "/subject-sets",
                         "paged; search; filter[yearGroup|section|subject]; sort[code|creditScore|maxStudents|name|"
                         "section|studentCount|subject|yearGroup]")
GET_SUBJECT_SET = _get("get_subject_set", _AY + "/subject-sets/{id}", "Subject Sets: Get one")
LIST_SUBJECT_SET_STUDENTS = _get("list_subject_set_students", _AY + "/subject-sets/{id}/students",
                                 "student records as of that year; not paged")
LIST_FORMS = _get("list_forms", _AY + "/forms", "search; filter[yearGroup|section]; sort[name|code]")
GET_FORM = _get("get_form", _AY + "/forms/{id}", "Form Group: Get one")
LIST_FORM_STUDENTS = _get("list_form_students", _AY + "/forms/{id}/students", "not paged")
LIST_TUTOR_GROUPS = _get("list_tutor_groups", _AY + "/tutor-groups", "search; filter[section]; sort[name]")
GET_TUTOR_GROUP = _get("get_tutor_group", _AY + "/tutor-groups/{id}", "Tutor Groups: Get one")
LIST_TUTOR_GROUP_STUDENTS = _get("list_tutor_group_students", _AY + "/tutor-groups/{id}/students", "not paged")
LIST_YEAR_GROUPS = _get("list_year_groups", _AY + "/year-groups", "filter[section]; sort[position|name]")
GET_YEAR_GROUP = _get("get_year_group", _AY + "/year-groups/{id}", "Year Groups: Get one")
LIST_SECTIONS = _get("list_sections", "/sections", "school sections; sort[position|name]; filter[groupType]")
GET_SECTION = _get("get_section", "/sections/{id}", "Sections: Get one")

# Houses, rooms, attendance codes
LIST_HOUSES = _get("list_houses", "/houses", "filter[houseType] (academic|boarding), filter[isActive]")
GET_HOUSE = _get("get_house", "/houses/{id}", _YEAR)
LIST_HOUSE_STUDENTS = _get("list_house_students", "/houses/{id}/students",
                           "students on roll in the house; search; filter[gender|boardingType|form|yearGroup]; "
                           "sort as list_students; not paged; " + _YEAR)
LIST_ROOMS = _get("list_rooms", "/rooms", "paged; search; filter[location]")
GET_ROOM = _get("get_room", "/rooms/{id}", "Rooms: Get one")
LIST_ATTENDANCE_CODES = _get("list_attendance_codes", "/attendance-codes", "DfE session codes; filter[display]")

ROUTES = RouteTable("hubmis", [
    GET_TOKEN,
    LIST_STUDENTS, LIST_PAST_STUDENTS, GET_STUDENT, GET_STUDENT_CONSENT, GET_STUDENT_DESTINATION,
    GET_STUDENT_ENROLMENT, LIST_STUDENT_EMAIL_ADDRESSES, LIST_STUDENT_CONTACT_RELATIONS,
    LIST_STUDENT_ACADEMIC_STRUCTURE, GET_STUDENT_ATTENDANCE, GET_STUDENT_TIMETABLE, GET_STUDENT_TIMETABLE_CALENDAR,
    LIST_STAFF, GET_STAFF, GET_STAFF_SCHOOL_DETAILS, LIST_STAFF_EMAIL_ADDRESSES, GET_STAFF_TIMETABLE,
    GET_STAFF_TIMETABLE_CALENDAR,
    LIST_CONTACTS, GET_CONTACT,
    LIST_ACADEMIC_YEARS, LIST_TERMS, LIST_DEPARTMENTS, GET_DEPARTMENT, LIST_SUBJECTS, GET_SUBJECT,
    LIST_SUBJECT_SETS, GET_SUBJECT_SET, LIST_SUBJECT_SET_STUDENTS, LIST_FORMS, GET_FORM, LIST_FORM_STUDENTS,
    LIST_TUTOR_GROUPS, GET_TUTOR_GROUP, LIST_TUTOR_GROUP_STUDENTS, LIST_YEAR_GROUPS, GET_YEAR_GROUP,
    LIST_SECTIONS, GET_SECTION,
    LIST_HOUSES, GET_HOUSE, LIST_HOUSE_STUDENTS, LIST_ROOMS, GET_ROOM, LIST_ATTENDANCE_CODES,
])
