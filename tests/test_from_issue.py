"""`commons from-issue`: an issue form's body, exactly as GitHub writes it, becomes a change that validates, or
problems said for the form, with nothing written.

The bodies are in tests/issue-bodies/<form>/<case>.md. Each runs in a real git repository made from this
repository's register and content, through the real command line.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from commons.commands.from_issue import changes
from commons.commands.new import scaffold
from commons.commands.schema.forms import FORMS, FORMS_DIR, form_data
from commons.content.schema import CONTENT_FOLDERS
from commons.markdown_text import markdown_text
from conftest import PATTERN, Cli, Result

REPO = Path(__file__).resolve().parents[1]
BODIES = REPO / "tests" / "issue-bodies"
FIX = "Edit this issue to fix them; the change will be made again when you save it."


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=root,
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding this repository's register and content, committed."""
    root = tmp_path_factory.mktemp("from-issue") / "base"
    (root / "data").mkdir(parents=True)
    shutil.copyfile(REPO / "data" / "uk-local-authorities.csv", root / "data" / "uk-local-authorities.csv")
    for top in CONTENT_FOLDERS:
        shutil.copytree(REPO / top, root / top)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "content")
    return root


@pytest.fixture
def clone(base: Path, tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    git(tmp_path, "clone", "-q", str(base), str(root))
    return root


def changed(root: Path) -> list[str]:
    """Every file git sees added or modified in the working tree."""
    out = git(root, "status", "--porcelain", "--untracked-files=all")
    return sorted(line[3:] for line in out.splitlines())


def from_issue(cli: Cli, root: Path, form: str, body: Path, author: str = "council-officer", issue: str = "7"
               ) -> tuple[Result, str, str]:
    """Run the command on `body` as the workflow does; its result, the --summary and the --title written."""
    out = root.parent / "out"
    out.mkdir(exist_ok=True)
    summary, title = out / "summary.md", out / "title.txt"
    for f in (summary, title):
        f.unlink(missing_ok=True)
    args = ["--root", str(root), "from-issue", "--form", form, "--body", str(body), "--author", author,
            "--summary", str(summary), "--title", str(title)]
    result = cli(*args, *(["--issue", issue] if issue else []))
    read = lambda f: f.read_text(encoding="utf-8") if f.exists() else ""  # noqa: E731
    return result, read(summary), read(title)


def validates(cli: Cli, root: Path, paths: list[str]) -> None:
    result = cli("--root", str(root), "validate", *[str(root / p) for p in paths])
    assert result.code == 0, result.out


def body(form: str, case: str) -> Path:
    return BODIES / form / f"{case}.md"


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


# --- Every form, end to end -----------------------------------------------------------------------------------

def test_every_form_has_bodies_and_every_body_a_form() -> None:
    stems = {f.stem for f in FORMS}
    assert {p.name for p in BODIES.iterdir() if p.is_dir()} == stems
    for stem in stems:
        assert (BODIES / stem / "complete.md").is_file(), stem
    on_disk = {p.stem for p in (REPO / FORMS_DIR).glob("*.yml") if p.name != "config.yml"}
    assert on_disk == stems


TITLES = {
    "propose-a-pattern": "New pattern: Report a fly-tipping spot from a map",
    "add-a-case-study": "New case study: Leeds booked bulky waste collections online",
    "add-a-commitment": "New commitment for Hackney: Tell tenants when a repair is booked",
    "update-a-commitment": "Commitment update for Hackney: Let tenants send photos with every repair report (done)",
    "join-the-commons": "Southwark joins the commons",
    "record-a-contract": "New contract for Hackney: libraries (Axiell)",
}


@pytest.mark.parametrize("form", sorted(TITLES))
def test_a_complete_form_writes_a_change_that_validates(cli: Cli, clone: Path, form: str) -> None:
    result, summary, title = from_issue(cli, clone, form, body(form, "complete"))
    assert result.code == 0, result.out + result.err
    files = changed(clone)
    assert files and all(f.split("/")[0] in CONTENT_FOLDERS for f in files)
    validates(cli, clone, files)
    assert title == TITLES[form] + "\n"
    assert summary.endswith("This change is for @council-officer, who opened #7.\n\nCloses #7\n")
    bullets = [line[2:] for line in summary.splitlines() if line.startswith("- ")]
    plain = [re.sub(r"\*\*|\*|</?code>|&#8203;", "", b).replace("\\#", "#") for b in bullets]
    assert plain == result.out.splitlines()  # the printed summary is the description's, without the Markdown


def test_a_new_pattern_gets_the_next_number_and_the_answers(cli: Cli, clone: Path) -> None:
    numbers = [front_matter(p)["id"] for p in (clone / "patterns").glob("*.md")]
    result, summary, _ = from_issue(cli, clone, "propose-a-pattern", body("propose-a-pattern", "complete"))
    assert result.code == 0
    assert changed(clone) == ["patterns/report-a-fly-tipping-spot-from-a-map.md"]
    path = clone / "patterns" / "report-a-fly-tipping-spot-from-a-map.md"
    meta = front_matter(path)
    assert meta["id"] == max(numbers) + 1 and f"p/{meta['id']}/" in summary
    assert (meta["service-area"], meta["status"], meta["lgsl"], meta["tags"]) == (
        "environmental-and-regulatory", "beta", [524], ["waste", "maps"])
    text = path.read_text(encoding="utf-8")
    assert "## Considerations\n\n### Accessibility\n\nOffer an address search" in text
    assert "found **nine in ten** reports" in text  # Markdown in an answer is kept as Markdown


def test_crlf_gives_the_same_change(cli: Cli, base: Path, tmp_path: Path) -> None:
    assert b"\r\n" in body("propose-a-pattern", "crlf").read_bytes()
    written = []
    for case in ("complete", "crlf"):
        root = tmp_path / case / "repo"
        git(tmp_path, "clone", "-q", str(base), str(root))
        assert from_issue(cli, root, "propose-a-pattern", body("propose-a-pattern", case))[0].code == 0
        written.append({f: (root / f).read_bytes() for f in changed(root)})
    assert written[0] == written[1] and b"\r" not in next(iter(written[0].values()))


def test_blank_answers_leave_their_fields_out(cli: Cli, clone: Path) -> None:
    result, _, _ = from_issue(cli, clone, "propose-a-pattern", body("propose-a-pattern", "blanks"))
    assert result.code == 0, result.out
    meta = front_matter(clone / "patterns" / "book-a-bulky-waste-collection.md")
    assert not {"lgsl", "tags", "related"} & set(meta) and meta["councils"] == ["LDS"]
    assert "_No response_" not in (clone / "patterns" / "book-a-bulky-waste-collection.md").read_text()


def test_markdown_in_answers_stays_in_the_entry_and_is_escaped_in_the_summary(cli: Cli, clone: Path) -> None:
    result, summary, title = from_issue(cli, clone, "propose-a-pattern", body("propose-a-pattern", "markdown"))
    assert result.code == 0, result.out
    path = clone / "patterns" / "check-a-planning-decision-by-reference.md"
    meta = front_matter(path)
    assert meta["title"] == "Check a **planning** decision by `reference`" and meta["tags"] == ["planning", "search"]
    text = path.read_text(encoding="utf-8")
    assert "## Solution\n\n### Step one\n\nA search" in text and "1. the search needs" in text
    assert f"**{markdown_text(meta['title'])}**" in summary and "**planning**" not in summary
    assert title == "New pattern: Check a **planning** decision by `reference`\n"  # a title is plain text


def test_hostile_text_is_data_and_mentions_nobody(cli: Cli, clone: Path) -> None:
    result, summary, title = from_issue(cli, clone, "propose-a-pattern", body("propose-a-pattern", "hostile-text"))
    assert result.code == 0, result.out
    assert changed(clone) == ["patterns/github-workflows-x-octocat.md"]  # a slug, never a path
    assert not (clone / ".github").exists()
    meta = front_matter(clone / "patterns" / "github-workflows-x-octocat.md")
    assert meta["title"] == "../../.github/workflows/x @octocat" and meta["status"] == "beta"
    assert "@octocat" not in summary and "@council-officer" in summary
    assert "](" not in summary.replace("](http", "") and "https://" not in summary
    assert "\n" not in title.rstrip("\n") and len(title) <= 121


def test_hostile_markup_is_refused_for_the_form_and_nothing_is_written(cli: Cli, clone: Path) -> None:
    result, comment, title = from_issue(cli, clone, "propose-a-pattern", body("propose-a-pattern",
                                                                               "hostile-markup"))
    assert result.code == 1 and changed(clone) == [] and title == ""
    assert "- *Problem*: " in result.out and "- *Evidence*: " in result.out
    assert "- *Considerations: Accessibility*: links to javascript: addresses are not allowed" in result.out
    assert comment.startswith("## The change could not be made yet") and comment.rstrip().endswith(FIX)
    assert "<script" not in comment and "<img" not in comment and "onerror" in comment
    assert not re.search(r"[\w/.-]+\.(md|yml):\d", result.out + comment)  # no file paths or lines


def test_a_yaml_control_line_in_an_answer_is_only_text(cli: Cli, clone: Path) -> None:
    result, _, _ = from_issue(cli, clone, "propose-a-pattern", body("propose-a-pattern", "yaml-looking"))
    assert result.code == 0, result.out
    path = clone / "patterns" / "publish-bin-rounds-as-open-data.md"
    meta = front_matter(path)
    assert meta["status"] == "proposed" and meta["councils"] == ["HCK"] and "id" in meta
    assert "status: live\ncouncils: [LDS]\n---\nid: 1" in path.read_text(encoding="utf-8").split("## Solution")[1]


def test_control_characters_are_refused_by_the_form(cli: Cli, clone: Path) -> None:
    text = body("propose-a-pattern", "complete").read_text(encoding="utf-8")
    hostile = clone.parent / "control.md"
    hostile.write_text(text.replace("Residents drop a pin", "Residents\x07 drop \u202ea pin"), encoding="utf-8")
    result, comment, _ = from_issue(cli, clone, "propose-a-pattern", hostile)
    assert result.code == 1 and changed(clone) == []
    assert "*Summary*" in result.out and "\x07" not in comment and "\u202e" not in comment


def test_wrong_answers_are_all_said_for_the_form(cli: Cli, clone: Path) -> None:
    result, comment, _ = from_issue(cli, clone, "propose-a-pattern", body("propose-a-pattern", "wrong-answers"))
    assert result.code == 1 and changed(clone) == []
    labels = re.findall(r"^- \*([^*]+)\*:", result.out, re.MULTILINE)
    assert labels == ["Service area", "LGSL", "Evidence", "Before you submit", "Related"]
    assert "“Environmental and regulatory”" in result.out and "five hundred" in result.out
    assert "a-pattern-that-does-not-exist" in comment and comment.rstrip().endswith(FIX)


def test_a_huge_body_is_refused_with_its_size(cli: Cli, clone: Path) -> None:
    huge = clone.parent / "huge.md"
    text = body("propose-a-pattern", "complete").read_text(encoding="utf-8")
    huge.write_text(text.replace("### Problem\n\n", "### Problem\n\n" + "Words. " * 12000), encoding="utf-8")
    assert huge.stat().st_size > 64 * 1024
    result, comment, _ = from_issue(cli, clone, "propose-a-pattern", huge)
    assert result.code == 1 and changed(clone) == []
    assert "limit is 64 KB" in result.out and "limit is 64 KB" in comment


# --- Case studies --------------------------------------------------------------------------------------------

def test_outcomes_and_links_are_one_a_line(cli: Cli, clone: Path) -> None:
    result, _, _ = from_issue(cli, clone, "add-a-case-study", body("add-a-case-study", "complete"))
    assert result.code == 0, result.out
    path = clone / "case-studies" / "leeds-booked-bulky-waste-collections-online.md"
    meta = front_matter(path)
    assert meta["outcomes"] == [
        {"measure": "Phone bookings", "before": 3200, "after": 900, "unit": "bookings per month",
         "period": "2025 against 2024", "illustrative": True},
        {"measure": "Same-week collections", "before": 40, "after": 75.5, "unit": "percent of bookings",
         "period": "2025 against 2024"}]
    assert [link["url"] for link in meta["links"]] == ["https://www.leeds.example/bulky-waste",
                                                       "https://blog.leeds.example/bulky"]
    assert meta["contact"] == {"role": "Waste services digital team", "email": "waste-digital@leeds.example"}
    assert path.read_text(encoding="utf-8").endswith("## What we learned\n\nResidents wanted a **date**, "
                                                     "not a window.\n")


def test_yaml_in_a_form_gets_the_line_format_explained(cli: Cli, clone: Path) -> None:
    result, comment, _ = from_issue(cli, clone, "add-a-case-study", body("add-a-case-study", "yaml-looking"))
    assert result.code == 1 and changed(clone) == []
    assert "*Outcomes*: line 1 has 1 part; write each on its own line as: measure | before | after" in result.out
    assert "*Links*: line 1 has 1 part; write each on its own line as: title | url" in result.out
    assert "*Date*: write it as YYYY-MM-DD, for example 2025-11-03 (you wrote “last autumn”)" in result.out
    assert "*Contact: email*:" in result.out and "&#124;" in comment


# --- Commitments ---------------------------------------------------------------------------------------------

def test_a_new_commitment_is_appended_line_by_line(cli: Cli, clone: Path) -> None:
    path = clone / "councils" / "hackney" / "declaration.yml"
    before = path.read_text(encoding="utf-8")
    result, summary, _ = from_issue(cli, clone, "add-a-commitment", body("add-a-commitment", "complete"),
                                    author="not-a-hackney-maintainer")  # approval is enforced elsewhere
    assert result.code == 0, result.out
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)
    new = yaml.safe_load(after)["commitments"][-1]
    assert (new["id"], new["principles"], new["partners"]) == (
        "tell-tenants-when-a-repair-is-booked", [1, 3], ["ISL"])
    assert "status" not in new  # stated once, by its update
    assert [(h["status"], h["note"]) for h in new["history"]] == [
        ("in-progress", "Discovery started with the repairs team.")]
    assert "*Tell tenants when a repair is booked*: in progress" in summary


