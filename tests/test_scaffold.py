"""`commons new`: every scaffold is a valid entry once its TODOs are written (and refused until then), chooses
nothing for its author, never overwrites, keeps a council's own text, and asks before adding a near duplicate."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
import yaml

from commons.analysis.similar_titles import THRESHOLD, score, similar
from commons.content.schema import BY_NAME
from commons.content.schema_line import schema_line
from commons.content.vocabulary import SERVICE_AREAS
from conftest import DECLARATION, PATTERN, Cli, Result, make_repository


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A minimal repository whose one pattern is number 4 and is not called report-a-missed-bin (nor titled like
    it: its title is "Find out which bin goes out this week")."""
    root = make_repository(tmp_path / "repo")
    (root / "patterns" / "report-a-missed-bin.md").unlink()
    (root / "patterns" / "bin-collection-day-lookup.md").write_text(
        PATTERN.replace("id: 1", "id: 4").replace("aliases: [missed-bin-report]", "aliases: []")
        .replace("title: Report a missed bin without an account", "title: Find out which bin goes out this week"),
        encoding="utf-8")
    for rel in ("councils/hackney/council.yml", "councils/hackney/declaration.yml"):
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").replace("report-a-missed-bin", "bin-collection-day-lookup"),
                        encoding="utf-8")
    return root


def new(cli: Cli, root: Path, *args: str) -> Result:
    return cli("--root", str(root), "new", *args)


AREA = ["--service-area", "environmental-and-regulatory"]


