"""Generating the sandbox's world from a seed: who exists in which vendor, their sections, enrollments and holds.

The same ``seed``, ``students`` and ``today`` always give the same world.
"""

from __future__ import annotations

import hashlib
import random
import string
from collections.abc import Callable
from datetime import date, timedelta

from gateway.sandbox import names
from gateway.sandbox.world import (
    ALL_VENDORS,
    DARTMOUTH,
    HUBMIS,
    STELLIC,
    Course,
    Enrollment,
    Hold,
    HoldType,
    Person,
    Section,
    Term,
    Timing,
    World,
    build_terms,
)

# Which vendors a generated student lives in, with weights: most in two or three, some in one only.
_STUDENT_PRESENCE: tuple[tuple[frozenset[str], int], ...] = (
    (ALL_VENDORS, 70),
    (frozenset({DARTMOUTH, STELLIC}), 10),
    (frozenset({DARTMOUTH, HUBMIS}), 4),
    (frozenset({DARTMOUTH}), 7),
    (frozenset({STELLIC}), 4),
    (frozenset({HUBMIS}), 5),
)


def _netid(rng: random.Random, taken: set[str], prefix: str) -> str:
    alphabet = string.ascii_lowercase + string.digits
    while True:
        candidate = prefix + "".join(rng.choice(alphabet) for _ in range(7 - len(prefix)))
        if candidate not in taken and not candidate[len(prefix):].isalpha():
            taken.add(candidate)
            return candidate


def _weighted(rng: random.Random, choices: tuple[tuple[frozenset[str], int], ...]) -> frozenset[str]:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _email(first: str, middle: str | None, last: str, suffix: str, taken: set[str]) -> str:
    base = ".".join(x for x in (first, middle[0] if middle else None, last, suffix) if x).lower()
    email, n = f"{base}@dartmouth.edu", 2
    while email in taken:
        email, n = f"{base}{n}@dartmouth.edu", n + 1
    taken.add(email)
    return email