@pytest.mark.parametrize(("case", "expected"), [
    ("bad-target", "- *Commitment: target*: write it as YYYY-MM-DD, for example 2026-03-31 (you wrote “next March”)"),
    ("taken-id", "- *Commitment: ID*: Leeds already has a commitment with the ID “bin-days-open-api”"),
    ("not-joined", "- *Council code*: Southwark has not joined the commons yet: use the Join the commons form"),
])
def test_a_new_commitment_that_cannot_be_made(cli: Cli, clone: Path, case: str, expected: str) -> None:
    result, comment, _ = from_issue(cli, clone, "add-a-commitment", body("add-a-commitment", case))
    assert result.code == 1 and changed(clone) == []
    assert expected in result.out and comment.rstrip().endswith(FIX)


def test_an_update_appends_a_dated_entry_and_sets_the_status(cli: Cli, clone: Path) -> None:
    path = clone / "councils" / "hackney" / "declaration.yml"
    before = path.read_text(encoding="utf-8").splitlines()
    result, summary, _ = from_issue(cli, clone, "update-a-commitment", body("update-a-commitment", "complete"))
    assert result.code == 0, result.out
    after = path.read_text(encoding="utf-8").splitlines()
    gone = [line for line in before if line not in after]
    assert gone == ["    status: in-progress"] and len(after) == len(before) + 4  # the status line, and 4 added
    commitment = next(c for c in yaml.safe_load("\n".join(after))["commitments"]
                      if c["id"] == "repairs-photos-all-trades")
    assert commitment["status"] == "done"
    assert commitment["history"][-1] == {
        "date": commitment["history"][-1]["date"], "status": "done",
        "note": 'Photos can now be sent with every kind of repair: "plumbing: yes", electrics & roofing.',
        "evidence": "https://services.hackney.example/repairs"}
    assert str(commitment["history"][-1]["date"]) == "2026-11-02"
    assert "*Let tenants send photos with every repair report*: in progress → done." in summary