def assert_valid(cli: Cli, root: Path, rel: str, whole: bool = True) -> None:
    """The file validates with no problems at all, on its own and as part of the whole repository, once its TODOs
    are written: until then its only problems are E-PLACEHOLDER, one at each TODO, each with a hint."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    todos = len(re.findall(r"\bTODO\b", text))
    result = cli("--root", str(root), "validate", str(path))
    found = re.findall(r"^(\S+?):\d+:\d+: (\w+)\[([A-Z-]+)\]", result.out, re.MULTILINE)
    assert found == [(rel, "error", "E-PLACEHOLDER")] * todos, result.out
    assert result.out.count("    hint: write the ") == todos
    path.write_text(re.sub(r"^TODO: .*$", "Written by its author.",
                           re.sub(r"'TODO: [^']*'", "Written by its author", text), flags=re.MULTILINE),
                    encoding="utf-8")
    for args in (["validate", "--strict", str(path)], ["validate", "--strict"])[: 2 if whole else 1]:
        result = cli("--root", str(root), *args)
        assert result.code == 0, result.out
        assert result.out.endswith("no problems.\n"), result.out


def test_new_pattern(root: Path, cli: Cli) -> None:
    result = new(cli, root, "pattern", "Report a missed bin", "--council", "HCK", *AREA)
    assert (result.code, result.err) == (0, "")
    assert result.out == ("wrote patterns/report-a-missed-bin.md\n"
                          "next: replace each TODO with your own words, then run: commons validate "
                          "patterns/report-a-missed-bin.md\n")
    text = (root / "patterns" / "report-a-missed-bin.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["id"] == 5  # the next free number after the highest, 4
    assert meta["title"] == "Report a missed bin"
    assert meta["councils"] == ["HCK"]
    assert meta["service-area"] == "environmental-and-regulatory"
    assert meta["summary"] == "TODO: one sentence saying what the pattern is and who it helps."
    assert meta["last-reviewed"] == dt.date.today()
    for heading in ("## Problem", "## Solution", "## Evidence", "## Considerations", "### Accessibility",
                    "### Data protection"):
        assert f"\n{heading}\n" in text
    assert_valid(cli, root, "patterns/report-a-missed-bin.md")


def test_pattern_ids_keep_counting_up(root: Path, cli: Cli) -> None:
    (root / "patterns" / "report-a-pothole.md").write_text(
        PATTERN.replace("id: 1", "id: 2").replace("aliases: [missed-bin-report]", "aliases: []"), encoding="utf-8")
    assert new(cli, root, "pattern", "Report fly-tipping", "--council", "HCK", *AREA).code == 0
    assert new(cli, root, "pattern", "Report graffiti", "--council", "hackney", *AREA).code == 0
    ids = [yaml.safe_load((root / "patterns" / f"{slug}.md").read_text().split("---\n")[1])["id"]
           for slug in ("report-fly-tipping", "report-graffiti")]
    assert ids == [5, 6]
    assert_valid(cli, root, "patterns/report-fly-tipping.md", whole=False)
    assert_valid(cli, root, "patterns/report-graffiti.md")


@pytest.mark.parametrize(
    ("args", "rel"),
    [
        (["case-study", "Hackney cut missed-bin calls", "--council", "HCK", "--service-area", "central-services",
          "--email", "waste-digital@hackney.gov.uk"],
         "case-studies/hackney-cut-missed-bin-calls.md"),
        (["playbook", "Procure a case-management system", "--council", "LDS"],
         "playbooks/procure-a-case-management-system.md"),
        (["session", "Can we stop building bin forms?", "--event", "UKGovCamp 2026", "--date", "2026-01-24",
          "--host", "Waste digital team, Hackney", "--council", "HCK"],
         "sessions/ukgovcamp-2026/can-we-stop-building-bin-forms.md"),
        (["session", "Bilingual by default", "--event", "GovCamp Cymru 2025", "--date", "2025-10-11"],
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
    "pattern": (["Report a missed bin", "--council", "HCK", *AREA], "patterns/report-a-missed-bin.md"),
    "case-study": (["Hackney cut missed-bin calls", "--council", "HCK", *AREA, "--email", "bins@hackney.gov.uk"],
                   "case-studies/hackney-cut-missed-bin-calls.md"),
    "playbook": (["Procure a case-management system", "--council", "LDS"],
                 "playbooks/procure-a-case-management-system.md"),
    "council": (["ISL", "--maintainer", "islington-digital"], "councils/islington/council.yml"),
    "commitment": (["Open housing repairs data", "--council", "HCK", "--principle", "3"],
                   "councils/hackney/declaration.yml"),
    "contract": (["--council", "HCK", "--system", "libraries", "--supplier", "Civica", "--product", "Spydus",
                  "--start", "2021-04-01", "--end", "2099-03-31"], "councils/hackney/contracts.yml"),
    "session": (["Bilingual by default", "--event", "GovCamp Cymru 2025", "--date", "2025-10-11", "--host",
                 "Welsh language team, Gwynedd"],
                "sessions/govcamp-cymru-2025/bilingual-by-default.md"),
}


@pytest.mark.parametrize("kind", list(BY_NAME))
def test_every_scaffold_names_its_schema_first(root: Path, cli: Cli, kind: str) -> None:
    args, rel = SCAFFOLDS[kind]
    if kind in ("commitment", "contract"):
        (root / rel).unlink(missing_ok=True)  # a new declaration or contracts.yml, written whole
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
    assert new(cli, root, "commitment", "Send texts through one service", "--council", "HCK",
               "--principle", "1").code == 0
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
        "start": dt.date(2025, 4, 1), "target": dt.date(2026, 3, 31),
        "history": [{"date": today, "status": "in-progress", "note": "Commitment recorded."}]}]}
    assert_valid(cli, root, "councils/hackney/declaration.yml")


@pytest.mark.parametrize("council", ["HCK", "hackney"])
def test_second_commitment_is_appended_keeping_the_text(root: Path, cli: Cli, council: str) -> None:
    path = root / "councils" / "hackney" / "declaration.yml"
    before = path.read_bytes()
    assert b"# Keep this comment" in before
    result = new(cli, root, "commitment", "Send texts through one service", "--council", council, "--principle", "1")
    assert result.code == 0, result.err
    after = path.read_bytes()
    assert after.startswith(before)  # every byte the council wrote, comments included, is kept
    added = after[len(before):].decode("utf-8")
    assert added.startswith("  - id: send-texts-through-one-service\n")  # the list's own indentation
    data = yaml.safe_load(after)
    assert [c["id"] for c in data["commitments"]] == ["open-repairs-data", "send-texts-through-one-service"]
    assert_valid(cli, root, "councils/hackney/declaration.yml")
    # A third one goes after the second.
    assert new(cli, root, "commitment", "Open planning data", "--council", "HCK", "--principle", "3").code == 0
    assert path.read_bytes().startswith(after)
    assert_valid(cli, root, "councils/hackney/declaration.yml")


def test_a_commitment_appended_to_a_windows_file_keeps_its_line_endings(root: Path, cli: Cli) -> None:
    path = root / "councils" / "hackney" / "declaration.yml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    assert new(cli, root, "commitment", "Send texts through one service", "--council", "HCK",
               "--principle", "1").code == 0
    after = path.read_bytes()
    assert after.startswith(before)
    added = after[len(before):]
    assert added.startswith(b"  - id: send-texts-through-one-service\r\n")
    assert b"\n" not in added.replace(b"\r\n", b"")  # no bare line feeds
    assert_valid(cli, root, "councils/hackney/declaration.yml")


def test_commitment_with_an_existing_id_is_refused(root: Path, cli: Cli) -> None:
    path = root / "councils" / "hackney" / "declaration.yml"
    result = new(cli, root, "commitment", "Open repairs data", "--council", "HCK", "--principle", "3")
    assert result.code == 1
    assert result.err == ("commons new: councils/hackney/declaration.yml already has a commitment with id "
                          "'open-repairs-data'\n")
    assert path.read_text(encoding="utf-8") == DECLARATION.replace("report-a-missed-bin", "bin-collection-day-lookup")


def test_commitment_needs_the_council_folder(root: Path, cli: Cli) -> None:
    result = new(cli, root, "commitment", "Open parking data", "--council", "ISL", "--principle", "3")
    assert result.code == 1
    assert "councils/islington/council.yml does not exist yet" in result.err
    assert "commons new council ISL --maintainer" in result.err
    assert not (root / "councils" / "islington").exists()


@pytest.mark.parametrize(
    ("args", "successor"),
    [
        (["pattern", "Report a missed bin", "--council", "AYL", *AREA], "BUC (Buckinghamshire Council)"),
        (["council", "TAU", "--maintainer", "somerset-digital"], "SMT (Somerset Council)"),
        (["commitment", "Open data", "--council", "CMA", "--principle", "3"],
         "CBD (Cumberland Council) or WAF (Westmorland and Furness Council)"),
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
    result = new(cli, root, "pattern", "Report a missed bin", "--council", "Nowhereshire", *AREA)
    assert result.code == 1
    assert result.err == ("commons new: 'Nowhereshire' is not a council in the register; use its code, e.g. HCK "
                          "for Hackney\n")


def test_an_existing_file_is_never_overwritten(root: Path, cli: Cli) -> None:
    assert new(cli, root, "pattern", "Report a missed bin", "--council", "HCK", *AREA).code == 0
    path = root / "patterns" / "report-a-missed-bin.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nMy own words.\n", encoding="utf-8")
    mine = path.read_bytes()
    result = new(cli, root, "pattern", "Report a missed bin", "--council", "HCK", *AREA, "--anyway")
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
        (["pattern", "Report a missed bin", *AREA], 1, "--council CODE"),
        (["pattern", "Report a missed bin", "--council", "HCK"], 2,
         "say which service area it belongs to: --service-area CHOICE, one of: " + ", ".join(SERVICE_AREAS)),
        (["case-study", "Leeds cut calls", "--council", "LDS"], 2, "--service-area CHOICE, one of: education, "),
        (["case-study", "Leeds cut calls", "--council", "LDS", *AREA], 2,
         "--email ADDRESS, a team's or a role's shared mailbox, never a person's"),
        (["session", "Bins", "--event", "UKGovCamp 2026"], 2, "say the day of the session: --date YYYY-MM-DD"),
        (["commitment", "Open data", "--council", "HCK"], 2,
         "--principle N (repeatable), one of: 1 services around users' needs, 2 fix our plumbing, 3 sharing "
         "information, 4 digital leadership, 5 open culture"),
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


# --- Choosing nothing, block style, what it says next --------------------------------------------------------

def test_an_apostrophe_is_dropped_from_the_slug(root: Path, cli: Cli) -> None:
    for title in ("Tell us you're moving home", "Tell us you’re moving home"):  # typed, and pasted from Word
        result = new(cli, root, "pattern", title, "--council", "HCK", *AREA, "--anyway")
        assert result.out.startswith("wrote patterns/tell-us-youre-moving-home.md\n") or \
            "tell-us-youre-moving-home.md already exists" in result.err
    assert [p.name for p in (root / "patterns").glob("tell-us-*")] == ["tell-us-youre-moving-home.md"]


def test_existing_slugs_do_not_change(starter_catalog: object) -> None:
    """Slugs come from file names and the register: an apostrophe rule for new titles moves nothing published."""
    from commons.content.register import load_register
    from commons.content.values import slugify
    from conftest import REGISTER, REPO

    for authority in load_register(REGISTER).by_code.values():  # every council's folder and page name
        assert "'" not in authority.name and "’" not in authority.name
    for event_folder in (REPO / "sessions").iterdir():  # a session's folder is its event's slug
        for f in event_folder.glob("*.md"):
            event = yaml.safe_load(f.read_text(encoding="utf-8").split("---\n")[1])["event"]
            assert slugify(event) == event_folder.name


def test_scaffolds_are_block_style(root: Path, cli: Cli) -> None:
    assert new(cli, root, "playbook", "Procure a case-management system", "--council", "LDS").code == 0
    text = (root / "playbooks" / "procure-a-case-management-system.md").read_text(encoding="utf-8")
    assert "{" not in text  # no object written in braces
    assert "steps:\n  - title: 'TODO: the first step'\n    detail: 'TODO: what doing it well" in text
    assert_valid(cli, root, "playbooks/procure-a-case-management-system.md")


def test_a_session_names_its_hosts(root: Path, cli: Cli) -> None:
    result = new(cli, root, "session", "Bins", "--event", "UKGovCamp 2026", "--date", "2026-01-24",
                 "--host", "Waste digital team, Hackney", "--host", "@leeds-bins")
    assert result.code == 0, result.err
    meta = yaml.safe_load((root / "sessions/ukgovcamp-2026/bins.md").read_text(encoding="utf-8").split("---\n")[1])
    assert (meta["date"], meta["hosts"]) == (dt.date(2026, 1, 24), ["Waste digital team, Hackney", "@leeds-bins"])


def test_it_says_fill_in_the_todos_only_when_there_are_some(root: Path, cli: Cli) -> None:
    result = new(cli, root, "council", "ISL", "--maintainer", "islington-digital")
    assert result.out == ("wrote councils/islington/council.yml\n"
                          "next: run: commons validate councils/islington/council.yml\n")
    result = new(cli, root, "commitment", "Open parking data", "--council", "HCK", "--principle", "3")
    assert "TODO" not in result.out and "TODO" not in (root / "councils/hackney/declaration.yml").read_text()
    result = new(cli, root, "session", "Bins", "--event", "UKGovCamp 2026", "--date", "2026-01-24")
    assert result.out.endswith("next: replace each TODO with your own words, then run: commons validate "
                               "sessions/ukgovcamp-2026/bins.md\n")  # its hosts


# --- Near-duplicates ----------------------------------------------------------------------------------------

def test_a_near_duplicate_pattern_is_refused_unless_anyway(repo: Path, cli: Cli) -> None:
    files = sorted(p for p in repo.rglob("*") if p.is_file())
    result = new(cli, repo, "pattern", "Report a missed bin collection", "--council", "HCK", *AREA)
    assert (result.code, result.out) == (1, "")
    assert result.err == ("commons new: the commons already has a pattern like “Report a missed bin collection”:\n"
                          "  patterns/report-a-missed-bin.md: Report a missed bin without an account\n"
                          "nothing was written\n"
                          "    hint: could you improve that one instead? If yours is a different pattern, run the "
                          "same command with --anyway\n")
    assert sorted(p for p in repo.rglob("*") if p.is_file()) == files
    result = new(cli, repo, "pattern", "Report a missed bin collection", "--council", "HCK", *AREA, "--anyway")
    assert result.code == 0, result.err
    assert (repo / "patterns" / "report-a-missed-bin-collection.md").is_file()


def test_a_different_pattern_is_not_held_up(repo: Path, cli: Cli) -> None:
    result = new(cli, repo, "pattern", "Report a pothole", "--council", "HCK", "--service-area",
                 "highways-and-transport")
    assert result.code == 0, result.err


@pytest.mark.parametrize(("new_title", "existing", "near"), [
    ("Report a missed bin collection", "Report a missed bin without an account", True),
    ("report a MISSED bin, without an account!", "Report a missed bin without an account", True),
    ("Report missed bins without accounts", "Report a missed bin without an account", True),
    ("Report a mised bin without an acount", "Report a missed bin without an account", True),  # misspelt
    ("Report a pothole", "Report a missed bin without an account", False),
    ("Report a pothole", "Report a pothole on a map", True),
    ("Tell us once when you move", "Tell us once when someone dies", False),
    ("Apply for a blue badge", "Apply for a resident parking permit online", False),
])
def test_the_threshold(new_title: str, existing: str, near: bool) -> None:
    assert (score(new_title, existing) >= THRESHOLD) is near
    assert bool(similar(new_title, [("patterns/x.md", existing)])) is near


def test_no_two_starter_patterns_are_near_duplicates(starter_catalog: object) -> None:
    """The threshold leaves the commons' own patterns apart: nothing published would have been held up."""
    titles = [(p.path, p.title) for p in starter_catalog.patterns.values()]  # type: ignore[attr-defined]
    assert len(titles) > 10
    for (_, a), (_, b) in itertools.combinations(titles, 2):
        assert score(a, b) < THRESHOLD, (a, b)
