"""E-PLACEHOLDER: a TODO, TBC, TBD or FIXME left where words belong fails, in any field or line of the text, at its
place and with a hint from the schema; the same word inside a sentence or a code block does not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import DECLARATION, PATTERN, Cli


def problems(cli: Cli, root: Path) -> list[tuple[str, int, int, str]]:
    result = cli("--root", str(root), "validate")
    return [(m[1], int(m[2]), int(m[3]), m[4]) for m in
            re.finditer(r"^(\S+?):(\d+):(\d+): \w+\[([A-Z-]+)\]", result.out, re.MULTILINE)]


def out(cli: Cli, root: Path) -> str:
    return cli("--root", str(root), "validate").out


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("value", ["'TODO: one sentence.'", "TODO", "TBC", "TBD.", "FIXME - later", "'  TODO:'"])
def test_a_placeholder_summary_fails_at_its_value(repo: Path, cli: Cli, value: str) -> None:
    write(repo, "patterns/report-a-missed-bin.md", re.sub(r"(?m)^summary: .*$", f"summary: {value}", PATTERN))
    line = PATTERN.split("\n").index(next(x for x in PATTERN.split("\n") if x.startswith("summary:"))) + 1
    assert problems(cli, repo) == [("patterns/report-a-missed-bin.md", line, 10, "E-PLACEHOLDER")]
    assert "hint: write the summary: one sentence saying what the pattern is and who it helps." in out(cli, repo)


@pytest.mark.parametrize("value", ["TODO lists on tablets", "Report it today (TODO none)", "Todo", "TODOS",
                                   "TBCs are sent weekly"])
def test_the_word_in_a_sentence_is_not_a_placeholder(repo: Path, cli: Cli, value: str) -> None:
    write(repo, "patterns/report-a-missed-bin.md", re.sub(r"(?m)^summary: .*$", f"summary: {value}", PATTERN))
    assert problems(cli, repo) == []


def test_a_body_placeholder_names_its_section_and_a_code_block_is_left_alone(repo: Path, cli: Cli) -> None:
    text = PATTERN.replace("## Solution\n", "## Solution\n\n- TODO: the form\n\n```\nTODO: shown as code\n```\n", 1)
    assert text != PATTERN
    write(repo, "patterns/report-a-missed-bin.md", text)
    line = text.split("\n").index("- TODO: the form") + 1
    assert problems(cli, repo) == [("patterns/report-a-missed-bin.md", line, 3, "E-PLACEHOLDER")]
    said = out(cli, repo)
    assert "the section 'Solution' still says TODO" in said
    assert "hint: write the Solution section: what to build or change, concretely." in said


def test_a_placeholder_in_a_commitment_update(repo: Path, cli: Cli) -> None:
    text = DECLARATION.replace("note: Discovery started with the repairs service.", "note: TBC")
    write(repo, "councils/hackney/declaration.yml", text)
    line = text.split("\n").index("        note: TBC") + 1
    assert problems(cli, repo) == [("councils/hackney/declaration.yml", line, 15, "E-PLACEHOLDER")]
    assert "'note' of item 1 of 'history' of item 1 of 'commitments' is still a placeholder ('TBC')" in out(cli, repo)
    assert "hint: write the note: what happened, in a sentence or two." in out(cli, repo)


def test_every_scaffold_fails_until_written_and_passes_after(repo: Path, cli: Cli) -> None:
    """The loop a contributor goes through: scaffold, validate (told each TODO), write, validate (clean)."""
    args = ["--root", str(repo), "new"]
    assert cli(*args, "case-study", "Hackney cut calls", "--council", "HCK", "--service-area", "housing",
               "--email", "repairs-digital@hackney.gov.uk").code == 0
    assert cli(*args, "session", "Bins", "--event", "UKGovCamp 2026", "--date", "2026-01-24").code == 0
    found = problems(cli, repo)
    assert {p[3] for p in found} == {"E-PLACEHOLDER"}
    assert {p[0] for p in found} == {"case-studies/hackney-cut-calls.md", "sessions/ukgovcamp-2026/bins.md"}
    case = (repo / "case-studies/hackney-cut-calls.md").read_text(encoding="utf-8")
    # the summary, the contact role and the three parts of the text
    assert len([p for p in found if p[0].startswith("case-studies")]) == case.count("TODO") == 5
    for rel in ("case-studies/hackney-cut-calls.md", "sessions/ukgovcamp-2026/bins.md"):
        text = (repo / rel).read_text(encoding="utf-8")
        text = re.sub(r"'TODO: [^']*'", "Written", text)
        write(repo, rel, re.sub(r"(?m)^TODO: .*$", "Written.", text))
    assert problems(cli, repo) == []