@pytest.mark.parametrize(("case", "expected"), [
    ("unknown-id", "- *Commitment: ID*: Hackney has no commitment with the ID “open-repairs-dta”. Its page shows "
                   "each commitment's ID; they are: “open-repairs-data”"),
    ("date-before-history", "- *Update: date*: write a date on or after {latest}, the date of the latest update"),
])
def test_an_update_that_cannot_be_made(cli: Cli, clone: Path, case: str, expected: str) -> None:
    commitments = yaml.safe_load((clone / "councils/hackney/declaration.yml").read_text(encoding="utf-8"))
    latest = next(c for c in commitments["commitments"] if c["id"] == "repairs-photos-all-trades")["history"][-1]
    expected = expected.format(latest=latest["date"])
    result, _, _ = from_issue(cli, clone, "update-a-commitment", body("update-a-commitment", case))
    assert result.code == 1 and changed(clone) == []
    assert expected in result.out


# --- Joining ---------------------------------------------------------------------------------------------------

def test_the_author_of_a_joining_becomes_its_first_maintainer(cli: Cli, clone: Path) -> None:
    result, summary, _ = from_issue(cli, clone, "join-the-commons", body("join-the-commons", "complete"))
    assert result.code == 0, result.out
    assert changed(clone) == ["councils/southwark/council.yml", "councils/southwark/declaration.yml"]
    profile = yaml.safe_load((clone / "councils/southwark/council.yml").read_text(encoding="utf-8"))
    assert profile["code"] == "SWK"
    assert profile["maintainers"] == ["council-officer", "southwark-digital", "southwark-data"]
    assert [a["pattern"] for a in profile["adopted"]] == ["report-a-missed-bin", "bin-collection-day-lookup"]
    assert yaml.safe_load((clone / "councils/southwark/declaration.yml").read_text())["commitments"] == []
    assert "@council-officer" in summary  # the author, by the login GitHub gave
    assert "@southwark-digital" not in summary  # names from the answers mention nobody


