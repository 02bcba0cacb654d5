"""Dartmouth student (seed 003, contracts 3.7.1) and person (D11) payloads as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Self

from gateway.vendors.payload import (
    Payload,
    day,
    flag,
    moment,
    nested,
    nested_list,
    number,
    records,
    require_object,
    required_text,
    text,
)

VENDOR = "dartmouth"


@dataclass(frozen=True, slots=True)
class DartmouthInstitution:
    name: str | None
    type: str | None
    category: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("name")), text(payload.get("type")), text(payload.get("category")))


@dataclass(frozen=True, slots=True)
class DartmouthConcentration:
    id: str | None
    name: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("id")), text(payload.get("name")))


@dataclass(frozen=True, slots=True)
class DartmouthDiscipline:
    """A major or minor; ``concentrations`` appear in samples only, ``status`` in the table only."""

    id: str | None
    name: str | None
    type: str | None  # MAJOR | MINOR
    status: str | None
    concentrations: tuple[DartmouthConcentration, ...]

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("id")), text(payload.get("name")), text(payload.get("type")),
                   text(payload.get("status")), nested_list(DartmouthConcentration.from_payload,
                                                            payload.get("concentrations")))


@dataclass(frozen=True, slots=True)
class DartmouthDegree:
    level: str | None
    status: str | None  # Sought | Awarded
    disciplines: tuple[DartmouthDiscipline, ...]

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("level")), text(payload.get("status")),
                   nested_list(DartmouthDiscipline.from_payload, payload.get("disciplines")))


@dataclass(frozen=True, slots=True)
class DartmouthSource:
    code: str | None
    name: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("code")), text(payload.get("name")))


@dataclass(frozen=True, slots=True)
class DartmouthAcademicHistory:
    """One ``academic_history`` entry: a prior school or a Dartmouth program (institution name "Dartmouth ...")."""

    institution: DartmouthInstitution | None
    start_date: date | None
    completion_date: date | None
    admit_term_code: str | None
    degree: DartmouthDegree | None
    source: DartmouthSource | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(nested(DartmouthInstitution.from_payload, payload.get("institution")),
                   day(payload.get("start_date")), day(payload.get("completion_date")),
                   text(payload.get("admit_term_code")), nested(DartmouthDegree.from_payload, payload.get("degree")),
                   nested(DartmouthSource.from_payload, payload.get("source")))


@dataclass(frozen=True, slots=True)
class DartmouthAdvisor:
    netid: str | None
    term_code_effective: str | None
    is_primary: bool
    type: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("netid")), text(payload.get("term_code_effective")),
                   flag(payload.get("is_primary")) is True, text(payload.get("type")))


@dataclass(frozen=True, slots=True)
class DartmouthOtherAttribute:
    term_code_effective: str | None
    code: str | None
    description: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("term_code_effective")), text(payload.get("code")),
                   text(payload.get("description")))


@dataclass(frozen=True, slots=True)
class DartmouthStatusChange:
    """One ``status_history`` entry; ``class_code`` appears in the samples only."""

    term_code_eff: str | None
    school_id: str | None
    class_year: str | None
    student_type_id: str | None
    grad_term: str | None
    student_status_id: str | None
    class_code: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(*(text(payload.get(k)) for k in ("term_code_eff", "school_id", "class_year", "student_type_id",
                                                     "grad_term", "student_status_id", "class_code")))


@dataclass(frozen=True, slots=True)
class DartmouthDplan:
    term_code: str | None
    dplan_id: str | None
    dplan_description: str | None
    dplan_source_id: str | None
    dplan_source_description: str | None
    student_status_id: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(*(text(payload.get(k)) for k in ("term_code", "dplan_id", "dplan_description", "dplan_source_id",
                                                     "dplan_source_description", "student_status_id")))


@dataclass(frozen=True, slots=True)
class DartmouthGpa:
    """One GPA value; ``sis_term_code`` is set on term GPAs only. ``gpa_value`` arrives as text or a number."""

    school_id: str | None
    gpa_type_ind: str | None  # I, O, T ...
    gpa_value: float | None
    sis_term_code: str | None = None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("school_id")), text(payload.get("gpa_type_ind")),
                   number(payload.get("gpa_value")), text(payload.get("sis_term_code")))


@dataclass(frozen=True, slots=True)
class DartmouthGpaHistory:
    cumulative_gpa: tuple[DartmouthGpa, ...]
    term_gpa: tuple[DartmouthGpa, ...]

    @classmethod
    def from_payload(cls, payload: Payload | list[Any]) -> Self:
        """The samples' object ``{cumulative_gpa[], term_gpa[]}``, or the array the field table promises:
        a flat array splits on ``sis_term_code`` (term GPAs have one), and objects holding the two arrays merge."""
        if isinstance(payload, dict):
            return cls(nested_list(DartmouthGpa.from_payload, payload.get("cumulative_gpa")),
                       nested_list(DartmouthGpa.from_payload, payload.get("term_gpa")))
        cumulative: list[DartmouthGpa] = []
        term: list[DartmouthGpa] = []
        for item in records(payload):
            if "cumulative_gpa" in item or "term_gpa" in item:
                part = cls.from_payload(item)
                cumulative += part.cumulative_gpa
                term += part.term_gpa
            elif item:
                gpa = DartmouthGpa.from_payload(item)
                (term if gpa.sis_term_code else cumulative).append(gpa)
        return cls(tuple(cumulative), tuple(term))

    def cumulative(self, school_id: str | None = None, gpa_type_ind: str = "I") -> float | None:
        """The cumulative GPA of one type (institutional ``I`` by default), for a school or the first listed."""
        return next((g.gpa_value for g in self.cumulative_gpa if g.gpa_type_ind == gpa_type_ind
                     and (school_id is None or g.school_id == school_id)), None)


@dataclass(frozen=True, slots=True)
class DartmouthClass:
    code: str | None
    name: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("code")), text(payload.get("name")))


@dataclass(frozen=True, slots=True)
class DartmouthCurriculum:
    """One ``curriculum`` entry (in the samples only, not in the field table)."""

    college_id: str | None
    degree_id: str | None
    program: str | None
    school_id: str | None
    term_code: str | None
    term_code_end: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(*(text(payload.get(k)) for k in ("college_id", "degree_id", "program", "school_id", "term_code",
                                                     "term_code_end")))


def _sport(value: Any) -> str | None:
    return text(value.get("id")) if isinstance(value, dict) else text(value)


@dataclass(frozen=True, slots=True)
class DartmouthStudent:
    """``GET /api/students/{netid}``. Top-level status fields are relative to the school's current term.

    ``gpa_history`` is None when the JWT lacks ``students:read.highlysensitive`` (the vendor leaves it out).
    ``class_`` is the vendor's ``class``. ``school_id`` falls back to the deprecated ``school_code``.
    """

    netid: str
    cache_date: datetime | None
    term_code_eff: str | None
    is_future_status: bool
    school_id: str | None
    school_code: str | None
    class_year: str | None
    student_type_id: str | None
    admission_type_id: str | None
    current_admit_term_code: str | None
    grad_term: str | None
    student_status_id: str | None
    academic_history: tuple[DartmouthAcademicHistory, ...]
    advisors: tuple[DartmouthAdvisor, ...]
    other_attributes: tuple[DartmouthOtherAttribute, ...]
    status_history: tuple[DartmouthStatusChange, ...]
    dplans: tuple[DartmouthDplan, ...]
    gpa_history: DartmouthGpaHistory | None
    is_fysep_participant: bool | None
    is_firstgen_student: bool | None
    varsity_sports: tuple[str, ...]
    class_: DartmouthClass | None
    curriculum: tuple[DartmouthCurriculum, ...]

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no ``netid``."""
        p = require_object(payload, VENDOR, "a student")
        gpa = p.get("gpa_history")
        # The field table spells it is_fysep_partcipant; the payloads spell it right.
        fysep = p.get("is_fysep_participant", p.get("is_fysep_partcipant"))
        sports = p.get("varsity_sports")
        return cls(
            netid=required_text(p, "netid", VENDOR, "a student"),
            cache_date=moment(p.get("cache_date")),
            term_code_eff=text(p.get("term_code_eff")),
            is_future_status=flag(p.get("is_future_status")) is True,
            school_id=text(p.get("school_id")) or text(p.get("school_code")),
            school_code=text(p.get("school_code")),
            class_year=text(p.get("class_year")),
            student_type_id=text(p.get("student_type_id")),
            admission_type_id=text(p.get("admission_type_id")),
            current_admit_term_code=text(p.get("current_admit_term_code")),
            grad_term=text(p.get("grad_term")),
            student_status_id=text(p.get("student_status_id")),
            academic_history=nested_list(DartmouthAcademicHistory.from_payload, p.get("academic_history")),
            advisors=nested_list(DartmouthAdvisor.from_payload, p.get("advisors")),
            other_attributes=nested_list(DartmouthOtherAttribute.from_payload, p.get("other_attributes")),
            status_history=nested_list(DartmouthStatusChange.from_payload, p.get("status_history")),
            dplans=nested_list(DartmouthDplan.from_payload, p.get("dplans")),
            gpa_history=DartmouthGpaHistory.from_payload(gpa) if isinstance(gpa, dict | list) else None,
            is_fysep_participant=flag(fysep),
            is_firstgen_student=flag(p.get("is_firstgen_student")),
            varsity_sports=tuple(s for s in map(_sport, sports) if s) if isinstance(sports, list) else (),
            class_=nested(DartmouthClass.from_payload, p.get("class")),
            curriculum=nested_list(DartmouthCurriculum.from_payload, p.get("curriculum")),
        )

    @property
    def primary_advisor(self) -> DartmouthAdvisor | None:
        return next((a for a in self.advisors if a.is_primary), None)


