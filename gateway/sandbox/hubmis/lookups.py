"""Fixed HUBmis value lists (genders, boarding types, codes...) and the school's catalogue of subjects.

The seed lost the contents of every nested object; these lists fill them with small
``{"id", "name", "code"}`` objects in the style of a UK independent school's MIS.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from random import Random
from typing import Any, Generic, TypeVar

Ref = dict[str, Any]
T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed weighted choice drawn with one random number (``random.choices`` rebuilds its table per call)."""

    def __init__(self, items: Sequence[T], weights: Sequence[int]) -> None:
        self.items = tuple(items)
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self, rng: Random) -> T:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def ref(id_: int, name: str, code: str | None = None) -> Ref:
    """The small nested object used wherever a record points at a value list entry or a group."""
    return {"id": id_, "name": name, "code": code}


# world gender letter -> HUBmis gender (filter[gender] takes the id)
GENDERS: dict[str, Ref] = {"F": ref(1, "Female", "F"), "M": ref(2, "Male", "M"), "X": ref(3, "Non-binary", "X")}

BOARDING_TYPES = (ref(1, "Day", "D"), ref(2, "Full Boarder", "FB"), ref(3, "Weekly Boarder", "WB"),
                  ref(4, "Flexi Boarder", "FX"))
BOARDING = Weighted(BOARDING_TYPES, (75, 15, 6, 4))
# access_status: parent/student portal access
STUDENT_ACCESS = Weighted(("active", "invited", "no_access"), (60, 20, 20))
CONTACT_ACCESS = Weighted(("active", "invited", "no_access"), (55, 15, 30))
STAFF_ACCESS = Weighted(("active", "invited"), (85, 15))

ETHNICITIES = (
    ref(1, "White - British", "WBRI"), ref(2, "White - Irish", "WIRI"), ref(3, "Any other White background", "WOTH"),
    ref(4, "White and Black Caribbean", "MWBC"), ref(5, "Indian", "AIND"), ref(6, "Pakistani", "APKN"),
    ref(7, "Chinese", "CHNE"), ref(8, "Black African", "BAFR"), ref(9, "Any other ethnic group", "OOTH"),
    ref(10, "Information not yet obtained", "NOBT"),
)
ETHNICITY = Weighted(ETHNICITIES, (48, 3, 9, 4, 7, 5, 7, 6, 6, 5))

FAITHS = (ref(1, "Christian", "CHR"), ref(2, "Muslim", "MUS"), ref(3, "Hindu", "HIN"), ref(4, "Jewish", "JEW"),
          ref(5, "Sikh", "SIK"), ref(6, "Buddhist", "BUD"), ref(7, "No religion", "NON"),
          ref(8, "Prefer not to say", "REF"))
FAITH = Weighted(FAITHS, (38, 7, 4, 2, 2, 2, 40, 5))

LANGUAGES = (ref(1, "English", "ENG"), ref(2, "French", "FRN"), ref(3, "Spanish", "SPA"), ref(4, "Mandarin", "CHIM"),
             ref(5, "Polish", "POL"), ref(6, "Urdu", "URD"), ref(7, "German", "GER"), ref(8, "Arabic", "ARA"))

# (country, nationality): ids are ISO 3166 numeric codes
COUNTRIES = (
    (ref(826, "United Kingdom", "GB"), ref(826, "British", "GB")),
    (ref(840, "United States", "US"), ref(840, "American", "US")),
    (ref(250, "France", "FR"), ref(250, "French", "FR")),
    (ref(156, "China", "CN"), ref(156, "Chinese", "CN")),
    (ref(344, "Hong Kong", "HK"), ref(344, "Hong Konger", "HK")),
    (ref(356, "India", "IN"), ref(356, "Indian", "IN")),
    (ref(276, "Germany", "DE"), ref(276, "German", "DE")),
    (ref(724, "Spain", "ES"), ref(724, "Spanish", "ES")),
    (ref(616, "Poland", "PL"), ref(616, "Polish", "PL")),
    (ref(566, "Nigeria", "NG"), ref(566, "Nigerian", "NG")),
)
COUNTRY = Weighted(COUNTRIES, (70, 4, 3, 6, 3, 4, 3, 3, 2, 2))

TITLES = {"Mr": ref(1, "Mr", "MR"), "Mrs": ref(2, "Mrs", "MRS"), "Ms": ref(3, "Ms", "MS"),
          "Miss": ref(4, "Miss", "MISS"), "Dr": ref(5, "Dr", "DR"), "Mx": ref(6, "Mx", "MX")}

