"""Student, staff and contact records as HUBmis shows them (contracts 2.7.1, 2.7.3, 2.7.5).

Names, dates of birth, genders and emails come from the world's Person; everything a university
world does not have (houses, boarding, ethnicity, parents...) is drawn from the simulator's seeded
random stream. The records the seed shows (student 56, staff 12, contact 37) keep the seed's values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from random import Random
from typing import Any

from gateway.sandbox.hubmis import lookups as lk
from gateway.sandbox.hubmis.lookups import Ref
from gateway.sandbox.world import Person

SEED_STUDENT, SEED_STAFF, SEED_CONTACT = 56, 12, 37
SEED_TIME = "2019-08-24T14:15:22Z"


@dataclass(slots=True)
class StudentInfo:
    """What the simulator keeps per student; ``record`` is the student as shown for the active year."""

    id: int
    person: Person
    status: str  # "current" | "past" | "applicant"
    start_year: int  # academic year (start) the student joined or will join
    boarding_type: Ref
    academic_house: int | None
    boarding_house: int | None
    record: dict[str, Any] = field(default_factory=dict)
    contacts: list[tuple[int, int, str]] = field(default_factory=list)  # (relation id, contact id, relationship)
    destination: int | None = None  # past students: id in lookups.DESTINATIONS
    haystack: str = ""


@dataclass(slots=True)
class StaffInfo:
    id: int
    person: Person
    subject: str  # school subject taught
    department: str  # school department code
    status: str  # "current" | "past"
    record: dict[str, Any] = field(default_factory=dict)
    haystack: str = ""
    timetable_code: str = ""  # initials and a number, as in the seed's "PK3"


def person_ref(p: Person, id_: int) -> Ref:
    return {"id": id_, "external_id": p.key, "first_name": p.first_name, "last_name": p.last_name}


def haystack(*parts: object) -> str:
    """Lower-case text ``search`` matches against (names, ids, emails)."""
    return " ".join([str(p) for p in parts if p]).lower()


def student_record(info: StudentInfo, rng: Random, today: date) -> dict[str, Any]:
    p = info.person
    country, nationality = lk.COUNTRY.pick(rng)
    first_language = lk.LANGUAGES[0] if country["code"] in ("GB", "US") or rng.random() < 0.5 else \
        rng.choice(lk.LANGUAGES[1:])
    access = lk.STUDENT_ACCESS.pick(rng) \
        if info.status == "current" else "no_access"
    login = None
    if access == "active":
        when = datetime.combine(today, datetime.min.time()) - timedelta(minutes=rng.randint(60, 60 * 24 * 45))
        login = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    record: dict[str, Any] = {
        "id": info.id, "access_status": access, "multi_realm": False, "academic_house": None,
        "boarding_type": info.boarding_type, "boarding_house": None, "country_of_birth": country,
        "date_of_birth": p.date_of_birth.isoformat(), "deleted_at": None,
        "ethnicity": lk.ETHNICITY.pick(rng),
        "enrolment_status": info.status, "external_id": p.key,
        "faith": lk.FAITH.pick(rng), "first_name": p.first_name,
        "gender": lk.GENDERS[p.gender], "has_global_note": rng.random() < 0.04, "form": None,
        "language_first": first_language,
        "language_second": rng.choice(lk.LANGUAGES) if rng.random() < 0.3 else None, "last_login": login,
        "last_name": p.last_name, "learning_support_record_summary": [], "middle_name": p.middle_name,
        "name_in_local_language": None, "national_identity": None, "nationalities": [nationality],
        "person_type": "student", "preferred_name": p.preferred_name, "primary_email": p.email,
        "profile_image": {"url": None}, "tags": [rng.choice(lk.TAGS)] if rng.random() < 0.12 else [],
        "medical_condition_severity": [],
    }
    if info.id == SEED_STUDENT:
        # Seed 002's sample as printed, typo included ("stduent"): clients must not depend on person_type.
        record.update(access_status="invited", last_login=SEED_TIME, person_type="stduent",
                      primary_email="user@example.com", has_global_note=False, tags=[], middle_name=None,
                      preferred_name=None)
    return record


def staff_record(info: StaffInfo, rng: Random, staff_id_title: Ref) -> dict[str, Any]:
    p = info.person
    record: dict[str, Any] = {
        "access_status": lk.STAFF_ACCESS.pick(rng) if info.status == "current"
        else "no_access",
        "multi_realm": False, "academic_houses": [], "boarding_houses": [], "departments": [], "email": p.email,
        "external_id": p.key, "first_name": p.first_name, "forms": [], "gender": lk.GENDERS[p.gender],
        "id": info.id, "images": [], "job_title": p.job_title, "last_name": p.last_name,
        "middle_name": p.middle_name, "person_type": "staff", "preferred_name": p.preferred_name,
        "profile_image": {"url": None}, "roles": [], "rooms": [], "sections": [], "status": info.status,
        "title": staff_id_title,
    }
    if info.id == SEED_STAFF:
        record.update(access_status="invited", email="user@example.com", job_title="Head of Drama",
                      middle_name=None, preferred_name="Ben")
    return record


def staff_title(p: Person, rng: Random) -> Ref:
    if rng.random() < 0.15:
        return lk.TITLES["Dr"]
    return {"F": lk.TITLES[rng.choice(("Mrs", "Ms", "Miss"))], "M": lk.TITLES["Mr"], "X": lk.TITLES["Mx"]}[p.gender]


def contact_record(contact_id: int, first: str, last: str, gender: str, title: str, email: str, students: list[Ref],
                   access: str, status: str) -> dict[str, Any]:
    record = {
        "access_status": access, "multi_realm": False, "students_access": students if access != "no_access" else [],
        "deleted_at": None, "external_id": None, "first_name": first, "gender": lk.GENDERS[gender],
        "id": contact_id, "last_name": last, "middle_name": None, "primary_email": email,
        "profile_image": {"url": None}, "status": status, "students": students, "title": lk.TITLES[title],
    }
    if contact_id == SEED_CONTACT:
        # As printed in seed 002 (deleted_at set on an active contact is the doc's own oddity).
        record.update(access_status="no_access", students_access=[], deleted_at=SEED_TIME, status="active",
                      first_name="Sarah",
                      last_name="Shmyth", middle_name=None, primary_email="user@example.com")
    return record


def email_addresses(owner_id: int, addresses: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """``[(email, type)]`` -> the email-addresses list; the first one is primary."""
    return [{"id": owner_id * 10 + n, "email": email, "email_type": lk.EMAIL_TYPES[kind], "is_primary": n == 0}
            for n, (email, kind) in enumerate(addresses)]


def consent(student_id: int, seed: int) -> dict[str, bool]:
    if student_id == SEED_STUDENT:
        return dict.fromkeys(("photograph", "publish_photograph", "publish_video", "share_photograph",
                              "share_video", "share_data", "school_trip"), True)
    rng = Random(f"hubmis:consent:{seed}:{student_id}")
    photo = rng.random() < 0.9
    return {"photograph": photo, "publish_photograph": photo and rng.random() < 0.8,
            "publish_video": photo and rng.random() < 0.7, "share_photograph": photo and rng.random() < 0.75,
            "share_video": photo and rng.random() < 0.65, "share_data": rng.random() < 0.95,
            "school_trip": rng.random() < 0.97}


def enrolment(info: StudentInfo, seed: int, year_number: int | None) -> dict[str, Any]:
    if info.id == SEED_STUDENT:
        return {"enrolment_status": "current", "start_date": "2017-08-24", "account_reference": "OU812",
                "candidate_number": "AA23", "unique_pupil_number": "90210", "unique_pupil_number_status": "temporary"}
    rng = Random(f"hubmis:enrolment:{seed}:{info.id}")
    start = date(info.start_year, 9, 1)
    upn = f"{'ABCDEFGHJKLMNPQRTUVWXYZ'[info.id % 23]}801{6000 + info.id % 1000:04d}{info.start_year % 100:02d}" \
          f"{info.id % 1000:03d}"
    return {
        "enrolment_status": info.status, "start_date": start.isoformat(),
        "account_reference": f"{info.person.last_name[:3].upper()}{info.id:05d}",
        "candidate_number": f"{4000 + info.id % 6000:04d}" if year_number and year_number >= 10 else None,
        "unique_pupil_number": upn,
        "unique_pupil_number_status": "temporary" if rng.random() < 0.03 else "permanent",
    }
