"""Typed Stellic payloads: every model parses a vendor JSON object with ``from_payload`` and keeps its names."""

from __future__ import annotations

from gateway.vendors.stellic.models.reads import (
    StellicAudit,
    StellicBgTask,
    StellicEngagementScore,
    StellicExportJob,
    StellicExportStatus,
    StellicPlanCourse,
    StellicPlanner,
)
from gateway.vendors.stellic.models.sections import (
    StellicClassTiming,
    StellicInstructor,
    StellicSeatCounts,
    StellicSection,
    StellicSectionTimings,
)
from gateway.vendors.stellic.models.writes import (
    StellicDeleteResult,
    StellicHoldActivity,
    StellicHoldResult,
    StellicItemError,
    StellicItemResults,
    StellicRegistrationTime,
    StellicSectionRestriction,
    StellicStatusResult,
    StellicUsem,
    item_errors,
)

__all__ = [
    "StellicAudit", "StellicBgTask", "StellicClassTiming", "StellicDeleteResult", "StellicEngagementScore",
    "StellicExportJob", "StellicExportStatus", "StellicHoldActivity", "StellicHoldResult", "StellicInstructor",
    "StellicItemError", "StellicItemResults", "StellicPlanCourse", "StellicPlanner", "StellicRegistrationTime",
    "StellicSeatCounts", "StellicSection", "StellicSectionRestriction", "StellicSectionTimings",
    "StellicStatusResult", "StellicUsem", "item_errors",
]
