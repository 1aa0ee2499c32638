"""Hostile contributions as cases: a file's text with «» around each construct a problem may point into, the
check that every problem is located inside one, and the two ways of validating them.

Anyone can open a pull request, so nothing a contributor writes may run script, redirect or inject. The tests
of the source checks (tests/test_hostile_markup.py, test_hostile_fields.py, test_hostile_stalls_and_links.py)
each hold one or two of the classes a review found getting through, and show that `commons validate` refuses
them. "Refused" means it reports the right code on the right line, with a column inside the offending construct
(marked «like this» in the cases), both in a full run (what `commons build` checks) and in a run of named files
(what `commons check-pr` checks).

A test module lists its example cases in `CASES`; conftest.py's `validated` fixture writes them into one
repository and validates it once in each kind of run (`validate_cases`). The property tests check one pattern
in memory instead (`check_in_memory`), without a repository.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, settings

from commons.content.load import Candidate, parse_entry
from commons.content.problems import Problem
from commons.content.register import load_register
from commons.content.schema import BY_NAME
from commons.content.validate import check_entry, validate_repository
from conftest import PATTERN, REGISTER, make_repository

UNSAFE = frozenset({"E-UNSAFE-HTML", "E-UNSAFE-LINK"})
# The same examples on every run, so that a failure in CI is one anyone can repeat.
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)


# ---------------------------------------------------------------------------------------------------------
# Cases: a file's text with «» around each construct a problem may point into

def unmark(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`text` without its « » marks, and the (start, end) offsets of each marked part in what is left."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start = 0
    for ch in text:
        if ch == "«":
            start = len(out)
        elif ch == "»":
            spans.append((start, len(out)))
        else:
            out.append(ch)
    return "".join(out), spans


def offset_of(text: str, line: int, col: int) -> int | None:
    """The offset of a 1-based (line, col) in `text`, or None if it is not a position in it."""
    lines = text.split("\n")
    if not (1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]) + 1):
        return None
    return sum(len(x) + 1 for x in lines[: line - 1]) + col - 1


def assert_located(problems: list[Problem], text: str, spans: list[tuple[int, int]], codes: frozenset[str]) -> None:
    """At least one problem with one of `codes`, and each of those at a line and column inside a marked span.
    (Problems that follow from it, such as an unknown council for a code with a control character in it, may
    be reported too.)"""
    found = [p for p in problems if p.code in codes]
    assert found, f"not refused with {sorted(codes)}: " + ("; ".join(
        f"{p.line}:{p.col} {p.code} {p.message}" for p in problems) or "nothing was reported")
    for p in found:
        at = offset_of(text, p.line, p.col)
        shown = [text[a:b] if b - a <= 80 else text[a:a + 60] + "…" for a, b in spans]
        where = "not a position in the file" if at is None else repr(text[at:at + 30])
        assert at is not None and any(a <= at < b for a, b in spans), \
            f"{p.line}:{p.col} {p.code} points at {where}, outside the offending {shown}"


def pattern_file(extra: str = "", number: int = 1, lines: dict[str, str] | None = None) -> str:
    """conftest's valid pattern with `extra` appended to its last section and whole front-matter lines replaced
    (by field name). Any number but 1 drops its alias, so that many can share one repository."""
    text = PATTERN.replace("id: 1\n", f"id: {number}\n")
    if number != 1:
        text = text.replace("aliases: [missed-bin-report]", "aliases: []")
    for name, line in (lines or {}).items():
        text, n = re.subn(rf"^{name}: .*$", line.replace("\\", "\\\\"), text, count=1, flags=re.M)
        assert n == 1, f"the pattern has no '{name}:' line"
    return text + (f"\n{extra}\n" if extra else "")


@dataclass(frozen=True)
class Case:
    """A file to validate: a pattern with `body` appended and `lines` replaced, or `text` at `path`."""

    name: str  # a slug, and the test's id
    codes: frozenset[str]
    body: str = ""
    lines: tuple[tuple[str, str], ...] = ()
    path: str = ""
    text: str = ""

    def file(self, number: int) -> tuple[str, str]:
        """(path, marked text)."""
        if self.path:
            return self.path, self.text
        return f"patterns/{self.name}.md", pattern_file(self.body, number, dict(self.lines))


def case_ids(cases: list[Case]) -> list[str]:
    return [c.name for c in cases]


# ---------------------------------------------------------------------------------------------------------
# A repository holding a module's example cases, validated once in each kind of run

@dataclass
class Validated:
    """A repository of example cases and what each kind of run reported for each file."""

    root: Path
    texts: dict[str, tuple[str, list[tuple[int, int]]]] = field(default_factory=dict)  # path -> (text, spans)
    problems: dict[str, dict[str, list[Problem]]] = field(default_factory=dict)  # run -> path -> problems

    def check(self, case: Case, run: str) -> None:
        """`case`'s file was refused with one of its codes, located inside a marked span, in `run`."""
        path = case.file(0)[0]
        text, spans = self.texts[path]
        assert_located(self.problems[run].get(path, []), text, spans, case.codes)


RUNS = ["full run", "named files"]


def validate_cases(root: Path, cases: list[Case]) -> Validated:
    """Write each of `cases` into a fresh minimal repository at `root` (one file each, numbered from 100 so that
    their pattern numbers do not clash), and validate it as a full run and as a run of the named files."""
    make_repository(root)
    out = Validated(root)
    for number, case in enumerate(cases, start=100):
        path, marked = case.file(number)
        assert path not in out.texts, f"two cases write {path}"
        text, spans = unmark(marked)
        out.texts[path] = (text, spans)
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    for run, paths in (("full run", None), ("named files", sorted(out.texts))):
        by_path: dict[str, list[Problem]] = {}
        for p in validate_repository(root, paths).problems:
            by_path.setdefault(p.path, []).append(p)
        out.problems[run] = by_path
    return out


# ---------------------------------------------------------------------------------------------------------
# In memory, for the property tests: the same checks on one pattern, without a repository

THE_REGISTER = load_register(REGISTER)
PAGE = "patterns/report-a-missed-bin.md"  # the minimal repository's one pattern
_CANDIDATE = Candidate(PAGE, BY_NAME["pattern"], "report-a-missed-bin")


def check_in_memory(text: str, full_run: bool) -> list[Problem]:
    """Every problem `validate` finds in `text` as patterns/report-a-missed-bin.md: read, then checked as a full
    run checks a file (the body rendered only if the pre-check says it could be unsafe) or as a named file."""
    entry, problems = parse_entry(_CANDIDATE, text.encode("utf-8"))
    if entry is not None:
        problems = problems + check_entry(entry, THE_REGISTER, None, render_all=not full_run)[0]
    return problems

