"""Bodies the site cannot build are refused by `commons validate`, at a line: (8) bodies that would crash or
stall the renderer, and relative links the strict build refuses.

The cases and what "refused at it" means: tests/hostile_cases.py.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from commons.content import rendered
from commons.content.validate import validate_repository
from conftest import make_repository
from hostile_cases import PAGE, RUNS, Case, Validated, assert_located, case_ids, unmark


def link(name: str, body: str) -> Case:
    return Case(name, frozenset({"E-LINK"}), body)


RELATIVE_LINKS = [
    link("relative-image-with-attributes", "See «![the form](form.png){ width=400 }»."),
    link("relative-image", "See «![the form](form.png)»."),
    link("missing-entry", "See «[how we counted](../case-studies/missed-bins.md)»."),
    link("escaped-space-and-fragment", "See «[the sheet](round%20sheet.pdf#page=2)»."),
    link("outside-the-site", "See «[up](../../outside.md)»."),
    link("html-image", 'See «<img alt="chart" src="chart.png">».'),
    link("reference-to-a-file", "See «[the notes][n]».\n\n«[n]: notes.md»"),
]


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("case", RELATIVE_LINKS, ids=case_ids(RELATIVE_LINKS))
def test_a_relative_link_the_strict_build_refuses_is_refused_by_validate(case: Case, run: str,
                                                                          validated: Validated) -> None:
    validated.check(case, run)


def stall(name: str, body: str) -> Case:
    return Case(name, frozenset({"E-TOO-LARGE"}), body)


STALLS = [
    stall("nested-list-markers", "Intro.\n\n«" + "- " * 1000 + "x»"),
    stall("nested-quote-markers", "Intro.\n\n«" + "> " * 1000 + "x»"),
    stall("nested-mixed-markers", "Intro.\n\n«" + "1. > - " * 300 + "x»"),
    stall("unclosed-tags", "«" + "<a " * 16000 + "»"),
    stall("unclosed-autolinks", "Intro.\n\n«" + "<http://x " * 12000 + "»"),
    stall("headings-with-no-blank-lines", "«" + "# Heading\n" * 8000 + "»"),
    stall("definitions-with-no-blank-lines", "«a\n" + ": definition\n" * 8000 + "»"),
    stall("footnote-references", "[^1]: A note.\n\n«" + "Text[^1]\n\n" * 8000 + "»"),
    # Every backslash escape and every emphasised word is a node the inline processor re-scans the paragraph
    # for: 100,000 escapes take 40 s to render, 60,000 emphasised words 20 s (a build has no time limit).
    stall("backslash-escapes", "Intro.\n\n«" + "\\\\" * 100000 + "»"),
    stall("emphasised-words", "Intro.\n\n«" + "*a* " * 60000 + "»"),
]


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("case", STALLS, ids=case_ids(STALLS))
def test_a_body_that_would_crash_or_stall_the_site_is_refused_quickly_at_a_line(case: Case, run: str,
                                                                                 tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo")
    text, spans = unmark(case.file(1)[1])
    (root / PAGE).write_text(text, encoding="utf-8")
    start = time.perf_counter()
    problems = validate_repository(root, None if run == "full run" else [PAGE]).problems
    took = time.perf_counter() - start
    assert_located(problems, text, spans, case.codes)
    # Quickly: by a limit on the text, not by the backstop that cuts rendering off after RENDER_SECONDS.
    assert took < rendered.RENDER_SECONDS, f"validation took {took:.1f} s"


# The relative links, in one repository validated once in each kind of run (conftest.py: validated). The stalls
# get a repository each: validating one takes a noticeable time, which is measured.
CASES = RELATIVE_LINKS
