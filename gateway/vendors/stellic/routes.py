"""Every Stellic route the gateway calls and the sandbox serves (shared/vendor-contracts.md 1.7 and 1.8).

Partner API paths carry their ``/partnerapi/v1`` prefix and exports sit at the host root, so one
base URL (``https://{institution}.stellic.com``) serves both. Row numbers (#n, En) are those of the
contracts' tables; every Partner API path but #8 is inferred, so it is written here exactly once.
"""

from __future__ import annotations

from gateway.vendors.routes import Provenance, Route, RouteTable

SEED, FOUND, INFERRED = Provenance.SEED, Provenance.FOUND, Provenance.INFERRED
API = "/partnerapi/v1"
STUDENT = API + "/students/{student_username}"

_PARTNER_API = [
    # Students: programs, course enrollments, profile, tags, schools, departments
    Route("create_program_enrollment", "POST", API + "/students/{username}/programs/{program_id}", INFERRED,
          "#1 Create a student program enrollment"),
    Route("replace_course_enrollments", "PUT", API + "/students/{username}/terms/{term_id}/course_enrollments",
          INFERRED, "#2 Update all course enrollments of a student for a term (full replace)"),
    Route("create_student_profile", "POST", STUDENT, INFERRED, "#19 Create a new student profile"),
    Route("add_student_tag", "POST", STUDENT + "/tags/{tag_name}", INFERRED, "#20 Add a student tag"),
    Route("remove_student_tag", "DELETE", STUDENT + "/tags/{tag_name}", INFERRED, "#21 Remove a student tag"),
    Route("create_school_enrollment", "POST", STUDENT + "/schools/{school_id}", INFERRED,
          "#22 Create a student school enrollment"),
    Route("delete_school_enrollment", "DELETE", STUDENT + "/schools/{school_id}", INFERRED,
          "#23 Delete a student school enrollment"),
    Route("create_department_enrollment", "POST", STUDENT + "/departments/{dept_id}", INFERRED,
          "#24 Create a student department enrollment"),
    Route("delete_department_enrollment", "DELETE", STUDENT + "/departments/{dept_id}", INFERRED,
          "#25 Delete a student department enrollment"),
    # Student reads
    Route("export_students_by_property", "GET", API + "/students/export/{property}", INFERRED,
          "#14 Export bulk students by property (text/csv)", record=False),  # {property}: engagement_score
    Route("get_student_property", "GET", STUDENT + "/{property}", INFERRED, "#15 Get a property of one student"),
    Route("get_student_audit", "GET", STUDENT + "/audit/{course_filter}/{property}", INFERRED,
          "#16 Get the audit output of a student"),
    Route("get_student_custom_audit", "GET", STUDENT + "/audit/{course_filter}/{program_filter}/{property}",
          INFERRED, "#17 Get the custom audit output of a student"),
    Route("get_student_planner", "GET", STUDENT + "/planner/{course_filter}/{property}", INFERRED,
          "#18 Get planner data by property"),
    # Section enrollments
    Route("create_section_enrollment", "POST", API + "/section_enrollments/{id}", INFERRED,
          "#3 Create a section enrollment (array body)"),
    Route("update_section_enrollment", "PUT", API + "/section_enrollments/{id}", INFERRED,
          "#4 Update a section enrollment (full)"),
    Route("patch_section_enrollment", "PATCH", API + "/section_enrollments/{id}", INFERRED,
          "#5 Update a section enrollment (partial)"),
    Route("delete_section_enrollment", "DELETE", API + "/section_enrollments/{id}", INFERRED,
          "#6 Delete a section enrollment"),
    # Sections
    Route("update_section_enrollment_info", "PATCH", API + "/catalog/section/{id}/enrollment_info", INFERRED,
          "#7 Update section enrollment information (seat counts)"),
    Route("create_section", "POST", API + "/catalog/section/{id}", SEED,
          "#8 Create new Section; the path is the seed's one worked example, the method is inferred"),
    Route("bulk_update_section_enrollment_info", "PATCH", API + "/catalog/sections/enrollment_info", INFERRED,
          "#9 Bulk update section enrollment information (atomic)"),
    Route("create_section_restriction", "POST", API + "/catalog/section_restriction/{id}", INFERRED,
          "#10 Create a section restriction"),
    Route("delete_section_restriction", "DELETE", API + "/catalog/section_restriction/{id}", INFERRED,
          "#11 Delete a section restriction"),
    Route("update_section_timings", "PUT", API + "/catalog/section/{id}/timings", INFERRED,
          "#12 Update the timings of a section"),
    Route("bulk_update_section_timings", "PUT", API + "/catalog/sections/timings", INFERRED,
          "#13 Bulk update timings of different sections (atomic)"),
    # Holds and registration times
    Route("create_hold", "POST", API + "/holds", INFERRED, "#26 Create a student hold"),
    Route("update_hold", "PATCH", API + "/holds/{sis_id}", INFERRED, "#27 Update a student hold"),
    Route("delete_hold", "DELETE", API + "/holds/{sis_id}", INFERRED, "#28 Delete a student hold"),
    Route("create_registration_time", "POST", API + "/registration_times/{registration_time_id}", INFERRED,
          "#29 Create a registration time"),
    Route("update_registration_time", "PATCH", API + "/registration_times/{registration_time_id}", INFERRED,
          "#30 Update a registration time (start/end only)"),
    Route("delete_registration_time", "DELETE", API + "/registration_times/{registration_time_id}", INFERRED,
          "#31 Delete a registration time"),
]

_EXPORTS = [
    Route("export_data", "GET", "/exports/export_data/{data_type}", SEED,
          "E1/E3/E4 Run an export: sync CSV (http_file) or async (s3); the method is inferred", repeatable=False),
    Route("get_export_url", "GET", "/exports/get_export_url/", SEED, "E2 Poll an async export for its download URL",
          record=True),  # ?file_name=: a 404 says there is no such export file
    Route("download_export_file", "GET", "/_files/{file_name}", INFERRED,
          "The pre-signed URL get_export_url hands out (S3 on the real vendor); fetched without the PAT"),
]

ROUTES = RouteTable("stellic", [*_PARTNER_API, *_EXPORTS])
GET_STUDENT_PROPERTY = ROUTES["get_student_property"]  # kept for callers written against the first cut
