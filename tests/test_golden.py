"""Golden cases: one folder per problem code, each validated by the real CLI and compared byte for byte.

The layout is described in tests/golden/README.md.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from commons.content.problems import CODES
from conftest import Cli
from golden_cases import GOLDEN, cases, materialise, read_expected

CASES = cases()
PROBLEM_LINE = re.compile(
    r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning)\[(?P<code>[A-Z-]+)\] ")


def problem_lines(text: str) -> list[re.Match[str]]:
    return [m for m in map(PROBLEM_LINE.match, text.splitlines()) if m]


def test_every_code_has_a_golden_case_and_every_case_is_a_code() -> None:
    # Problems only check-pr can find (from two commits) are tested in test_changes.py.
    assert [c.name for c in CASES] == sorted(c.code for c in CODES.values() if c.found_by == "validate")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_output(case: Path, tmp_path: Path, cli: Cli) -> None:
    root = materialise(case, tmp_path / "repo")
    expected, exit_code = read_expected(case)
    started = time.perf_counter()
    result = cli("--root", str(root), "validate")
    assert time.perf_counter() - started < 5  # an alias bomb or a huge file must not slow the validator
    assert result.out == expected
    assert result.code == exit_code
    assert result.err == ""


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case_shows_its_own_code(case: Path) -> None:
    expected, exit_code = read_expected(case)
    found = problem_lines(expected)
    assert found, "a golden case must show at least one problem"
    assert {m["code"] for m in found} == {case.name}
    # Exit 1 when there is an error, 0 when there are warnings only.
    assert exit_code == (0 if case.name.startswith("W-") else 1)
    assert all(m["severity"] == ("warning" if case.name.startswith("W-") else "error") for m in found)
    # The last line is the summary, and it counts what was printed.
    errors = sum(m["severity"] == "error" for m in found)
    warnings = len(found) - errors
    summary = expected.rstrip("\n").rsplit("\n", 1)[-1]
    assert re.fullmatch(rf"\d+ files? checked: {errors} errors?, {warnings} warnings?\.", summary), summary


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_strict_fails_on_every_golden_case(case: Path, tmp_path: Path, cli: Cli) -> None:
    root = materialise(case, tmp_path / "repo")
    expected, _ = read_expected(case)
    result = cli("--root", str(root), "validate", "--strict")
    assert result.code == 1
    assert result.out == expected  # --strict changes the exit code only


def test_field_problems_point_at_the_line_of_the_value_not_the_file() -> None:
    """Located problems carry the file's own line numbers (front matter offset included), not line 1."""
    file_level = {"E-PATH", "E-SYMLINK", "E-TOO-LARGE", "E-SLUG", "E-FRONT-MATTER"}
    for case in CASES:
        if case.name in file_level:
            continue
        expected, _ = read_expected(case)
        assert any(int(m["line"]) > 1 for m in problem_lines(expected)), case.name


def test_golden_readme_documents_the_format() -> None:
    readme = (GOLDEN / "README.md").read_text(encoding="utf-8")
    for word in ("input/", "expected.txt", "exit-code", "setup.json", "symlinks", "large", "regenerate.py"):
        assert word in readme