RELATIONSHIP_TYPES = {"Mother": ref(1, "Mother", "MOT"), "Father": ref(2, "Father", "FAT"),
                      "Step-mother": ref(3, "Step-mother", "SMO"), "Step-father": ref(4, "Step-father", "SFA"),
                      "Guardian": ref(5, "Guardian", "GUA"), "Grandparent": ref(6, "Grandparent", "GRA")}

EMAIL_TYPES = {"primary": ref(1, "Primary", "PRI"), "school": ref(2, "School", "SCH"),
               "personal": ref(3, "Personal", "PER"), "work": ref(4, "Work", "WRK")}

TAGS = (ref(1, "Scholarship", "SCH"), ref(2, "Bursary", "BUR"), ref(3, "EAL", "EAL"), ref(4, "Gifted & Talented", "GT"),
        ref(5, "Young Carer", "YC"))

ROLES = {"teacher": ref(1, "Teacher", "TEA"), "hod": ref(2, "Head of Department", "HOD"),
         "tutor": ref(3, "Form Tutor", "TUT"), "hsm": ref(4, "Housemaster/Housemistress", "HSM"),
         "support": ref(5, "Support Staff", "SUP")}

DESTINATIONS = (ref(1, "University of Bristol", "BRIS"), ref(2, "University of Edinburgh", "EDIN"),
                ref(3, "King's College London", "KCL"), ref(4, "University of Manchester", "MAN"),
                ref(5, "Hillcrest Sixth Form College", "HSFC"), ref(6, "Apprenticeship", "APP"),
                ref(7, "Gap year", "GAP"), ref(8, "Another independent school", "IND"))

LOCATIONS = (ref(1, "Main Building", "MAIN"), ref(2, "Science Block", "SCI"), ref(3, "Arts Centre", "ARTS"),
             ref(4, "Sixth Form Centre", "SFC"), ref(5, "Technology Wing", "TECH"))

# id, code, description, meaning, display (DfE attendance codes)
ATTENDANCE_CODES: tuple[tuple[int, str, str, str, bool], ...] = (
    (1, "/", "Present (AM)", "present", True),
    (2, "\\", "Present (PM)", "present", True),
    (3, "L", "Late (before registers closed)", "present", True),
    (4, "U", "Late (after registers closed)", "unauthorised_absence", True),
    (5, "I", "Illness (not medical or dental appointments)", "authorised_absence", True),
    (6, "M", "Medical or dental appointments", "authorised_absence", True),
    (7, "C", "Other authorised circumstances", "authorised_absence", True),
    (8, "E", "Excluded but no alternative provision made", "authorised_absence", True),
    (9, "G", "Holiday not authorised by the school", "unauthorised_absence", True),
    (10, "O", "Unauthorised absence not covered by any other code", "unauthorised_absence", True),
    (11, "N", "No reason yet provided for absence", "unauthorised_absence", True),
    (12, "B", "Off-site educational activity", "approved_educational_activity", True),
    (13, "P", "Approved sporting activity", "approved_educational_activity", True),
    (14, "V", "Educational visit or trip", "approved_educational_activity", True),
    (15, "#", "Planned whole-school closure", "attendance_not_required", False),
    (16, "Z", "Pupil not on admission register", "attendance_not_required", False),
)

# School departments: code -> (name, subject codes). Science is the seed's department 3.
DEPARTMENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ENG": ("English", ("EN",)),
    "MAT": ("Mathematics", ("MATH", "CS")),
    "SCI": ("Science", ("SC", "BY", "CH", "PH")),
    "HUM": ("Humanities", ("HI", "GG", "RS", "EC", "PS", "PO")),
    "MFL": ("Modern Foreign Languages", ("FR", "SP")),
    "DT": ("Design & Technology", ("DT",)),
    "PA": ("Performing Arts", ("DR", "MU")),
}

# subject code -> (name, alternative name, three-letter set prefix); MATH and BY are the seed's subjects 33 and 88
SUBJECTS: dict[str, tuple[str, str | None, str]] = {
    "EN": ("English", None, "Eng"), "MATH": ("Maths", None, "Mat"), "CS": ("Computing", "Computer Science", "Cmp"),
    "SC": ("Science", "Combined Science", "Sci"), "BY": ("Biology", "Life Science", "Bio"),
    "CH": ("Chemistry", None, "Che"), "PH": ("Physics", None, "Phy"), "HI": ("History", None, "His"),
    "GG": ("Geography", None, "Geo"), "RS": ("Religious Studies", "Philosophy & Ethics", "Rel"),
    "EC": ("Economics", None, "Eco"), "PS": ("Psychology", None, "Psy"), "PO": ("Politics", None, "Pol"),
    "FR": ("French", None, "Fre"), "SP": ("Spanish", None, "Spa"), "DT": ("Design Technology", "D&T", "Des"),
    "DR": ("Drama", "Theatre Studies", "Dra"), "MU": ("Music", None, "Mus"),
}