class _Builder:
    def __init__(self, seed: int, students: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.seed, self.student_count, self.today = seed, students, today
        self.taken_ids: set[str] = set()
        self.emails: set[str] = set()
        self.people: dict[str, Person] = {}
        self.next_hubmis_student, self.next_hubmis_staff, self.next_stellic = 100, 100, 100

    def person(self, kind: str, key: str, vendors: frozenset[str], class_year: str | None) -> Person:
        rng = self.rng
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        middle = rng.choice(names.FIRST_NAMES) if rng.random() < 0.4 else None
        age = 22 - (2000 + int(class_year) - self.today.year) if class_year else rng.randint(28, 66)
        dob = date(self.today.year - age, 1, 1) + timedelta(days=rng.randint(0, 364))
        person = Person(
            key=key, kind=kind, first_name=first, middle_name=middle, last_name=last,
            preferred_name=rng.choice(names.FIRST_NAMES) if rng.random() < 0.08 else None,
            email=_email(first, middle, last, class_year or "", self.emails),
            gender=rng.choices("FMX", weights=(49, 49, 2))[0], date_of_birth=dob, vendors=vendors,
            ferpa=kind == "student" and rng.random() < 0.03, class_year=class_year,
        )
        if HUBMIS in vendors:
            if kind == "student":
                person.hubmis_id, self.next_hubmis_student = self.next_hubmis_student, self.next_hubmis_student + 1
            else:
                person.hubmis_id, self.next_hubmis_staff = self.next_hubmis_staff, self.next_hubmis_staff + 1
        if STELLIC in vendors and kind == "student":
            person.stellic_id, self.next_stellic = self.next_stellic, self.next_stellic + 1
        self.people[key] = person
        return person

    def build(self) -> World:
        rng = self.rng
        # Back to 2020, so the seeds' sample enrollment (term 202001) has its term.
        terms = build_terms(self.today, since=2020)
        current = next(t for t in terms if t.offset == 0)
        subjects = list(names.SUBJECTS)
        staff_count = max(len(subjects) * 2, self.student_count // 20)
        faculty: dict[str, list[Person]] = {s: [] for s in subjects}
        for i in range(staff_count):
            vendors = ALL_VENDORS - {STELLIC} if rng.random() < 0.9 else frozenset({DARTMOUTH})
            p = self.person("staff", _netid(rng, self.taken_ids, "d"), vendors, None)
            p.department = subjects[i % len(subjects)]
            p.job_title = rng.choice(("Professor", "Associate Professor", "Assistant Professor", "Lecturer"))
            p.job_title += f" of {names.SUBJECTS[p.department][0]}"
            faculty[p.department].append(p)
        current_class = (current.year + (1 if current.season == "Fall" else 0)) % 100
        for _ in range(self.student_count):
            vendors = _weighted(rng, _STUDENT_PRESENCE)
            year_offset = rng.choices((0, 1, 2, 3, 4, -1, -2), weights=(22, 22, 22, 22, 4, 5, 3))[0]
            class_year = f"{(current_class + year_offset) % 100:02d}"
            p = self.person("student", _netid(rng, self.taken_ids, "f00"), vendors, class_year)
            self._student_status(p, year_offset, terms)
            p.majors = rng.sample(subjects, k=rng.choice((1, 1, 2)))
            p.advisor_keys = [rng.choice(faculty[p.majors[0]]).key]
            p.engagement_score = rng.randint(0, 10)
        self._pinned(faculty)
        courses = [names_course for s in subjects for names_course in self._courses(s)]
        sections = self._sections(courses, [t for t in terms if -1 <= t.offset <= 1], faculty)
        enrollments = self._enrollments(sections)
        self._pinned_enrollment(courses, terms, sections, enrollments)
        hold_types = {
            code: HoldType(code, short, long, cat, res, hashlib.sha256(f"{self.seed}:{code}".encode()).hexdigest()[:24])
            for code, short, long, cat, res in names.HOLD_TYPES
        }
        holds = self._holds(hold_types)
        self._seed_advisors()
        return World(self.seed, self.today, terms, self.people, courses, sections, enrollments, hold_types, holds)

    def _seed_advisors(self) -> None:
        """The two advisors seed 003's sample student names (its record is served verbatim), as Dartmouth people.
        Made last and without the random generator, so every other record of a world stays as it was."""
        for key, first, last, gender, title in (
                ("d29054k", "Jordan", "Ellery", "X", "Undergraduate Class Dean"),
                ("d13279t", "Renata", "Okafor", "F", "Professor of African and African American Studies")):
            self.people[key] = Person(
                key=key, kind="staff", first_name=first, middle_name=None, last_name=last, preferred_name=None,
                email=_email(first, None, last, "", self.emails), gender=gender,
                date_of_birth=date(1975, 3, 14), vendors=frozenset({DARTMOUTH}), department="AAAS", job_title=title)

    def _pinned(self, faculty: dict[str, list[Person]]) -> None:
        """The people the vendors' own documents show, under the keys and ids the seeds give them."""
        pinned = (
            # key, kind, vendors, first, last, hubmis id, stellic id, engagement score
            ("d59951y", "student", frozenset({DARTMOUTH, STELLIC}), "Dana", "Whitfield", None, 10, 7),
            ("f002qt1", "student", frozenset({DARTMOUTH}), "Quinn", "Tamura", None, None, 0),
            ("sstanton", "student", frozenset({STELLIC}), "Sam", "Stanton", None, 11, 5),
            ("mabbott", "student", frozenset({STELLIC}), "Morgan", "Abbott", None, 12, 3),
            ("MX99328", "student", frozenset({HUBMIS}), "Miles", "Whyde", 56, None, 0),
            ("ST5466X", "staff", frozenset({HUBMIS}), "Benjamin", "Kakistos", 12, None, 0),
        )
        for key, kind, vendors, first, last, hubmis_id, stellic_id, score in pinned:
            class_year = "27" if kind == "student" else None
            p = self.person(kind, key, vendors, class_year)
            p.first_name, p.middle_name, p.last_name, p.preferred_name = first, None, last, None
            p.hubmis_id, p.stellic_id, p.engagement_score = hubmis_id, stellic_id, score
            p.email = _email(first, None, last, class_year or "", self.emails)
            if kind == "student":
                p.school_id, p.status, p.gpa = "UG", "AS", 3.42
                p.grad_term, p.admit_term = "202706", "202309"
                p.majors = ["AAAS"]
                p.advisor_keys = [faculty["AAAS"][0].key]
            else:
                p.department, p.job_title = "HIST", "Head of History"
        self.people["MX99328"].date_of_birth = date(2010, 8, 24)
        self.people["MX99328"].gender = "M"

    def _pinned_enrollment(self, courses: list[Course], terms: list[Term], sections: dict[str, Section],
                           enrollments: dict[str, Enrollment]) -> None:
        """Seed 004's enrollment AAAS.010.01-202001-U-10188-f002qt1-student and its section."""
        term = next(t for t in terms if t.code == "202001")
        aaas = next(c for c in courses if c.subject == "AAAS")
        course = Course("AAAS", "010", aaas.name, aaas.department)
        section = Section(
            id="AAAS.010.01-202001-U-10188", crn="10188", stellic_id=999, course=course, number="01", term=term,
            instructor_key=self.people["f002qt1"].advisor_keys[0], max_enrollment=30, max_waitlist=5, waitlist=0,
            timings=[Timing(d, "10:10", "11:15", "Dartmouth Hall", "105") for d in ("monday", "wednesday", "friday")],
            enrolled=1,
        )
        sections[section.id] = section
        enrollment_id = f"{section.id}-f002qt1-student"
        enrollments[enrollment_id] = Enrollment(enrollment_id, section, "f002qt1", "student", "A")

    def _student_status(self, p: Person, year_offset: int, terms: list[Term]) -> None:
        rng = self.rng
        p.school_id = rng.choices(("UG", "TH", "TU", "DM"), weights=(85, 6, 5, 4))[0]
        p.gpa = round(rng.uniform(2.3, 4.0), 2)
        grad_year = 2000 + int(p.class_year or "0")
        p.grad_term = f"{grad_year}06"
        p.admit_term = f"{grad_year - 4}09"
        if year_offset < 0:
            p.status = "GR"
        elif year_offset == 4:
            p.status, p.is_future, p.gpa = "AD", True, None
            p.admit_term = next(t.code for t in terms if t.offset == 1)
        else:
            p.status = rng.choices(("AS", "LA", "WD"), weights=(92, 5, 3))[0]

    def _courses(self, subject: str) -> list[Course]:
        department, titles = names.SUBJECTS[subject]
        numbers = sorted(self.rng.sample(range(1, 90), k=len(titles)))
        return [Course(subject, f"{n:03d}", title, department) for n, title in zip(numbers, titles, strict=True)]

    def _sections(self, courses: list[Course], terms: list[Term],
                  faculty: dict[str, list[Person]]) -> dict[str, Section]:
        rng = self.rng
        per_term = max(len(courses), self.student_count * 3 // 30)
        sections: dict[str, Section] = {}
        crn, stellic_id = 10200, 1000
        slots = (("monday", "wednesday", "friday"), ("tuesday", "thursday"), ("monday", "wednesday"))
        for term in terms:
            counts: dict[str, int] = {}
            for i in range(per_term):
                course = courses[i % len(courses)]
                counts[course.code] = counts.get(course.code, 0) + 1
                number = f"{counts[course.code]:02d}"
                crn, stellic_id = crn + 1, stellic_id + 1
                hour = rng.choice((8, 9, 10, 11, 12, 14, 15))
                building = rng.choice(names.BUILDINGS)
                room = str(rng.randint(1, 3) * 100 + rng.randint(1, 40))
                timings = [Timing(day, f"{hour:02d}:{10 if hour < 12 else 25}", f"{hour + 1:02d}:15", building, room)
                           for day in rng.choice(slots)]
                teachers = faculty[course.subject]
                section_id = f"{course.subject}.{course.number}.{number}-{term.code}-U-{crn}"
                sections[section_id] = Section(
                    id=section_id, crn=str(crn), stellic_id=stellic_id, course=course, number=number, term=term,
                    instructor_key=rng.choice(teachers).key if teachers else None,
                    max_enrollment=rng.choice((20, 30, 40, 60, 120)), max_waitlist=rng.choice((0, 5, 10)),
                    waitlist=0, timings=timings,
                )
        return sections

    def _enrollments(self, sections: dict[str, Section]) -> dict[str, Enrollment]:
        rng = self.rng
        by_term: dict[str, list[Section]] = {}
        for s in sections.values():
            by_term.setdefault(s.term.code, []).append(s)
        enrollments: dict[str, Enrollment] = {}

        def add(section: Section, key: str, role: str, grade: str | None) -> None:
            enrollment_id = f"{section.id}-{key}-{role}"
            if enrollment_id not in enrollments:
                enrollments[enrollment_id] = Enrollment(enrollment_id, section, key, role, grade)
                if role == "student":
                    section.enrolled += 1

        for term_sections in by_term.values():
            for section in term_sections:
                if section.instructor_key:
                    add(section, section.instructor_key, "instructor", None)
        for p in self.people.values():
            if p.kind != "student" or DARTMOUTH not in p.vendors or p.status not in ("AS", "GR"):
                continue
            for term_sections in by_term.values():
                term = term_sections[0].term
                if term.offset > 0 or (p.status == "GR" and term.offset == 0):
                    continue
                for section in rng.sample(term_sections, k=min(3, len(term_sections))):
                    if section.enrolled >= section.max_enrollment:
                        section.waitlist = min(section.max_waitlist, section.waitlist + 1)
                        continue
                    add(section, p.key, "student", rng.choice(names.GRADES) if term.offset < 0 else None)
        self._big_lecture(by_term, add)
        return enrollments

    def _big_lecture(self, by_term: dict[str, list[Section]],
                     add: Callable[[Section, str, str, str | None], None]) -> None:
        """The current term's first Computer Science section is a large intro lecture that most active students
        take: the rosters of hundreds that registrars' tools page through. Drawn from its own stream, so the
        rest of the world is the same with or without it."""
        current = next((ss for ss in by_term.values() if ss[0].term.offset == 0), None)
        if not current:
            return
        lecture = next((s for s in current if s.course.subject == "COSC"), current[0])
        rng = random.Random(f"{self.seed}:lecture")
        for p in self.people.values():
            if p.kind == "student" and DARTMOUTH in p.vendors and p.status == "AS" and rng.random() < 0.6:
                add(lecture, p.key, "student", None)
        lecture.max_enrollment = max(lecture.max_enrollment, (lecture.enrolled // 50 + 1) * 50)

    def _holds(self, hold_types: dict[str, HoldType]) -> dict[str, Hold]:
        rng = self.rng
        holds: dict[str, Hold] = {}
        types = list(hold_types.values())
        sis = 500000
        for p in self.people.values():
            if p.kind != "student" or not ({DARTMOUTH, STELLIC} & p.vendors) or rng.random() > 0.12:
                continue
            for hold_type in rng.sample(types, k=rng.choice((1, 1, 2))):
                sis += 1
                holds[str(sis)] = Hold(str(sis), p.key, hold_type, rng.choice((None, "See the office")),
                                       self.today - timedelta(days=rng.randint(1, 200)))
        return holds


def build_world(seed: int = 1, students: int = 500, today: date | None = None) -> World:
    """Generate the world; pinned seed records are added by each simulator on top of it."""
    if students < 0:
        raise ValueError("students must be >= 0")
    return _Builder(seed, students, today or date.today()).build()
