"""The UK local authority register shipped in data/: the rows, successors and columns the tooling relies on."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

from commons.content.register import REGISTER_FILE, Register, load_register
from commons.content.schema import SLUG_PATTERN
from conftest import REGISTER

# Every column register.py reads; replacing the file with a release that drops one must fail here.
COLUMNS = ("local-authority-code", "official-name", "nice-name", "gss-code", "start-date", "end-date",
           "replaced-by", "nation", "region", "local-authority-type", "alt-names", "gov-uk-slug")


@pytest.fixture(scope="module")
def register() -> Register:
    return load_register(REGISTER)


def test_the_tooling_reads_the_shipped_register() -> None:
    assert REGISTER_FILE.resolve() == REGISTER.resolve()


def test_columns_the_tooling_uses_exist() -> None:
    with REGISTER.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert set(COLUMNS) <= set(header), set(COLUMNS) - set(header)


def test_rows_and_current_councils(register: Register) -> None:
    assert len(list(register)) == 470
    assert len(register.current()) == 397
    with REGISTER.open(encoding="utf-8", newline="") as f:
        assert sum(1 for _ in csv.DictReader(f)) == 470  # no two rows share a code


def test_codes_are_well_formed(register: Register) -> None:
    assert all(re.fullmatch(r"[A-Z0-9-]{2,8}", a.code) for a in register)


def test_current_councils_have_what_their_pages_need(register: Register) -> None:
    for a in register.current():
        assert a.name and a.short_name and a.slug and a.nation and a.type, a.code
        assert not a.replaced_by, a.code


def test_abolished_councils_have_an_end_date_and_known_successors(register: Register) -> None:
    abolished = [a for a in register if not a.current]
    assert len(abolished) == 73
    for a in abolished:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", a.end), a.code
        assert all(code in register.by_code for code in a.replaced_by), a.code


@pytest.mark.parametrize(
    ("code", "replaced_by", "successors"),
    [
        ("AYL", ("BUC",), ["BUC"]),
        ("CMA", ("CBD", "WAF"), ["CBD", "WAF"]),
        ("TAU", ("SWT",), ["SMT"]),  # Taunton Deane → Somerset West and Taunton (2019) → Somerset (2023)
        ("SWT", ("SMT",), ["SMT"]),
    ],
)
def test_successors(register: Register, code: str, replaced_by: tuple[str, ...], successors: list[str]) -> None:
    assert not register.by_code[code].current
    assert register.by_code[code].replaced_by == replaced_by
    assert [s.code for s in register.successors(code)] == successors
    assert all(s.current for s in register.successors(code))


def test_a_current_council_has_no_successors(register: Register) -> None:
    assert register.successors("HCK") == []


def test_slugs_are_unique_among_current_councils(register: Register) -> None:
    counts = Counter(a.slug for a in register.current())
    assert [slug for slug, n in counts.items() if n > 1] == []


def test_a_reused_slug_belongs_to_the_current_council(register: Register) -> None:
    # Somerset (SOM, abolished 2023) and Somerset Council (SMT) share the slug 'somerset'.
    assert register.by_slug["somerset"].code == "SMT"
    assert register.by_slug["north-yorkshire"].current
    assert register.by_slug["buckinghamshire"].code == "BUC"


def test_current_council_slugs_follow_the_slug_rule(register: Register) -> None:
    assert [a.slug for a in register.current() if not re.fullmatch(SLUG_PATTERN, a.slug)] == []


@pytest.mark.parametrize(("text", "code"), [("Hackney", "HCK"), ("hackney", "HCK"), ("London Borough of Hackney",
                                                                                      "HCK"), ("HCKK", "HCK")])
def test_guess_finds_a_council_from_a_name_or_a_near_code(register: Register, text: str, code: str) -> None:
    guess = register.guess(text)
    assert guess is not None and guess.code == code
