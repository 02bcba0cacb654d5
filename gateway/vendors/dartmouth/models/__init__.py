"""Typed Dartmouth API payloads: every model parses a vendor JSON object with ``from_payload`` and keeps its names."""

from __future__ import annotations

from gateway.vendors.dartmouth.models.academic import (
    DartmouthCourse,
    DartmouthCourseAssessment,
    DartmouthEnrollment,
    DartmouthExternalSection,
    DartmouthInstructor,
    DartmouthLmsTerm,
    DartmouthMeetingTime,
    DartmouthQuarterlyTerm,
    DartmouthSection,
    DartmouthSectionRef,
    DartmouthTerm,
    DartmouthTermRef,
)
from gateway.vendors.dartmouth.models.records import DartmouthHold, DartmouthHoldType, DartmouthTask, DartmouthValue
from gateway.vendors.dartmouth.models.students import (
    DartmouthAcademicHistory,
    DartmouthAdvisor,
    DartmouthClass,
    DartmouthConcentration,
    DartmouthCurriculum,
    DartmouthDegree,
    DartmouthDiscipline,
    DartmouthDplan,
    DartmouthGpa,
    DartmouthGpaHistory,
    DartmouthInstitution,
    DartmouthOtherAttribute,
    DartmouthPerson,
    DartmouthSource,
    DartmouthStatusChange,
    DartmouthStudent,
    DartmouthTelephoneNumber,
)

__all__ = [
    "DartmouthAcademicHistory", "DartmouthAdvisor", "DartmouthClass", "DartmouthConcentration", "DartmouthCourse",
    "DartmouthCourseAssessment", "DartmouthCurriculum", "DartmouthDegree", "DartmouthDiscipline", "DartmouthDplan",
    "DartmouthEnrollment", "DartmouthExternalSection", "DartmouthGpa", "DartmouthGpaHistory", "DartmouthHold",
    "DartmouthHoldType", "DartmouthInstitution", "DartmouthInstructor", "DartmouthLmsTerm", "DartmouthMeetingTime",
    "DartmouthOtherAttribute", "DartmouthPerson", "DartmouthQuarterlyTerm", "DartmouthSection",
    "DartmouthSectionRef", "DartmouthSource", "DartmouthStatusChange", "DartmouthStudent", "DartmouthTask",
    "DartmouthTelephoneNumber", "DartmouthTerm", "DartmouthTermRef", "DartmouthValue",
]
