"""Seed 003's first sample student payload, copied as published (only ``netid`` is the sample request's).

The seed's sample request asks for ``/api/student/d59951y`` and its first sample answer shows
``"netid": "f00xxxx"``; the sandbox serves that answer under the netid that was asked for.
"""

from __future__ import annotations

from typing import Any

SEED_003_NETID = "d59951y"

SEED_003_STUDENT: dict[str, Any] = {
    "academic_history": [
        {
            "admit_term_code": None,
            "completion_date": "2017-05-25T04:00:00Z",
            "degree": None,
            "institution": {
                "category": "Independent Religous",
                "name": "Our Lady Of Good Counsel Hs",
                "type": "High School"
            },
            "source": {
                "code": "UHT1",
                "name": "High School Transcript 1"
            },
            "start_date": None
        },
        {
            "admit_term_code": "201503",
            "completion_date": None,
            "degree": {
                "disciplines": [
                    {
                        "concentrations": [],
                        "id": "PSYC",
                        "name": "Psychology",
                        "type": "MAJOR"
                    },
                    {
                        "id": "EDUC",
                        "name": "Education",
                        "type": "MINOR"
                    },
                    {
                        "id": "THEA",
                        "name": "Theater",
                        "type": "MINOR"
                    }
                ],
                "level": "Bachelor of Arts",
                "status": "Sought"
            },
            "institution": {
                "category": None,
                "name": "Dartmouth - Undergraduate - Class of 2019",
                "type": "College"
            },
            "source": None,
            "start_date": None
        }
    ],
    "admission_type_id": "ST",
    "advisors": [
        {
            "is_primary": False,
            "netid": "d29054k",
            "term_code_effective": "201609",
            "type": "Undergraduate Class Dean"
        },
        {
            "is_primary": True,
            "netid": "d13279t",
            "term_code_effective": "201609",
            "type": "Faculty Advisor (first year)"
        }
    ],
    "class": {
        "code": "JR",
        "name": "Junior (UG)"
    },
    "class_year": "19",
    "current_admit_term_code": "201503",
    "curriculum": [
        {
            "college_id": "19",
            "degree_id": "AB",
            "program": None,
            "school_id": "UG",
            "term_code": "201806",
            "term_code_end": None
        }
    ],
    "dplans": [
        {
            "dplan_description": "Resident",
            "dplan_id": "R",
            "dplan_source_description": "Registrar Action",
            "dplan_source_id": "PHL",
            "term_code": "201909"
        },
        {
            "dplan_description": "Resident",
            "dplan_id": "R",
            "dplan_source_description": "Registrar Action",
            "dplan_source_id": "PHL",
            "term_code": "202001"
        },
        {
            "dplan_description": "Resident",
            "dplan_id": "R",
            "dplan_source_description": "Registrar Action",
            "dplan_source_id": "PHL",
            "term_code": "202003"
        }
    ],
    "gpa_history": {
        "cumulative_gpa": [
            {
                "gpa_type_ind": "I",
                "gpa_value": "3.14",
                "school_id": "UG"
            },
            {
                "gpa_type_ind": "O",
                "gpa_value": "3.14",
                "school_id": "UG"
            },
            {
                "gpa_type_ind": "T",
                "gpa_value": "0",
                "school_id": "UG"
            }
        ],
        "term_gpa": [
            {
                "gpa_type_ind": "I",
                "gpa_value": "3.33",
                "school_id": "UG",
                "sis_term_code": "202003"
            },
            {
                "gpa_type_ind": "I",
                "gpa_value": "3.53",
                "school_id": "UG",
                "sis_term_code": "202001"
            },
            {
                "gpa_type_ind": "T",
                "gpa_value": "2.42",
                "school_id": "UG",
                "sis_term_code": "202001"
            }
        ]
    },
    "grad_term": "202103",
    "is_firstgen_student": False,
    "is_future_status": False,
    "is_fysep_participant": False,
    "netid": "f00xxxx",
    "other_attributes": [
        {
            "code": "EABE",
            "description": "Thayer AB/BE Students",
            "term_code_effective": "201903"
        }
    ],
    "school_code": "UG",
    "school_id": "UG",
    "status_history": [
        {
            "class_code": "FR",
            "class_year": "19",
            "grad_term": "201903",
            "school_id": "UG",
            "student_status_id": "AS",
            "student_type_id": "N",
            "term_code_eff": "201509"
        },
        {
            "class_code": "JR",
            "class_year": "19",
            "grad_term": "201903",
            "school_id": "UG",
            "student_status_id": "AS",
            "student_type_id": "C",
            "term_code_eff": "201706"
        },
        {
            "class_code": "JR",
            "class_year": "19",
            "grad_term": "201903",
            "school_id": "UG",
            "student_status_id": "AS",
            "student_type_id": "C",
            "term_code_eff": "201709"
        },
        {
            "class_code": "JR",
            "class_year": "19",
            "grad_term": "201903",
            "school_id": "UG",
            "student_status_id": "AS",
            "student_type_id": "C",
            "term_code_eff": "201806"
        },
        {
            "class_code": "SO",
            "class_year": "19",
            "grad_term": "201903",
            "school_id": "UG",
            "student_status_id": "AS",
            "student_type_id": "C",
            "term_code_eff": "201606"
        },
        {
            "class_code": "SO",
            "class_year": "19",
            "grad_term": "201903",
            "school_id": "UG",
            "student_status_id": "AS",
            "student_type_id": "C",
            "term_code_eff": "201701"
        },
        {
            "class_code": "SO",
            "class_year": "19",
            "grad_term": "201903",
            "school_id": "UG",
            "student_status_id": "AS",
            "student_type_id": "C",
            "term_code_eff": "201703"
        },
        {
            "class_code": "SR",
            "class_year": "19",
            "grad_term": "201903",
            "school_id": "UG",
            "student_status_id": "GS",
            "student_type_id": "C",
            "term_code_eff": "201906"
        }
    ],
    "student_status_id": "AS",
    "student_type_id": "C",
    "term_code_eff": "201909",
    "varsity_sports": []
}
SEED_003_STUDENT["netid"] = SEED_003_NETID
