"""`commons new`: every scaffold is a valid entry, never overwrites, and keeps a council's own text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from commons.content.schema import BY_NAME
from commons.content.schema_line import schema_line
from conftest import DECLARATION, PATTERN, Cli, Result, make_repository


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A minimal repository whose one pattern is number 4 and is not called report-a-missed-bin."""
    root = make_repository(tmp_path / "repo")
    (root / "patterns" / "report-a-missed-bin.md").unlink()
    (root / "patterns" / "bin-collection-day-lookup.md").write_text(
        PATTERN.replace("id: 1", "id: 4").replace("aliases: [missed-bin-report]", "aliases: []"), encoding="utf-8")
    for rel in ("councils/hackney/council.yml", "councils/hackney/declaration.yml"):
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").replace("report-a-missed-bin", "bin-collection-day-lookup"),
                        encoding="utf-8")
    return root


def new(cli: Cli, root: Path, *args: str) -> Result:
    return cli("--root", str(root), "new", *args)


def assert_valid(cli: Cli, root: Path, rel: str) -> None:
    """The file validates with no problems at all, on its own and as part of the whole repository."""
    for args in (["validate", "--strict", str(root / rel)], ["validate", "--strict"]):
        result = cli("--root", str(root), *args)
        assert result.code == 0, result.out
        assert result.out.endswith("no problems.\n"), result.out


def test_new_pattern(root: Path, cli: Cli) -> None:
    result = new(cli, root, "pattern", "Report a missed bin", "--council", "HCK")
    assert (result.code, result.err) == (0, "")
    assert result.out == ("wrote patterns/report-a-missed-bin.md\n"
                          "next: fill in the TODOs, then run: commons validate patterns/report-a-missed-bin.md\n")
    text = (root / "patterns" / "report-a-missed-bin.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["id"] == 5  # the next free number after the highest, 4
    assert meta["title"] == "Report a missed bin"
    assert meta["councils"] == ["HCK"]
    assert meta["last-reviewed"] == dt.date.today()
    for heading in ("## Problem", "## Solution", "## Evidence", "## Considerations", "### Accessibility",
                    "### Data protection"):
        assert f"\n{heading}\n" in text
    assert_valid(cli, root, "patterns/report-a-missed-bin.md")


def test_pattern_ids_keep_counting_up(root: Path, cli: Cli) -> None:
    (root / "patterns" / "report-a-pothole.md").write_text(
        PATTERN.replace("id: 1", "id: 2").replace("aliases: [missed-bin-report]", "aliases: []"), encoding="utf-8")
    assert new(cli, root, "pattern", "Report fly-tipping", "--council", "HCK").code == 0
    assert new(cli, root, "pattern", "Report graffiti", "--council", "hackney").code == 0
    ids = [yaml.safe_load((root / "patterns" / f"{slug}.md").read_text().split("---\n")[1])["id"]
           for slug in ("report-fly-tipping", "report-graffiti")]
    assert ids == [5, 6]
    assert_valid(cli, root, "patterns/report-graffiti.md")


@pytest.mark.parametrize(
    ("args", "rel"),
    [
        (["case-study", "Hackney cut missed-bin calls", "--council", "HCK"],
         "case-studies/hackney-cut-missed-bin-calls.md"),
        (["playbook", "Procure a case-management system", "--council", "LDS"],
         "playbooks/procure-a-case-management-system.md"),
        (["session", "Can we stop building bin forms?", "--event", "UKGovCamp 2026", "--date", "2026-01-24",
          "--host", "Waste digital team, Hackney", "--council", "HCK"],
         "sessions/ukgovcamp-2026/can-we-stop-building-bin-forms.md"),
        (["session", "Bilingual by default", "--event", "GovCamp Cymru 2025"],
         "sessions/govcamp-cymru-2025/bilingual-by-default.md"),
        (["council", "ISL", "--maintainer", "islington-digital"], "councils/islington/council.yml"),
        (["council", "--council", "LDS", "--maintainer", "leeds-digital", "--maintainer", "leeds-data"],
         "councils/leeds/council.yml"),
    ],
    ids=["case-study", "playbook", "session", "session-minimal", "council", "council-by-option"],
)
def test_each_type_scaffolds_a_valid_file(root: Path, cli: Cli, args: list[str], rel: str) -> None:
    result = new(cli, root, *args)
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith(f"wrote {rel}\n")
    assert (root / rel).is_file()
    assert_valid(cli, root, rel)


# One command per content type in the schema, so a new type fails here until it has a scaffold that writes the line.
SCAFFOLDS = {
    "pattern": (["Report a missed bin", "--council", "HCK"], "patterns/report-a-missed-bin.md"),
    "case-study": (["Hackney cut missed-bin calls", "--council", "HCK"],
                   "case-studies/hackney-cut-missed-bin-calls.md"),
    "playbook": (["Procure a case-management system", "--council", "LDS"],
                 "playbooks/procure-a-case-management-system.md"),
    "council": (["ISL", "--maintainer", "islington-digital"], "councils/islington/council.yml"),
    "commitment": (["Open housing repairs data", "--council", "HCK"], "councils/hackney/declaration.yml"),
    "session": (["Bilingual by default", "--event", "GovCamp Cymru 2025"],
                "sessions/govcamp-cymru-2025/bilingual-by-default.md"),
}


@pytest.mark.parametrize("kind", list(BY_NAME))
def test_every_scaffold_names_its_schema_first(root: Path, cli: Cli, kind: str) -> None:
    args, rel = SCAFFOLDS[kind]
    if kind == "commitment":
        (root / rel).unlink()  # a new declaration, written whole
    assert new(cli, root, kind, *args).code == 0
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    first = lines[1] if BY_NAME[kind].markdown else lines[0]
    # The schema is the type's: declaration.yml is a file of the type `commitment`.
    want = f"# yaml-language-server: $schema={'../' * rel.count('/')}schemas/{kind}.schema.json"
    assert first == schema_line(rel) == want
    assert BY_NAME[kind].markdown is (lines[0] == "---")
    assert sum("yaml-language-server" in line for line in lines) == 1
    assert_valid(cli, root, rel)


def test_a_commitment_added_to_a_declaration_without_the_line_adds_it(root: Path, cli: Cli) -> None:
    path = root / "councils" / "hackney" / "declaration.yml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n").split(b"\r\n", 1)[1])  # the schema line removed
    before = path.read_bytes()
    assert b"yaml-language-server" not in before
    assert new(cli, root, "commitment", "Send texts through one service", "--council", "HCK").code == 0
    after = path.read_bytes()
    line = schema_line("councils/hackney/declaration.yml").encode() + b"\r\n"
    assert after.startswith(line + before)  # the line, then every byte the council wrote
    assert_valid(cli, root, "councils/hackney/declaration.yml")


