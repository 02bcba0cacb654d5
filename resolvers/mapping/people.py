"""Pure mappings of vendor people payloads to schema values: which vendor gives each unified field."""

from __future__ import annotations

from typing import Any

from schema.detail import (
    AcademicHistoryEntry,
    AttendanceMark,
    DartmouthStudentRecord,
    Discipline,
    Dplan,
    Gpa,
    GpaHistory,
    GroupRef,
    HubmisStudentRecord,
    StudentAttribute,
    StudentStatusChange,
    TimetablePeriod,
)
from schema.enums import StudentStatus
from schema.types import Advisor

# The documented vendor order of each unified Student field (README: "Where each field comes from").
STUDENT_FIELD_ORDER: dict[str, tuple[str, ...]] = {
    "first_name": ("dartmouth_person", "hubmis"),
    "last_name": ("dartmouth_person", "hubmis"),
    "email": ("dartmouth_person", "hubmis"),
    "preferred_name": ("hubmis", "dartmouth_person"),
    "status": ("dartmouth_student", "hubmis"),
    "status_code": ("dartmouth_student", "hubmis"),
    "class_year": ("dartmouth_student",),
    "school_id": ("dartmouth_student",),
}

# Dartmouth student_status_id -> normalised status (value list /api/student_statuses).
_DARTMOUTH_STATUS = {"AS": StudentStatus.ACTIVE, "AD": StudentStatus.FUTURE, "LA": StudentStatus.INACTIVE,
                     "WD": StudentStatus.LEFT, "GR": StudentStatus.GRADUATED, "GS": StudentStatus.ACTIVE}
_HUBMIS_STATUS = {"current": StudentStatus.ACTIVE, "past": StudentStatus.LEFT,
                  "applicant": StudentStatus.APPLICANT}


def status_from_dartmouth(code: str | None, is_future: bool) -> StudentStatus | None:
    if is_future:
        return StudentStatus.FUTURE
    return None if code is None else _DARTMOUTH_STATUS.get(code, StudentStatus.UNKNOWN)


def status_from_hubmis(code: str | None) -> StudentStatus | None:
    return None if code is None else _HUBMIS_STATUS.get(code, StudentStatus.UNKNOWN)


STUDENT_AFFILIATIONS = frozenset({"Student", "Alum"})


def is_staff_person(person: Any) -> bool:
    """Whether a Dartmouth person is staff: some affiliation other than Student or Alum (Faculty, Employee...).
    A person with no affiliations listed is given the benefit of the doubt."""
    return not person.affiliations or any(a not in STUDENT_AFFILIATIONS for a in person.affiliations)


def person_value(person: Any, name: str) -> Any:
    """A unified field (Student's or Staff's) from a Dartmouth person (people API): the preferred name is the one
    its display ``name`` shows, as the people API has no field of its own for it."""
    if name in ("first_name", "last_name", "email"):
        return getattr(person, name)
    if name == "preferred_name":
        return preferred_from_display_name(person)
    if name == "job_title":
        return person.title
    if name == "departments":  # an employee's department; a student's department_class is their class ('27)
        employee = person.department_class and "Student" not in person.affiliations
        return [person.department_class] if employee else None
    return None


def preferred_from_display_name(person: Any) -> str | None:
    """The given name a Dartmouth person goes by, when it is not their ``first_name``.

    ``name`` is the directory's display name: the preferred (else first) name, the middle initial, the last
    name ("Javier J. Kim" for first_name Arjun, middle_name Javier). None when it shows the first name, or
    does not end with the last name (nothing to tell it by)."""
    words, last = (person.name or "").split(), (person.last_name or "").split()
    if person.prefix and words[:1] == [person.prefix]:
        words = words[1:]
    if person.suffix and words[-1:] == [person.suffix]:
        words = words[:-1]
    if not last or len(words) <= len(last) or words[-len(last):] != last:
        return None
    words = words[:-len(last)]
    middle = person.middle_name
    if middle and len(words) > 1 and words[-1] in (f"{middle[0]}.", middle[0], middle):
        words = words[:-1]
    given = " ".join(words)
    return None if given == (person.first_name or "").strip() else given


def dartmouth_student_value(record: Any, name: str) -> Any:
    if name == "status":
        return status_from_dartmouth(record.student_status_id, record.is_future_status)
    if name == "status_code":
        return record.student_status_id
    if name in ("class_year", "school_id"):
        return getattr(record, name)
    return None


def hubmis_student_value(record: Any, name: str) -> Any:
    if name == "email":
        return record.primary_email
    if name in ("first_name", "last_name", "preferred_name"):
        return getattr(record, name)
    if name == "status":
        return status_from_hubmis(record.enrolment_status)
    if name == "status_code":
        return record.enrolment_status
    return None


