"""Typed HUBmis payloads: every model parses a vendor JSON object with ``from_payload`` and keeps its names."""

from __future__ import annotations

from gateway.vendors.hubmis.models.lessons import (
    HubmisAttendanceCode,
    HubmisAttendanceMark,
    HubmisPeriod,
    HubmisTimetablePeriod,
)
from gateway.vendors.hubmis.models.people import (
    HubmisConsent,
    HubmisContact,
    HubmisContactRelation,
    HubmisEmailAddress,
    HubmisEnrolment,
    HubmisFormRef,
    HubmisPersonRef,
    HubmisRef,
    HubmisStaff,
    HubmisStaffSchoolDetails,
    HubmisStudent,
)
from gateway.vendors.hubmis.models.school import (
    HubmisAcademicYear,
    HubmisDepartment,
    HubmisGroup,
    HubmisRoom,
    HubmisSection,
    HubmisSubject,
    HubmisTerm,
)

__all__ = [
    "HubmisAcademicYear", "HubmisAttendanceCode", "HubmisAttendanceMark", "HubmisConsent", "HubmisContact",
    "HubmisContactRelation", "HubmisDepartment", "HubmisEmailAddress", "HubmisEnrolment", "HubmisFormRef",
    "HubmisGroup", "HubmisPeriod", "HubmisPersonRef", "HubmisRef", "HubmisRoom", "HubmisSection", "HubmisStaff",
    "HubmisStaffSchoolDetails", "HubmisStudent", "HubmisSubject", "HubmisTerm", "HubmisTimetablePeriod",
]
