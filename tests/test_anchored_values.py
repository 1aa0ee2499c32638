"""Values checked by a pattern anchored with `$` are matched whole: Python's `$` also matches before a final
newline, so `re.match` would take "hackney-digital\n" for a GitHub name and "2026-03-31\n" for a date."""

from __future__ import annotations

from pathlib import Path

import pytest

from commons.content.values import parse_date
from commons.markdown_text import mention
from conftest import Cli


@pytest.mark.parametrize("handle", ["hackney-digital\n", "hackney-digital\r\n", "council-commons/maintainers\n"])
def test_a_name_with_a_line_break_is_never_a_mention(handle: str) -> None:
    assert not mention(handle).startswith("@" + handle.strip())
    assert mention(handle.strip()) == "@" + handle.strip()


def test_a_date_with_a_line_break_is_not_a_date() -> None:
    assert parse_date("2026-03-31\n") is None and parse_date("2026-03-31") is not None


@pytest.mark.parametrize(("written", "changed", "code"), [
    ("  - hackney-digital", '  - "hackney-digital\\n"', "E-VALUE"),
    ("website: https://hackney.gov.uk", 'website: "https://hackney.gov.uk\\n"', "E-VALUE"),
    ("since: 2024-06-01", 'since: "2024-06-01\\n"', "E-DATE"),
], ids=["github-name", "web-address", "date"])
def test_a_field_value_with_a_trailing_line_break_is_refused(repo: Path, cli: Cli, written: str, changed: str,
                                                              code: str) -> None:
    path = repo / "councils" / "hackney" / "council.yml"
    text = path.read_text(encoding="utf-8")
    assert written in text
    assert cli("--root", str(repo), "validate").code == 0
    path.write_text(text.replace(written, changed), encoding="utf-8")
    result = cli("--root", str(repo), "validate")
    assert result.code == 1 and code in result.out, result.out
