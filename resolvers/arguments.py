"""The read fields' text arguments, settled before any vendor is called: a filter's value is refused
(BAD_USER_INPUT, naming the argument) when no vendor could apply it as given, and a lookup key that is
empty or whitespace only names no one.

One rule for every String and ID argument of the read schema: an empty or whitespace-only value never reaches
a vendor. Left to them, Dartmouth matches it against nothing (an empty list), HUBmis ignores it (the whole
list), and a path reads the collection or a record no one has.
"""

from __future__ import annotations

import re

from gateway.errors import GatewayError


def blank(value: str) -> bool:
    """Empty or whitespace only: no record's key and no filter's value."""
    return not value.strip()


def check_filter(name: str, value: str | None) -> None:
    """Refuse the filter ``name`` (``term``, or ``filter.subject`` for a field of the ``filter`` input) when it
    is empty or whitespace only; None (left out) filters nothing and passes."""
    if value is not None and blank(value):
        raise GatewayError(f"`{name}` must not be empty or whitespace only", "BAD_USER_INPUT",
                           argument=name.partition(".")[0])


# A Dartmouth term code (YYYYMM), alone or after a comparison (`>=202601`), or a prefix of one ending in its
# wildcard (`2026*`): what `term.sis_term_code` matches. Anything else (a term id `202609-U`, a year `2026`) matches
# no term, and Dartmouth answers an empty page that reads as "nothing that term".
TERM_CODE = re.compile(r"(?:<=|>=|<|>)?\d{6}|\d{0,5}\*")


def check_term(name: str, value: str | None) -> None:
    """Refuse a term that is not a Dartmouth term code (``check_filter``'s rule besides)."""
    check_filter(name, value)
    if value is not None and TERM_CODE.fullmatch(value) is None:
        raise GatewayError(f"`{name}` must be a Dartmouth term code, six digits (202609; `terms` lists them), "
                           "optionally after <, <=, > or >=, or a prefix ending in * (2026*)", "BAD_USER_INPUT",
                           argument=name.partition(".")[0])


def check_one_of(name: str, value: str | None, allowed: tuple[str, ...], where: str = "") -> None:
    """Refuse a value of the filter ``name`` outside the set the vendor documents for it (``where`` says for which
    source, when it depends on one): the vendor would refuse the read, or answer nothing for it."""
    check_filter(name, value)
    if value is not None and value not in allowed:
        raise GatewayError(f"`{name}`{where} must be one of {', '.join(allowed)}", "BAD_USER_INPUT",
                           argument=name.partition(".")[0])


def dartmouth_class_year(value: str | None) -> str | None:
    """Dartmouth writes a class year in two digits (27 for the class of 2027; ``TH`` for Thayer, seed 003) and
    answers a four-digit year with an empty page, which reads as "no such students". A four-digit year is sent as
    its last two digits, keeping Dartmouth's own filter syntax around it (``>=2027`` is ``>=27``); any other value
    goes to Dartmouth as given (``TH``, ``2*``)."""
    check_filter("filter.classYear", value)
    if value is None:
        return None
    given = re.fullmatch(r"(<=|>=|<|>)?(\d{4})(\*?)", value)
    if given is None:
        return value
    comparison, year, wildcard = given.groups()
    return f"{comparison or ''}{year[2:]}{wildcard}"
