"""Timetables, timetable calendars and session attendance, built on request from a person's groups.

Nothing here is stored: a student's lessons follow from their subject sets and each set's weekly
slots, and attendance marks come from a random stream seeded per student, so any one student's
year of marks costs a few hundred microseconds and the same seed always gives the same marks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from gateway.sandbox.hubmis import lookups as lk
from gateway.sandbox.hubmis.school import Group, Year

_ZONE = ZoneInfo(lk.TIMEZONE)
_CODES = {code: {"id": id_, "code": code, "description": text} for id_, code, text, _, _ in lk.ATTENDANCE_CODES}
_NOTES = {"I": ("Parent phoned: unwell", "Illness reported by email", None), "M": ("Dental appointment",
          "Hospital appointment", "GP appointment"), "L": ("Bus delayed", "Traffic", None),
          "U": ("Arrived after registers closed", None), "V": ("Field trip", "Museum visit"),
          "P": ("County fixture", "Sports tournament"), "O": (None,)}
MAX_CALENDAR_DAYS = 366


def utc(day: date, hh_mm: str) -> str:
    """A school-local time on ``day`` as an ISO 8601 UTC date-time."""
    local = datetime.combine(day, datetime.strptime(hh_mm, "%H:%M").time(), tzinfo=_ZONE)
    return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def timetable_ref(year: Year) -> dict[str, Any]:
    return {"id": 20 + year.id, "name": f"Weekly Timetable {year.name}", "code": f"WK{year.start_year}"}


def periods(year: Year, sets: list[Group]) -> list[dict[str, Any]]:
    """The weekly timetable periods of ``sets``, by day then period."""
    entries = []
    for group in sets:
        for day, period in group.slots:
            name, start, end = lk.PERIODS[period]
            entries.append({
                "id": group.id * 100 + day * 10 + period, "timetable": timetable_ref(year), "day": lk.DAYS[day],
                "period": {"id": period + 1, "name": name, "time_from": f"{start}:00", "time_to": f"{end}:00"},
                "subject_set": group.ref(), "subject": group.record["subject"], "rooms": group.record["rooms"],
                "staff": group.record["staff"],
            })
    entries.sort(key=lambda e: (lk.DAYS.index(e["day"]), e["period"]["id"]))
    return entries


def calendar(years: list[Year], sets_in: Callable[[Year], list[Group]], start: date, end: date) -> list[dict[str, Any]]:
    """Dated lessons between ``start`` and ``end`` (inclusive): term-time weekdays only."""
    out = []
    by_year: dict[int, list[dict[str, Any]]] = {}
    day = start
    while day <= end:
        year = next((y for y in years if y.start <= day <= y.end), None)
        if year is not None and year.in_term(day):
            if year.id not in by_year:
                by_year[year.id] = periods(year, sets_in(year))
            for entry in by_year[year.id]:
                if entry["day"] == lk.DAYS[day.weekday()]:
                    start_time, end_time = entry["period"]["time_from"][:5], entry["period"]["time_to"][:5]
                    out.append({**entry, "date": day.isoformat(), "start": utc(day, start_time),
                                "end": utc(day, end_time)})
        day += timedelta(days=1)
    return out


def attendance(seed: int, student_id: int, year: Year, until: date) -> list[dict[str, Any]]:
    """am/pm session marks for every school day of ``year`` up to ``until`` (the student must be on roll)."""
    rng = Random(f"hubmis:attendance:{seed}:{student_id}")
    absence = rng.choice((0.004, 0.01, 0.02, 0.04, 0.08))
    late = rng.choice((0.0, 0.01, 0.03, 0.06))
    marks = []
    ill = 0
    for index, day in enumerate(year.school_days(until)):
        if ill or rng.random() < absence:
            ill = ill - 1 if ill else rng.randint(0, 3)
            codes = ("I", "I")
        else:
            r = rng.random()
            codes = ("/", "\\")
            if r < late:
                codes = ("L" if rng.random() < 0.8 else "U", "\\")
            elif r < late + 0.006:
                codes = ("M", "\\") if rng.random() < 0.5 else ("/", "M")
            elif r < late + 0.009:
                codes = (rng.choice("VP"),) * 2
            elif r < late + 0.011:
                codes = ("O", "O")
        for session, code in zip(("am", "pm"), codes, strict=True):
            note = rng.choice(_NOTES[code]) if code in _NOTES else None
            marks.append({
                "id": student_id * 1000 + index * 2 + (session == "pm"), "date": day.isoformat(),
                "date_time": utc(day, lk.REGISTRATION[session]), "attendance_session": session,
                "attendance_code": _CODES[code], "description": note,
                "minutes_late": rng.randint(3, 40) if code in ("L", "U") else None,
            })
    return marks


def attendance_codes() -> list[dict[str, Any]]:
    return [{"id": id_, "code": code, "description": text, "meaning": meaning, "display": display,
             "is_active": True} for id_, code, text, meaning, display in lk.ATTENDANCE_CODES]
