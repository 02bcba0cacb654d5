"""HUBmis students, staff and contacts (contracts 2.7.1-2.7.5) and the small references they carry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Self

from gateway.vendors.payload import (
    Payload,
    day,
    flag,
    integer,
    moment,
    nested,
    nested_list,
    obj,
    require_object,
    required_int,
    text,
    texts,
)

VENDOR = "hubmis"


@dataclass(frozen=True, slots=True)
class HubmisRef:
    """The small ``{id, name, code}`` object HUBmis nests for value-list entries, groups, houses and rooms."""

    id: int | None
    name: str | None
    code: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(integer(payload.get("id")), text(payload.get("name")), text(payload.get("code")))


@dataclass(frozen=True, slots=True)
class HubmisPersonRef:
    """A nested staff member, student or contact: ``{id, external_id, first_name, last_name[, title]}``."""

    id: int | None
    external_id: str | None
    first_name: str | None
    last_name: str | None
    title: HubmisRef | None = None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(integer(payload.get("id")), text(payload.get("external_id")), text(payload.get("first_name")),
                   text(payload.get("last_name")), nested(HubmisRef.from_payload, payload.get("title")))


@dataclass(frozen=True, slots=True)
class HubmisFormRef:
    """A student's form, with the year group it belongs to."""

    id: int | None
    name: str | None
    code: str | None
    year_group: HubmisRef | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(integer(payload.get("id")), text(payload.get("name")), text(payload.get("code")),
                   nested(HubmisRef.from_payload, payload.get("year_group")))


def _tags(value: object) -> tuple[str, ...]:
    """Tags as names: bare strings, or the ``name`` of tag objects."""
    items = value if isinstance(value, list) else []
    return texts([t.get("name") if isinstance(t, dict) else t for t in items])


@dataclass(frozen=True, slots=True)
class HubmisStudent:
    """``GET /api/v1/students/{id}`` (and list items). Year-dependent fields (``form``, houses) are as of the
    academic year the client asks for. ``person_type`` is kept as sent: seed 002 prints ``"stduent"``."""

    id: int
    external_id: str | None
    first_name: str | None
    middle_name: str | None
    last_name: str | None
    preferred_name: str | None
    name_in_local_language: str | None
    date_of_birth: date | None
    enrolment_status: str | None  # current | past | applicant
    person_type: str | None
    access_status: str | None
    multi_realm: bool | None
    primary_email: str | None
    gender: HubmisRef | None
    form: HubmisFormRef | None
    academic_house: HubmisRef | None
    boarding_house: HubmisRef | None
    boarding_type: HubmisRef | None
    country_of_birth: HubmisRef | None
    ethnicity: HubmisRef | None
    faith: HubmisRef | None
    language_first: HubmisRef | None
    language_second: HubmisRef | None
    nationalities: tuple[HubmisRef, ...]
    national_identity: str | None
    tags: tuple[str, ...]
    has_global_note: bool | None
    last_login: datetime | None
    deleted_at: datetime | None
    profile_image_url: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no integer ``id``."""
        p = require_object(payload, VENDOR, "a student")
        return cls(
            id=required_int(p, "id", VENDOR, "a student"), external_id=text(p.get("external_id")),
            first_name=text(p.get("first_name")), middle_name=text(p.get("middle_name")),
            last_name=text(p.get("last_name")), preferred_name=text(p.get("preferred_name")),
            name_in_local_language=text(p.get("name_in_local_language")), date_of_birth=day(p.get("date_of_birth")),
            enrolment_status=text(p.get("enrolment_status")), person_type=text(p.get("person_type")),
            access_status=text(p.get("access_status")), multi_realm=flag(p.get("multi_realm")),
            primary_email=text(p.get("primary_email")), gender=nested(HubmisRef.from_payload, p.get("gender")),
            form=nested(HubmisFormRef.from_payload, p.get("form")),
            academic_house=nested(HubmisRef.from_payload, p.get("academic_house")),
            boarding_house=nested(HubmisRef.from_payload, p.get("boarding_house")),
            boarding_type=nested(HubmisRef.from_payload, p.get("boarding_type")),
            country_of_birth=nested(HubmisRef.from_payload, p.get("country_of_birth")),
            ethnicity=nested(HubmisRef.from_payload, p.get("ethnicity")),
            faith=nested(HubmisRef.from_payload, p.get("faith")),
            language_first=nested(HubmisRef.from_payload, p.get("language_first")),
            language_second=nested(HubmisRef.from_payload, p.get("language_second")),
            nationalities=nested_list(HubmisRef.from_payload, p.get("nationalities")),
            national_identity=text(p.get("national_identity")), tags=_tags(p.get("tags")),
            has_global_note=flag(p.get("has_global_note")), last_login=moment(p.get("last_login")),
            deleted_at=moment(p.get("deleted_at")), profile_image_url=text(obj(p.get("profile_image")).get("url")),
        )

    @property
    def year_group(self) -> HubmisRef | None:
        """The year group of the student's form (HUBmis nests it there)."""
        return self.form.year_group if self.form else None