def test_new_council_fields(root: Path, cli: Cli) -> None:
    new(cli, root, "council", "ISL", "--maintainer", "islington-digital", "--website", "https://www.islington.gov.uk")
    assert yaml.safe_load((root / "councils" / "islington" / "council.yml").read_text()) == {
        "code": "ISL", "maintainers": ["islington-digital"], "website": "https://www.islington.gov.uk",
        "adopted": []}


@pytest.mark.parametrize("council", ["HCK", "hackney"])
def test_first_commitment_creates_declaration(root: Path, cli: Cli, council: str) -> None:
    (root / "councils" / "hackney" / "declaration.yml").unlink()
    result = new(cli, root, "commitment", "Open housing repairs data", "--council", council,
                 "--principle", "3", "--principle", "5", "--status", "in-progress", "--start", "2025-04-01",
                 "--target", "2026-03-31")
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith("wrote councils/hackney/declaration.yml\n")
    data = yaml.safe_load((root / "councils" / "hackney" / "declaration.yml").read_text())
    today = dt.date.today()
    assert data == {"commitments": [{
        "id": "open-housing-repairs-data", "title": "Open housing repairs data", "principles": [3, 5],
        "status": "in-progress", "start": dt.date(2025, 4, 1), "target": dt.date(2026, 3, 31),
        "history": [{"date": today, "status": "in-progress", "note": "Commitment recorded."}]}]}
    assert_valid(cli, root, "councils/hackney/declaration.yml")


@pytest.mark.parametrize("council", ["HCK", "hackney"])
def test_second_commitment_is_appended_keeping_the_text(root: Path, cli: Cli, council: str) -> None:
    path = root / "councils" / "hackney" / "declaration.yml"
    before = path.read_bytes()
    assert b"# Keep this comment" in before
    result = new(cli, root, "commitment", "Send texts through one service", "--council", council)
    assert result.code == 0, result.err
    after = path.read_bytes()
    assert after.startswith(before)  # every byte the council wrote, comments included, is kept
    added = after[len(before):].decode("utf-8")
    assert added.startswith("  - id: send-texts-through-one-service\n")  # the list's own indentation
    data = yaml.safe_load(after)
    assert [c["id"] for c in data["commitments"]] == ["open-repairs-data", "send-texts-through-one-service"]
    assert_valid(cli, root, "councils/hackney/declaration.yml")
    # A third one goes after the second.
    assert new(cli, root, "commitment", "Open planning data", "--council", "HCK").code == 0
    assert path.read_bytes().startswith(after)
    assert_valid(cli, root, "councils/hackney/declaration.yml")