@pytest.mark.parametrize(("case", "expected"), [
    ("already-joined", "- *Council code*: Hackney has already joined the commons"),
    ("abolished", "- *Council code*: Taunton Deane was abolished on 2019-03-31: write its successor's code"),
])
def test_a_joining_that_cannot_be_made(cli: Cli, clone: Path, case: str, expected: str) -> None:
    result, _, _ = from_issue(cli, clone, "join-the-commons", body("join-the-commons", case))
    assert result.code == 1 and changed(clone) == []
    assert expected in result.out


# --- The command line -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "expected"), [
    (["--form", "propose-a-thing"], "there is no issue form 'propose-a-thing'"),
    (["--author", "dependabot[bot]"], "'dependabot[bot]' is not a GitHub login of a person"),
    (["--author", "-leading-hyphen"], "is not a GitHub login"),
    (["--issue", "0"], "is not an issue number"),
    (["--body", "no-such-file.md"], "cannot be read"),
])
def test_usage_errors(cli: Cli, clone: Path, args: list[str], expected: str) -> None:
    given = {"--form": "propose-a-pattern", "--body": str(body("propose-a-pattern", "complete")),
             "--author": "council-officer"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        given[flag] = value
    flat = [f"{flag}={value}" for flag, value in given.items()]
    result = cli("--root", str(clone), "from-issue", *flat)
    assert result.code == 2 and expected in result.err and changed(clone) == []
    if "--form" in args:
        assert all(f.stem in result.err for f in FORMS)


def test_without_an_issue_the_description_has_no_closing_line(cli: Cli, clone: Path) -> None:
    result, summary, _ = from_issue(cli, clone, "join-the-commons", body("join-the-commons", "complete"), issue="")
    assert result.code == 0 and summary.endswith("This change is for @council-officer.\n")
    assert "Closes" not in summary


# --- Every form round-trips ---------------------------------------------------------------------------------------

def placeholder_body(form_name: str) -> str:
    """The body GitHub would write for the form filled in with its own examples: each item's placeholder (a text
    area without one gets its description), a dropdown's first option, every box ticked."""
    form = next(f for f in FORMS if f.stem == form_name)
    parts = []
    for item in form_data(form)["body"]:
        a = item["attributes"]
        if item["type"] == "markdown":
            continue
        if item["type"] == "checkboxes":
            answer = "\n".join(f"- [X] {o['label']}" for o in a["options"])
        elif item["type"] == "dropdown":
            answer = a["options"][0]
        else:
            answer = a.get("placeholder") or (a["description"] if item["type"] == "textarea" else "_No response_")
        parts.append(f"### {a['label']}\n\n{answer}")
    return "\n\n".join(parts) + "\n"


# The state of the commons the forms' examples speak of: the patterns they name exist; for a commitment,
# Hackney (HCK, the examples' council) has joined, and for an update it has the example commitment, started
# before the example update. Joining needs a commons Hackney has not joined yet.
HACKNEY = "code: HCK\nmaintainers: [hackney-digital]\nwebsite: https://hackney.gov.uk\n"
OPEN_REPAIRS_DATA = """\
commitments:
  - id: open-repairs-data
    title: Open housing repairs data
    principles: [3]
    status: in-progress
    start: 2025-04-01
    history:
      - {date: 2025-04-01, status: in-progress, note: Started.}
"""


def example_commons(root: Path, form: str) -> None:
    (root / "data").mkdir(parents=True)
    shutil.copyfile(REPO / "data" / "uk-local-authorities.csv", root / "data" / "uk-local-authorities.csv")
    shutil.copytree(REPO / "patterns", root / "patterns")
    (root / "patterns" / "open-repairs-data.md").write_text(
        PATTERN.replace("id: 1\n", "id: 999\n").replace("aliases: [missed-bin-report]", "aliases: []"),
        encoding="utf-8")
    if form != "join-the-commons":
        (root / "councils" / "hackney").mkdir(parents=True)
        (root / "councils" / "hackney" / "council.yml").write_text(HACKNEY, encoding="utf-8")
    if form == "update-a-commitment":
        (root / "councils" / "hackney" / "declaration.yml").write_text(OPEN_REPAIRS_DATA, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the examples' commons")


@pytest.mark.parametrize("form", [f.stem for f in FORMS])
def test_every_form_filled_with_its_own_examples_converts_and_validates(cli: Cli, tmp_path: Path,
                                                                       form: str) -> None:
    root = tmp_path / "repo"
    example_commons(root, form)
    filled = tmp_path / "body.md"
    filled.write_text(placeholder_body(form), encoding="utf-8")
    result, summary, title = from_issue(cli, root, form, filled)
    assert result.code == 0, result.out
    files = changed(root)
    assert files
    validates(cli, root, files)
    assert title.strip() and "Closes #7" in summary


def test_council_codes_may_be_written_in_small_letters(cli: Cli, clone: Path) -> None:
    text = body("propose-a-pattern", "complete").read_text(encoding="utf-8").replace("\nHCK\n", "\nhck\n")
    lower = clone.parent / "lower.md"
    lower.write_text(text, encoding="utf-8")
    result, _, _ = from_issue(cli, clone, "propose-a-pattern", lower)
    assert result.code == 0, result.out
    assert front_matter(clone / "patterns" / "report-a-fly-tipping-spot-from-a-map.md")["councils"] == ["HCK"]


def test_a_value_in_a_problem_is_never_taken_for_the_field(cli: Cli, clone: Path) -> None:
    text = body("propose-a-pattern", "complete").read_text(encoding="utf-8").replace("\nHCK\n", "\nzzz\n")
    wrong = clone.parent / "wrong.md"
    wrong.write_text(text, encoding="utf-8")
    result, _, _ = from_issue(cli, clone, "propose-a-pattern", wrong)
    assert result.code == 1 and changed(clone) == []
    assert "- *Councils*: 'ZZZ' is not a council code" in result.out


@pytest.mark.parametrize("path", sorted((REPO / FORMS_DIR).glob("*.yml")), ids=lambda p: p.name)
def test_no_form_asks_for_yaml_and_each_has_its_own_label(path: Path) -> None:
    if path.name == "config.yml":
        return
    form = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert f"form/{path.stem}" in form["labels"]
    intro = form["body"][0]["attributes"]["value"]
    assert "opened for you automatically" in intro and "turns this form" not in intro
    for item in form["body"][1:]:
        a = item["attributes"]
        assert "render" not in a
        assert "yaml" not in (a.get("description", "") + a.get("placeholder", "")).lower(), a["label"]
        assert not re.search(r"\bTODO\b|\be\.g\.", a.get("placeholder", "")), a["label"]


def test_a_write_that_fails_part_way_puts_everything_back(clone: Path) -> None:
    from commons.commands.from_issue.apply import write_change
    from commons.commands.from_issue.changes import Change
    from commons.errors import CommonsError

    declaration = clone / "councils" / "hackney" / "declaration.yml"
    before = declaration.read_bytes()
    # The second file cannot be written: where its temporary copy goes is a folder.
    (clone / "councils" / "southwark").mkdir()
    (clone / "councils" / "southwark" / "council.yml.from-issue-tmp").mkdir()
    change = Change({"councils/hackney/declaration.yml": "commitments: []\n",
                     "councils/southwark/council.yml": "code: SWK\n"})
    with pytest.raises(CommonsError, match="nothing was changed"):
        write_change(clone, change)
    assert declaration.read_bytes() == before and not (clone / "councils" / "southwark" / "council.yml").exists()


# --- Near-duplicates -----------------------------------------------------------------------------------------

DIFFERENT = "### How is it different from a pattern the commons has?\n\n"


def near_duplicate(tmp_path: Path, why: str = "_No response_") -> Path:
    text = body("propose-a-pattern", "complete").read_text(encoding="utf-8")
    text = text.replace("Report a fly-tipping spot from a map", "Report a missed bin collection")
    text = text.replace(DIFFERENT + "_No response_", DIFFERENT + why)
    assert "Report a missed bin collection" in text and DIFFERENT + why in text
    path = tmp_path / "near-duplicate.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_near_duplicate_pattern_is_a_problem_the_author_can_answer(cli: Cli, clone: Path, tmp_path: Path) -> None:
    result, comment, _ = from_issue(cli, clone, "propose-a-pattern", near_duplicate(tmp_path))
    assert result.code == 1 and changed(clone) == []
    assert ("- *How is it different from a pattern the commons has?*: the commons already has a pattern like this: "
            "“Report a missed bin without an account” (on the site at patterns/report-a-missed-bin/). Could you "
            "improve it instead? If yours is a different pattern, say how in this answer and save the issue"
            ) in result.out
    assert "patterns/report-a-missed-bin.md" not in result.out  # said for the form: no file paths
    assert comment.rstrip().endswith(FIX)


def test_saying_how_it_differs_lets_the_pattern_through(cli: Cli, clone: Path, tmp_path: Path) -> None:
    why = "Ours is for trade waste collections, which businesses report with an account number."
    result, summary, _ = from_issue(cli, clone, "propose-a-pattern", near_duplicate(tmp_path, why))
    assert result.code == 0, result.out
    assert changed(clone) == ["patterns/report-a-missed-bin-collection.md"]
    assert "Its author says how it differs from the similar pattern *Report a missed bin without an account*: " \
           "Ours is for trade waste collections" in summary
    assert why not in (clone / "patterns/report-a-missed-bin-collection.md").read_text(encoding="utf-8")



# One YAML style: what an issue form writes is laid out as `commons new` writes it (scaffold.BlockDumper)


def _commitment(note: str) -> dict[str, Any]:
    return {"commitments": [{"id": "open-repairs-data", "principles": [3, 5], "start": "2026-01-24", "partners": [],
                             "history": [{"date": dt.date(2026, 1, 24), "status": "planned", "note": note}]}]}


def test_an_issue_form_writes_yaml_as_commons_new_does_without_folding_lines() -> None:
    short = _commitment("Discovery started.")
    block = ("commitments:\n"
             "  - id: open-repairs-data\n"
             "    principles: [3, 5]\n"
             "    start: 2026-01-24\n"
             "    partners: []\n"
             "    history:\n"
             "      - date: 2026-01-24\n"
             "        status: planned\n"
             "        note: Discovery started.\n")
    assert changes.dump(short) == scaffold.dump(short) == block
    # An issue's answer stays on one line however long; `commons new` folds at 100 characters. Both read back.
    note = "We " + "published the repairs data again " * 6 + "on Monday."
    one_line = changes.dump(_commitment(note))
    assert one_line == block.replace("Discovery started.", note)
    folded = scaffold.dump(_commitment(note))
    assert len(folded.splitlines()) > len(one_line.splitlines())
    for text in (one_line, folded):
        (read,) = yaml.safe_load(text)["commitments"]
        assert (read["history"][0]["note"], read["start"]) == (note, dt.date(2026, 1, 24))  # the date written plain
    # No anchors, even when one object appears twice.
    shared = {"title": "Weeknote", "url": "https://example.org/"}
    assert "&" not in changes.dump({"links": [shared, shared]})