@dataclass(frozen=True, slots=True)
class HubmisStaff:
    """``GET /api/v1/staff/{id}`` (and list items)."""

    id: int
    external_id: str | None
    title: HubmisRef | None
    first_name: str | None
    middle_name: str | None
    last_name: str | None
    preferred_name: str | None
    email: str | None
    job_title: str | None
    status: str | None  # current | past
    person_type: str | None
    access_status: str | None
    multi_realm: bool | None
    gender: HubmisRef | None
    departments: tuple[HubmisRef, ...]
    forms: tuple[HubmisRef, ...]
    sections: tuple[HubmisRef, ...]
    rooms: tuple[HubmisRef, ...]
    roles: tuple[HubmisRef, ...]
    academic_houses: tuple[HubmisRef, ...]
    boarding_houses: tuple[HubmisRef, ...]
    profile_image_url: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no integer ``id``."""
        p = require_object(payload, VENDOR, "a staff member")
        refs = {k: nested_list(HubmisRef.from_payload, p.get(k))
                for k in ("departments", "forms", "sections", "rooms", "roles", "academic_houses", "boarding_houses")}
        return cls(
            id=required_int(p, "id", VENDOR, "a staff member"), external_id=text(p.get("external_id")),
            title=nested(HubmisRef.from_payload, p.get("title")), first_name=text(p.get("first_name")),
            middle_name=text(p.get("middle_name")), last_name=text(p.get("last_name")),
            preferred_name=text(p.get("preferred_name")), email=text(p.get("email")),
            job_title=text(p.get("job_title")), status=text(p.get("status")), person_type=text(p.get("person_type")),
            access_status=text(p.get("access_status")), multi_realm=flag(p.get("multi_realm")),
            gender=nested(HubmisRef.from_payload, p.get("gender")), **refs,
            profile_image_url=text(obj(p.get("profile_image")).get("url")),
        )


@dataclass(frozen=True, slots=True)
class HubmisStaffSchoolDetails:
    """``GET /api/v1/staff/{id}/school-details``."""

    id: int | None
    job_title: str | None
    learning_support_coordinator: bool | None
    departments: tuple[HubmisRef, ...]
    positions: tuple[HubmisRef, ...]
    rooms: tuple[HubmisRef, ...]
    sections: tuple[HubmisRef, ...]
    subjects: tuple[HubmisRef, ...]
    timetable_code: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        p = require_object(payload, VENDOR, "staff school details")
        refs = {k: nested_list(HubmisRef.from_payload, p.get(k))
                for k in ("departments", "positions", "rooms", "sections", "subjects")}
        return cls(id=integer(p.get("id")), job_title=text(p.get("job_title")),
                   learning_support_coordinator=flag(p.get("learning_support_coordinator")), **refs,
                   timetable_code=text(p.get("timetable_code")))


@dataclass(frozen=True, slots=True)
class HubmisContact:
    """``GET /api/v1/contacts/{id}``: a parent or guardian. ``students`` are the linked students."""

    id: int
    external_id: str | None
    title: HubmisRef | None
    first_name: str | None
    middle_name: str | None
    last_name: str | None
    primary_email: str | None
    status: str | None  # active | inactive
    access_status: str | None
    multi_realm: bool | None
    gender: HubmisRef | None
    students: tuple[HubmisPersonRef, ...]
    students_access: tuple[HubmisPersonRef, ...]
    deleted_at: datetime | None
    profile_image_url: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no integer ``id``."""
        p = require_object(payload, VENDOR, "a contact")
        return cls(
            id=required_int(p, "id", VENDOR, "a contact"), external_id=text(p.get("external_id")),
            title=nested(HubmisRef.from_payload, p.get("title")), first_name=text(p.get("first_name")),
            middle_name=text(p.get("middle_name")), last_name=text(p.get("last_name")),
            primary_email=text(p.get("primary_email")), status=text(p.get("status")),
            access_status=text(p.get("access_status")), multi_realm=flag(p.get("multi_realm")),
            gender=nested(HubmisRef.from_payload, p.get("gender")),
            students=nested_list(HubmisPersonRef.from_payload, p.get("students")),
            students_access=nested_list(HubmisPersonRef.from_payload, p.get("students_access")),
            deleted_at=moment(p.get("deleted_at")), profile_image_url=text(obj(p.get("profile_image")).get("url")),
        )