def test_a_commitment_appended_to_a_windows_file_keeps_its_line_endings(root: Path, cli: Cli) -> None:
    path = root / "councils" / "hackney" / "declaration.yml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    assert new(cli, root, "commitment", "Send texts through one service", "--council", "HCK").code == 0
    after = path.read_bytes()
    assert after.startswith(before)
    added = after[len(before):]
    assert added.startswith(b"  - id: send-texts-through-one-service\r\n")
    assert b"\n" not in added.replace(b"\r\n", b"")  # no bare line feeds
    assert_valid(cli, root, "councils/hackney/declaration.yml")


def test_commitment_with_an_existing_id_is_refused(root: Path, cli: Cli) -> None:
    path = root / "councils" / "hackney" / "declaration.yml"
    result = new(cli, root, "commitment", "Open repairs data", "--council", "HCK")
    assert result.code == 1
    assert result.err == ("commons new: councils/hackney/declaration.yml already has a commitment with id "
                          "'open-repairs-data'\n")
    assert path.read_text(encoding="utf-8") == DECLARATION.replace("report-a-missed-bin", "bin-collection-day-lookup")


def test_commitment_needs_the_council_folder(root: Path, cli: Cli) -> None:
    result = new(cli, root, "commitment", "Open parking data", "--council", "ISL")
    assert result.code == 1
    assert "councils/islington/council.yml does not exist yet" in result.err
    assert "commons new council ISL --maintainer" in result.err
    assert not (root / "councils" / "islington").exists()


@pytest.mark.parametrize(
    ("args", "successor"),
    [
        (["pattern", "Report a missed bin", "--council", "AYL"], "BUC (Buckinghamshire Council)"),
        (["council", "TAU", "--maintainer", "somerset-digital"], "SMT (Somerset Council)"),
        (["commitment", "Open data", "--council", "CMA"], "CBD (Cumberland Council) or WAF (Westmorland and "
                                                          "Furness Council)"),
    ],
    ids=["AYL", "TAU", "CMA"],
)
def test_abolished_council_names_its_successor(root: Path, cli: Cli, args: list[str], successor: str) -> None:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    result = new(cli, root, *args)
    assert result.code == 1
    assert result.out == ""
    assert "was abolished on" in result.err
    assert result.err.rstrip("\n").endswith(f"its successor is {successor}")
    assert sorted(p for p in root.rglob("*") if p.is_file()) == files  # nothing written


def test_unknown_council_is_refused(root: Path, cli: Cli) -> None:
    result = new(cli, root, "pattern", "Report a missed bin", "--council", "Nowhereshire")
    assert result.code == 1
    assert result.err == ("commons new: 'Nowhereshire' is not a council in the register; use its code, e.g. HCK "
                          "for Hackney\n")


def test_an_existing_file_is_never_overwritten(root: Path, cli: Cli) -> None:
    assert new(cli, root, "pattern", "Report a missed bin", "--council", "HCK").code == 0
    path = root / "patterns" / "report-a-missed-bin.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nMy own words.\n", encoding="utf-8")
    mine = path.read_bytes()
    result = new(cli, root, "pattern", "Report a missed bin", "--council", "HCK")
    assert result.code == 1
    assert result.err == ("commons new: patterns/report-a-missed-bin.md already exists; choose another title or "
                          "edit that file\n")
    assert path.read_bytes() == mine
    council = root / "councils" / "hackney" / "council.yml"
    mine = council.read_bytes()
    assert new(cli, root, "council", "HCK", "--maintainer", "someone-else").code == 1
    assert council.read_bytes() == mine


def test_a_draft_that_would_not_validate_is_not_written(root: Path, cli: Cli) -> None:
    result = new(cli, root, "session", "Bins", "--event", "UKGovCamp 2026", "--date", "2026-02-30")
    assert result.code == 1
    assert result.err == ("commons new: the new entry would not be valid (E-DATE: 'date' is 2026-02-30, which is "
                          "not a day on the calendar); nothing was written\n")
    assert not (root / "sessions").exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["pattern", "Report a missed bin"], 1, "--council CODE"),
        (["pattern", "--council", "HCK"], 1, "give the pattern a title"),
        (["session", "Bins"], 1, "--event"),
        (["council", "ISL"], 1, "--maintainer"),
        (["recipe", "Soup"], 2, "invalid choice: 'recipe'"),
        (["commitment", "Open data", "--council", "HCK", "--principle", "7"], 2, "invalid choice: 7"),
        (["commitment", "Open data", "--council", "HCK", "--status", "done-ish"], 2, "invalid choice: 'done-ish'"),
    ],
)
def test_exit_codes(root: Path, cli: Cli, args: list[str], code: int, message: str) -> None:
    result = new(cli, root, *args)
    assert result.code == code
    assert message in result.err
