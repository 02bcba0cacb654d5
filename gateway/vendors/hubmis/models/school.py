"""HUBmis school structure (contracts 2.7.6-2.7.8): academic years, terms, groups, sections, departments, rooms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Self

from gateway.vendors.hubmis.models.people import HubmisPersonRef, HubmisRef
from gateway.vendors.payload import (
    Payload,
    day,
    flag,
    integer,
    nested,
    nested_list,
    require_object,
    required_int,
    text,
)

VENDOR = "hubmis"


@dataclass(frozen=True, slots=True)
class HubmisAcademicYear:
    """An item of ``GET /api/v1/academic-years``; also the ``academic_year`` reference (without dates) in records."""

    id: int
    name: str | None
    code: str | None
    is_active: bool | None
    start_date: date | None = None
    end_date: date | None = None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no integer ``id``."""
        p = require_object(payload, VENDOR, "an academic year")
        return cls(required_int(p, "id", VENDOR, "an academic year"), text(p.get("name")), text(p.get("code")),
                   flag(p.get("is_active")), day(p.get("start_date")), day(p.get("end_date")))


@dataclass(frozen=True, slots=True)
class HubmisTerm:
    """An item of ``GET /api/v1/academic-years/{academicYearId}/terms``."""

    id: int
    name: str | None
    start_date: date | None
    end_date: date | None
    academic_year: HubmisAcademicYear | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no integer ``id``."""
        p = require_object(payload, VENDOR, "a term")
        return cls(required_int(p, "id", VENDOR, "a term"), text(p.get("name")), day(p.get("start_date")),
                   day(p.get("end_date")), _year(p))


def _year(p: Payload) -> HubmisAcademicYear | None:
    value = p.get("academic_year")
    return HubmisAcademicYear.from_payload(value) if isinstance(value, dict) and integer(value.get("id")) else None


@dataclass(frozen=True, slots=True)
class HubmisGroup:
    """A group of students: form, tutor group, year group, subject set, house or extra-curricular activity.

    They share ``id``, ``name``, ``code`` and the fields below; the extras of each kind are None or empty on the
    others. ``group_type`` is the payload's own (``list_student_academic_structure`` rows carry one) or set by the
    client from the route it called. ``student_count`` falls back to a year group's ``total_student_count``.
    """

    id: int
    name: str | None
    code: str | None
    group_type: str | None  # form | tutor_group | year_group | subject_set | house | extra_curricular_activity
    academic_year: HubmisAcademicYear | None
    short_description: str | None
    max_students: int | None
    student_count: int | None
    timetable_code: str | None
    rooms: tuple[HubmisRef, ...]
    staff: tuple[HubmisPersonRef, ...]
    staff_report_writers: tuple[HubmisPersonRef, ...]
    section: HubmisRef | None
    year_group: HubmisRef | None
    student_representatives: tuple[HubmisPersonRef, ...]
    # subject sets and extra-curricular activities
    subject: HubmisRef | None
    qualification: HubmisRef | None
    credit_score: int | None
    date_start: date | None
    date_end: date | None
    year_groups: tuple[HubmisRef, ...]
    # year groups
    dfe_year: str | None
    final_year: bool | None
    form_count: int | None
    key_stage: str | None
    position: int | None
    status: str | None
    uuid: str | None
    year_group_heads: tuple[HubmisPersonRef, ...]
    # houses
    house_type: str | None  # academic | boarding
    is_active: bool | None
    genders: tuple[HubmisRef, ...]
    house_parents: tuple[HubmisPersonRef, ...]
    address: str | None
    phone: str | None
    note: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no integer ``id``."""
        p = require_object(payload, VENDOR, "a group")
        count = integer(p.get("student_count"))
        people = {k: nested_list(HubmisPersonRef.from_payload, p.get(k)) for k in (
            "staff", "staff_report_writers", "student_representatives", "year_group_heads", "house_parents")}
        return cls(
            id=required_int(p, "id", VENDOR, "a group"), name=text(p.get("name")), code=text(p.get("code")),
            group_type=text(p.get("group_type")), academic_year=_year(p),
            short_description=text(p.get("short_description")), max_students=integer(p.get("max_students")),
            student_count=count if count is not None else integer(p.get("total_student_count")),
            timetable_code=text(p.get("timetable_code")), rooms=nested_list(HubmisRef.from_payload, p.get("rooms")),
            section=nested(HubmisRef.from_payload, p.get("section")),
            year_group=nested(HubmisRef.from_payload, p.get("year_group")),
            subject=nested(HubmisRef.from_payload, p.get("subject")),
            qualification=nested(HubmisRef.from_payload, p.get("qualification")),
            credit_score=integer(p.get("credit_score")), date_start=day(p.get("date_start")),
            date_end=day(p.get("date_end")), year_groups=nested_list(HubmisRef.from_payload, p.get("year_groups")),
            dfe_year=text(p.get("dfe_year")), final_year=flag(p.get("final_year")),
            form_count=integer(p.get("form_count")), key_stage=text(p.get("key_stage")),
            position=integer(p.get("position")), status=text(p.get("status")), uuid=text(p.get("uuid")),
            house_type=text(p.get("house_type")), is_active=flag(p.get("is_active")),
            genders=nested_list(HubmisRef.from_payload, p.get("genders")), address=text(p.get("address")),
            phone=text(p.get("phone")), note=text(p.get("note")), **people,
        )