@dataclass(frozen=True, slots=True)
class DartmouthTelephoneNumber:
    telephone_number: str | None
    telephone_type_id: str | None
    data_source: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("telephone_number")), text(payload.get("telephone_type_id")),
                   text(payload.get("data_source")))


@dataclass(frozen=True, slots=True)
class DartmouthPerson:
    """``GET /api/people/{netid}``: directory data. ``affiliations`` holds the affiliation names (Student, Alum...)."""

    netid: str
    name: str | None
    prefix: str | None
    first_name: str | None
    middle_name: str | None
    last_name: str | None
    suffix: str | None
    email: str | None
    title: str | None
    campus_address: str | None
    affiliations: tuple[str, ...]
    dartmouth_affiliation: str | None
    department_class: str | None
    telephone_numbers: tuple[DartmouthTelephoneNumber, ...]
    cache_date: datetime | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no ``netid``."""
        p = require_object(payload, VENDOR, "a person")
        affiliations = p.get("affiliations")
        names = [text(a.get("name")) if isinstance(a, dict) else text(a)
                 for a in (affiliations if isinstance(affiliations, list) else [])]
        return cls(
            netid=required_text(p, "netid", VENDOR, "a person"),
            name=text(p.get("name")), prefix=text(p.get("prefix")), first_name=text(p.get("first_name")),
            middle_name=text(p.get("middle_name")), last_name=text(p.get("last_name")),
            suffix=text(p.get("suffix")), email=text(p.get("email")), title=text(p.get("title")),
            campus_address=text(p.get("campus_address")), affiliations=tuple(n for n in names if n),
            dartmouth_affiliation=text(p.get("dartmouth_affiliation")),
            department_class=text(p.get("department_class")),
            telephone_numbers=nested_list(DartmouthTelephoneNumber.from_payload, p.get("telephone_numbers")),
            cache_date=moment(p.get("cache_date")),
        )