# world (university) department code -> the school subject its staff teach
STAFF_SUBJECT = {"AAAS": "RS", "ANTH": "GG", "BIOL": "BY", "CHEM": "CH", "COSC": "CS", "ECON": "EC", "ENGL": "EN",
                 "ENGS": "DT", "GOVT": "PO", "HIST": "HI", "MATH": "MATH", "PHYS": "PH", "PSYC": "PS", "SPAN": "SP"}

# Curriculum per key stage: blocks taught at the same time; each block lists (subject, m, c) options and a
# student at rank r in their year group takes the option with r % m == c, so every block covers everyone.
Block = tuple[tuple[tuple[str, int, int], ...], int]  # (options, periods per week)
CURRICULUM: dict[str, tuple[Block, ...]] = {
    "KS3": tuple(((((s, 1, 0),), 3)) for s in ("EN", "MATH", "SC", "HI", "GG", "FR", "DR", "MU", "CS", "DT")),
    "KS4": (
        ((("EN", 1, 0),), 4), ((("MATH", 1, 0),), 4), ((("BY", 1, 0),), 3), ((("CH", 1, 0),), 3),
        ((("PH", 1, 0),), 3), ((("HI", 2, 0), ("GG", 2, 1)), 4), ((("FR", 3, 0), ("SP", 3, 1), ("CS", 3, 2)), 4),
        ((("DR", 4, 0), ("MU", 4, 1), ("DT", 4, 2), ("RS", 4, 3)), 5),
    ),
    "KS5": (
        ((("MATH", 3, 0), ("EC", 3, 1), ("EN", 3, 2)), 5),
        ((("BY", 3, 0), ("HI", 3, 1), ("PO", 3, 2)), 5),
        ((("CH", 3, 0), ("PS", 3, 1), ("PH", 3, 2)), 5),
    ),
}

# School sections: code -> (name, year numbers, seed id). Middle School is the seed's section 5.
SECTIONS = (("MS", "Middle School", (7, 8, 9)), ("US", "Upper School", (10, 11)), ("SF", "Sixth Form", (12, 13)))

KEY_STAGES = {7: "KS3", 8: "KS3", 9: "KS3", 10: "KS4", 11: "KS4", 12: "KS5", 13: "KS5"}

# period name, start, end (school-local times)
PERIODS = (("P1", "08:50", "09:50"), ("P2", "09:50", "10:50"), ("P3", "11:10", "12:10"), ("P4", "12:10", "13:10"),
           ("P5", "14:00", "15:00"), ("P6", "15:00", "16:00"))
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
REGISTRATION = {"am": "08:40", "pm": "13:55"}
TIMEZONE = "Europe/London"

# academic houses: name, code, active; boarding houses: name, code, gender codes
ACADEMIC_HOUSES = (("Austen", "AU", True), ("Brunel", "BR", True), ("Darwin", "DA", True), ("Newton", "NE", True),
                   ("Tudor", "TU", False))
BOARDING_HOUSES = (("School House", "SH", ("M",)), ("Hill House", "HH", ("F",)), ("Green House", "GH", ("F", "X")),
                   ("Field House", "FH", ("M", "X")))
HOUSE_COLOURS = ("red", "blue", "purple", "orange", "grey", "navy", "teal", "aqua", "green")

# First names for generated parents, by the gender their relationship implies.
PARENT_NAMES = {
    "F": ("Sarah", "Emma", "Claire", "Rachel", "Priya", "Mei", "Anna", "Joanna", "Helen", "Fatima", "Laura", "Sophie",
          "Katherine", "Olivia", "Natasha", "Aisha", "Ruth", "Charlotte", "Ngozi", "Isabel"),
    "M": ("James", "David", "Richard", "Tom", "Rajesh", "Wei", "Mark", "Andrew", "Peter", "Omar", "Paul", "Simon",
          "Jonathan", "Michael", "Daniel", "Hassan", "Stephen", "Charles", "Chidi", "Marco"),
}
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