@dataclass(frozen=True, slots=True)
class HubmisSection:
    """A school section (``GET /api/v1/sections/{id}``): Middle School, Sixth Form... with its year groups."""

    id: int
    code: str | None
    name: str | None
    position: int | None
    section_heads: tuple[HubmisPersonRef, ...]
    year_groups: tuple[HubmisRef, ...]

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no integer ``id``."""
        p = require_object(payload, VENDOR, "a school section")
        return cls(required_int(p, "id", VENDOR, "a school section"), text(p.get("code")), text(p.get("name")),
                   integer(p.get("position")), nested_list(HubmisPersonRef.from_payload, p.get("section_heads")),
                   nested_list(HubmisRef.from_payload, p.get("year_groups")))


@dataclass(frozen=True, slots=True)
class HubmisDepartment:
    """``GET /api/v1/academic-years/{academicYearId}/departments/{id}``; ``can_copy`` is absent in the old variant."""

    id: int
    code: str | None
    name: str | None
    academic_year: HubmisAcademicYear | None
    department_heads: tuple[HubmisPersonRef, ...]
    subjects: tuple[HubmisRef, ...]
    can_copy: bool | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no integer ``id``."""
        p = require_object(payload, VENDOR, "a department")
        return cls(required_int(p, "id", VENDOR, "a department"), text(p.get("code")), text(p.get("name")),
                   _year(p), nested_list(HubmisPersonRef.from_payload, p.get("department_heads")),
                   nested_list(HubmisRef.from_payload, p.get("subjects")), flag(p.get("can_copy")))


@dataclass(frozen=True, slots=True)
class HubmisSubject:
    """``GET /api/v1/academic-years/{academicYearId}/subjects/{id}``; the old variant has ``color_option``."""

    id: int
    code: str | None
    name: str | None
    alternative_name: str | None
    academic_year: HubmisAcademicYear | None
    department: HubmisRef | None
    subject_heads: tuple[HubmisPersonRef, ...]
    can_copy: bool | None
    color_option: int | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no integer ``id``."""
        p = require_object(payload, VENDOR, "a subject")
        return cls(required_int(p, "id", VENDOR, "a subject"), text(p.get("code")), text(p.get("name")),
                   text(p.get("alternative_name")), _year(p), nested(HubmisRef.from_payload, p.get("department")),
                   nested_list(HubmisPersonRef.from_payload, p.get("subject_heads")), flag(p.get("can_copy")),
                   integer(p.get("color_option")))


@dataclass(frozen=True, slots=True)
class HubmisRoom:
    """``GET /api/v1/rooms/{id}``."""

    id: int
    room_code: str | None
    description: str | None
    location: HubmisRef | None
    room_capacity: int | None
    telephone_extension: str | None
    timetable_code: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no integer ``id``."""
        p = require_object(payload, VENDOR, "a room")
        return cls(required_int(p, "id", VENDOR, "a room"), text(p.get("room_code")), text(p.get("description")),
                   nested(HubmisRef.from_payload, p.get("location")), integer(p.get("room_capacity")),
                   text(p.get("telephone_extension")), text(p.get("timetable_code")))
