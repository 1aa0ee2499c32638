"""Hostile front matter is refused by `commons validate`, at the value: (3) a `title` or `summary` that would break
out of the page's <title> or description; (5) control characters, written as YAML escapes or literally.

The cases and what "refused at it" means: tests/hostile_cases.py. The built site must print a title that gets
past validation as text: tests/test_hostile_site_escaping.py and tests/test_site_head.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commons.content.validate import validate_repository
from conftest import DECLARATION, make_repository
from hostile_cases import (
    PAGE,
    PROPERTY,
    RUNS,
    UNSAFE,
    Case,
    Validated,
    assert_located,
    case_ids,
    check_in_memory,
    pattern_file,
    unmark,
)

# ---------------------------------------------------------------------------------------------------------
# (3) `title` and `summary` breaking out of the page's head
#
# Validation refuses the fields that hold markup; a field with only quotes in it is fine text, and must be
# printed as text: see tests/test_hostile_site_escaping.py (test_title_and_summary_stay_text_in_the_head).

def head(name: str, line: str) -> Case:
    key = line.split(":", 1)[0]
    return Case(name, UNSAFE, lines=((key, line),))


HEAD_FIELDS = [
    head("title-closes-title", 'title: «"Bins</title><script>alert(1)</script>"»'),
    head("title-adds-base", "title: «'Bins</title><base href=\"https://example.invalid/\">'»"),
    head("title-adds-handler", "title: «'</title><img src=x onerror=alert(1)>'»"),
    head("title-adds-script-link", "title: «'</title><a href=\" javascript:alert(1)\">x</a>'»"),
    head("title-markup-as-yaml-escapes", 'title: «"Bins\\x3c/title\\x3e\\x3cscript\\x3ealert(1)\\x3c/script\\x3e"»'),
    head("summary-closes-attribute", "summary: «'Quick\"><img src=x onerror=alert(1)>'»"),
    head("summary-adds-refresh", "summary: «'x\"><meta http-equiv=\"refresh\" content=\"0;url=https://example.invalid/\">'»"),
    head("summary-adds-script", "summary: «'\"><script>alert(1)</script>'»"),
]


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("case", HEAD_FIELDS, ids=case_ids(HEAD_FIELDS))
def test_a_title_or_summary_holding_markup_is_refused_at_the_field(case: Case, run: str, validated: Validated) -> None:
    validated.check(case, run)


# ---------------------------------------------------------------------------------------------------------
# (5) Control characters written as YAML escapes (and written literally)

def escape(name: str, line: str, key: str = "") -> Case:
    return Case(name, frozenset({"E-ENCODING"}), lines=((key or line.split(":", 1)[0], line),))


YAML_ESCAPES = [
    escape("escape-x01-in-title", 'title: «"Report a \\x01 missed bin"»'),
    escape("escape-nul", 'title: «"Report a missed bin\\0"»'),
    escape("escape-escape-char", 'title: «"\\e[31mReport a missed bin"»'),
    escape("escape-bell-backspace", 'summary: «"Residents\\a\\b report"»'),
    escape("escape-vertical-tab-form-feed", 'summary: «"Residents\\v\\f report"»'),
    escape("escape-x1f", 'summary: «"Residents report\\x1f"»'),
    escape("escape-del", 'summary: «"Residents report\\x7f"»'),
    escape("escape-long-form", 'summary: «"Residents \\U0000001B report"»'),
    escape("escape-ufffe", 'summary: «"Residents \\uFFFE report"»'),
    escape("escape-uffff", 'title: «"Report a missed bin \\uffff"»'),
    escape("escape-in-a-list", "councils: [«\"HCK\\x02\"»]"),
    escape("escape-in-a-field-name", '«"stat\\x01us"»: live', key="status"),
    escape("escape-on-a-later-line", 'summary: «"Residents report a missed collection\n  in under a minute\\x03."»'),
    # Lone surrogates can only be written as escapes; the loader must refuse them as it refuses the others.
    escape("escape-lone-high-surrogate", 'title: «"Report a \\uD800 missed bin"»'),
    escape("escape-lone-low-surrogate", 'summary: «"Residents \\udfff report"»'),
    Case("escape-in-a-declaration", frozenset({"E-ENCODING"}), path="councils/hackney/declaration.yml",
         text=DECLARATION.replace("title: Publish housing repairs data openly every week",
                                  'title: «"Publish housing repairs data \\x1b openly"»')),
]
LITERAL_CONTROLS = [
    Case("literal-control-in-body", frozenset({"E-ENCODING"}), "Calls fell«\x01» today."),
    Case("literal-noncharacter-in-body", frozenset({"E-ENCODING"}), "Calls fell«\ufffe» today."),
]


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("case", YAML_ESCAPES + LITERAL_CONTROLS, ids=case_ids(YAML_ESCAPES + LITERAL_CONTROLS))
def test_a_control_character_is_refused_where_it_is_written(case: Case, run: str, validated: Validated) -> None:
    validated.check(case, run)


_FORBIDDEN = [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + [0x7F, 0xFFFE, 0xFFFF]
_NAMED = {0x00: "\\0", 0x07: "\\a", 0x08: "\\b", 0x0B: "\\v", 0x0C: "\\f", 0x1B: "\\e"}


@st.composite
def escaped_control(draw: st.DrawFn) -> str:
    code = draw(st.sampled_from(_FORBIDDEN))
    forms = [f"\\x{code:02x}", f"\\x{code:02X}"] if code < 0x100 else []
    forms += [f"\\u{code:04x}", f"\\u{code:04X}", f"\\U{code:08x}"] + ([_NAMED[code]] if code in _NAMED else [])
    return draw(st.sampled_from(forms))


@PROPERTY
@given(st.sampled_from(["title", "summary"]), st.text("Report a missed bin", max_size=20), escaped_control(),
       st.text("Report a missed bin", max_size=20))
def test_any_escaped_control_character_is_refused_at_its_value(name: str, before: str, escaped: str,
                                                              after: str) -> None:
    marked = pattern_file(lines={name: f'{name}: «"{before}{escaped}{after}"»'})
    text, spans = unmark(marked)
    problems = check_in_memory(text, full_run=True)
    assert_located(problems, text, spans, frozenset({"E-ENCODING"}))


def test_tabs_and_line_ends_written_as_escapes_are_text(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo")
    (root / PAGE).write_text(pattern_file(lines={"title": 'title: "Report a missed bin\\twithout an account"'}),
                             encoding="utf-8")
    declaration = root / "councils/hackney/declaration.yml"
    declaration.write_text(DECLARATION.replace("note: Discovery started with the repairs service.",
                                               'note: "Discovery started\\twith the\\r\\nrepairs service."'),
                           encoding="utf-8")
    assert validate_repository(root).problems == []


# ---------------------------------------------------------------------------------------------------------
# The examples above, in one repository validated once in each kind of run (conftest.py: validated)

CASES = HEAD_FIELDS + YAML_ESCAPES + LITERAL_CONTROLS