@dataclass(frozen=True, slots=True)
class HubmisContactRelation:
    """An item of ``GET /api/v1/students/{id}/contact-relations``: a parent or guardian, by ``priority``."""

    id: int | None
    contact: HubmisPersonRef | None
    relationship_type: HubmisRef | None
    priority: int | None
    is_primary: bool | None
    parental_responsibility: bool | None
    lives_with_student: bool | None
    receives_correspondence: bool | None
    emergency_contact: bool | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(integer(payload.get("id")), nested(HubmisPersonRef.from_payload, payload.get("contact")),
                   nested(HubmisRef.from_payload, payload.get("relationship_type")), integer(payload.get("priority")),
                   *(flag(payload.get(k)) for k in ("is_primary", "parental_responsibility", "lives_with_student",
                                                    "receives_correspondence", "emergency_contact")))


@dataclass(frozen=True, slots=True)
class HubmisEmailAddress:
    id: int | None
    email: str | None
    email_type: HubmisRef | None
    is_primary: bool | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(integer(payload.get("id")), text(payload.get("email")),
                   nested(HubmisRef.from_payload, payload.get("email_type")), flag(payload.get("is_primary")))


@dataclass(frozen=True, slots=True)
class HubmisEnrolment:
    """``GET /api/v1/students/{id}/enrolment``."""

    enrolment_status: str | None
    start_date: date | None
    account_reference: str | None
    candidate_number: str | None
    unique_pupil_number: str | None
    unique_pupil_number_status: str | None  # temporary | permanent

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        p = require_object(payload, VENDOR, "an enrolment")
        return cls(text(p.get("enrolment_status")), day(p.get("start_date")), text(p.get("account_reference")),
                   text(p.get("candidate_number")), text(p.get("unique_pupil_number")),
                   text(p.get("unique_pupil_number_status")))


@dataclass(frozen=True, slots=True)
class HubmisConsent:
    """``GET /api/v1/students/{id}/consent``: seven booleans (None when absent)."""

    photograph: bool | None
    publish_photograph: bool | None
    publish_video: bool | None
    share_photograph: bool | None
    share_video: bool | None
    share_data: bool | None
    school_trip: bool | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        p = require_object(payload, VENDOR, "a consent record")
        return cls(*(flag(p.get(k)) for k in ("photograph", "publish_photograph", "publish_video",
                                              "share_photograph", "share_video", "share_data", "school_trip")))