def hubmis_staff_value(record: Any, name: str) -> Any:
    if name == "departments":
        return [d.name for d in record.departments if d.name] or None  # none here: Dartmouth people may say
    if name in ("first_name", "last_name", "preferred_name", "email", "job_title", "status"):
        return getattr(record, name)
    return None


def advisor_from_dartmouth(a: Any) -> Advisor:
    return Advisor(netid=a.netid or "", type=a.type, is_primary=a.is_primary, effective_term=a.term_code_effective)


def dartmouth_record_from(r: Any) -> DartmouthStudentRecord:
    """Lossy: dplan sources collapse to their description; curriculum and sports are not exposed."""
    gpa = r.gpa_history
    return DartmouthStudentRecord(
        term_code_effective=r.term_code_eff, is_future_status=r.is_future_status, student_type_id=r.student_type_id,
        student_status_id=r.student_status_id, admission_type_id=r.admission_type_id,
        admit_term=r.current_admit_term_code, grad_term=r.grad_term,
        class_code=r.class_.code if r.class_ else None, is_first_gen=r.is_firstgen_student,
        status_history=[StudentStatusChange(
            term_code_effective=s.term_code_eff, school_id=s.school_id, class_year=s.class_year,
            class_code=s.class_code, student_type_id=s.student_type_id, student_status_id=s.student_status_id,
            grad_term=s.grad_term) for s in r.status_history],
        academic_history=[AcademicHistoryEntry(
            institution=h.institution.name if h.institution else None,
            institution_type=h.institution.type if h.institution else None,
            start_date=h.start_date, completion_date=h.completion_date, admit_term_code=h.admit_term_code,
            degree_level=h.degree.level if h.degree else None, degree_status=h.degree.status if h.degree else None,
            disciplines=[Discipline(id=d.id, name=d.name, type=d.type) for d in (h.degree.disciplines
                                                                                 if h.degree else ())])
            for h in r.academic_history],
        dplans=[Dplan(term_code=d.term_code, id=d.dplan_id, description=d.dplan_description,
                      source=d.dplan_source_description) for d in r.dplans],
        other_attributes=[StudentAttribute(code=a.code, description=a.description,
                                           term_code_effective=a.term_code_effective) for a in r.other_attributes],
        gpa=None if gpa is None else GpaHistory(  # empty lists: Dartmouth holds no GPA for them yet
            cumulative=[_gpa(g) for g in gpa.cumulative_gpa], terms=[_gpa(g) for g in gpa.term_gpa]),
        cache_date=r.cache_date,
    )


def _gpa(g: Any) -> Gpa:
    return Gpa(school_id=g.school_id, type=g.gpa_type_ind, value=g.gpa_value, term=g.sis_term_code)


def _group(ref: Any) -> GroupRef | None:
    return None if ref is None else GroupRef(id=ref.id, name=ref.name, code=ref.code)


def hubmis_record_from(r: Any) -> HubmisStudentRecord:
    form = r.form
    return HubmisStudentRecord(
        id=r.id, date_of_birth=r.date_of_birth, enrolment_status=r.enrolment_status, form=_group(form),
        year_group=_group(getattr(form, "year_group", None)),
        academic_house=_group(r.academic_house), boarding_house=_group(r.boarding_house),
        tags=[str(t) for t in r.tags])


def hubmis_record_by_id(hubmis_id: int) -> HubmisStudentRecord:
    """The HUBmis detail of a student whose record no field asked for: its id, for the fields read by id alone."""
    return HubmisStudentRecord(id=hubmis_id, date_of_birth=None, enrolment_status=None, form=None, year_group=None,
                               academic_house=None, boarding_house=None, tags=[])


def tutor_group_from_hubmis(group: Any) -> GroupRef | None:
    """A student's tutor group (``resolvers.tutorgroups``); None when they are in none."""
    return _group(group)


# DfE session codes that mean the student was in: present am (/), present pm (\\), late (L).
_PRESENT_CODES = {"/", "\\", "L"}


def attendance_from_hubmis(m: Any) -> AttendanceMark:
    code = m.attendance_code.code if m.attendance_code else None
    return AttendanceMark(date=m.date, session=m.attendance_session, code=code,
                          description=m.description or (m.attendance_code.description if m.attendance_code else None),
                          present=None if code is None else code in _PRESENT_CODES)


def _clock(value: Any) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def period_from_hubmis(p: Any) -> TimetablePeriod:
    """Lossy: a lesson in several rooms or with several teachers shows the first of each."""
    teacher = p.staff[0] if p.staff else None
    return TimetablePeriod(
        day=p.day, start=_clock(p.period.time_from) if p.period else None,
        end=_clock(p.period.time_to) if p.period else None, subject=p.subject.name if p.subject else None,
        group=p.subject_set.name if p.subject_set else None, room=p.rooms[0].name if p.rooms else None,
        teacher=" ".join(x for x in (teacher.first_name, teacher.last_name) if x) if teacher else None)
