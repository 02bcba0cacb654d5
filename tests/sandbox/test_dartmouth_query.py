"""Dartmouth's standard filter parameters, as pure functions (no sandbox process)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.sandbox.dartmouth.query import Filter, RecordIndex, apply_filters, filters_from

RECORDS: list[dict[str, Any]] = [
    {"netid": "f001", "class_year": "26", "class": {"code": "SR"}, "affiliations": [{"name": "Student"}],
     "is_active": True, "gpa": 3.5, "note": None},
    {"netid": "f002", "class_year": "27", "class": None, "affiliations": [{"name": "Alum"}, {"name": "Staff"}],
     "is_active": False, "gpa": 2.9, "note": "x"},
    {"netid": "d003", "class_year": "28", "class": {"code": "JR"}, "affiliations": [], "is_active": True,
     "gpa": "3.9", "note": None},
]


def matching(*params: tuple[str, str]) -> list[str]:
    return [r["netid"] for r in apply_filters(RECORDS, filters_from(params))]


@pytest.mark.parametrize(("params", "expected"), [
    ((("class_year", ">26"),), ["f002", "d003"]),
    ((("class_year", "<=27"),), ["f001", "f002"]),
    ((("class_year", ">=27"), ("class_year", "<28")), ["f002"]),
    ((("netid", "F00*"),), ["f001", "f002"]),
    ((("class.code", "JR"),), ["d003"]),
    ((("affiliations.name", "staff"),), ["f002"]),
    ((("is_active", "true"),), ["f001", "d003"]),
    ((("gpa", ">3.4"),), ["f001", "d003"]),  # numbers compare as numbers, whether sent as strings or not
    ((("note", "null"),), ["f001", "d003"]),
    ((("no_such", "1"), ("class_year", "27")), ["f002"]),  # unknown attribute: ignored, the rest applies
    ((("pagesize", "1"), ("page", "2"), ("continuation_key", "k")), ["f001", "f002", "d003"]),
])
def test_filters(params: tuple[tuple[str, str], ...], expected: list[str]) -> None:
    assert matching(*params) == expected


def test_hidden_attributes_are_not_filtered_on() -> None:
    assert [r["netid"] for r in apply_filters(RECORDS, filters_from([("gpa", ">3.4")]), hidden=("gpa",))] == [
        "f001", "f002", "d003"]


def test_operator_is_read_from_the_value() -> None:
    assert Filter.parse("term.sis_term_code", "<202001") == Filter(("term", "sis_term_code"), "<", "202001")
    assert Filter.parse("first_name", "Jo*") == Filter(("first_name",), "*", "Jo")



@pytest.mark.parametrize("params", [
    (("netid", "F001"),), (("class.code", "jr"),), (("affiliations.name", "Staff"),), (("is_active", "true"),),
    (("note", "null"),), (("netid", "f002"), ("class_year", "27")), (("netid", "nobody"),),
    (("class_year", "27"),), (("netid", "f00*"),), (("gpa", ">3.4"), ("is_active", "true")),
    (("no_such", "x"), ("netid", "d003")), (("gpa", "3.9"),),
])
def test_an_index_finds_what_a_scan_finds(params: tuple[tuple[str, str], ...]) -> None:
    index = RecordIndex(lambda: RECORDS)
    assert apply_filters(RECORDS, filters_from(params), index=index) == apply_filters(RECORDS, filters_from(params))


def test_an_index_follows_changed_records_once_invalidated() -> None:
    records = [dict(r) for r in RECORDS]
    index = RecordIndex(lambda: records)
    assert [r["netid"] for r in apply_filters(records, filters_from([("note", "x")]), index=index)] == ["f002"]
    records[0]["note"] = "x"
    index.invalidate()
    assert [r["netid"] for r in apply_filters(records, filters_from([("note", "x")]), index=index)] == ["f001", "f002"]
