"""`commons similar`: the nearest entries to a file or a title, as text or JSON, run as the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from commons.analysis.corpus import load_docs
from commons.analysis.similarity import Index
from conftest import REPO, Cli


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's own content, so the cache is written there, not in the clone."""
    root = tmp_path_factory.mktemp("starter")
    for folder in ("data", "patterns", "case-studies", "councils"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def test_a_paraphrased_title_finds_the_pattern_first(cli: Cli, starter: Path) -> None:
    r = cli("--root", str(starter), "similar", "--title", "Tell us your bin wasn't emptied", "--type", "pattern",
            "--format", "json")
    assert r.code == 0, r.err
    found = json.loads(r.out)
    assert found[0]["type"] == "pattern"
    assert found[0]["slug"] == "report-a-missed-bin"
    assert found[0]["title"] == "Report a missed bin without an account"
    scores = [f["score"] for f in found]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1
    assert len(found) <= 10


def test_json_names_a_commitment_by_council_and_id_and_type_filters(cli: Cli, starter: Path) -> None:
    r = cli("--root", str(starter), "similar", "--title", "Send blue badge renewal reminders",
            "--type", "commitment", "--format", "json", "--limit", "3")
    found = json.loads(r.out)
    assert 1 <= len(found) <= 3
    assert {f["type"] for f in found} == {"commitment"}
    assert set(found[0]) == {"type", "council", "id", "title", "score", "path"}
    assert (found[0]["council"], found[0]["id"]) == ("BST", "blue-badge-renewal-reminders")


def test_an_entry_file_is_compared_without_itself(cli: Cli, starter: Path) -> None:
    r = cli("--root", str(starter), "similar", str(starter / "patterns" / "report-a-missed-bin.md"),
            "--format", "json")
    found = json.loads(r.out)
    assert "report-a-missed-bin" not in [f.get("slug") for f in found]
    assert "hackney-missed-bin-reports-without-an-account" in [f.get("slug") for f in found[:3]]  # its case study


def test_a_declaration_lists_the_nearest_for_each_commitment(cli: Cli, starter: Path) -> None:
    r = cli("--root", str(starter), "similar", str(starter / "councils" / "hackney" / "declaration.yml"),
            "--limit", "2")
    assert r.code == 0, r.err
    assert "HCK/open-repairs-data: Publish housing repairs data openly every week\n" in r.out
    assert "ISL/repairs-data-like-hackney" in r.out
    one = cli("--root", str(starter), "similar", str(starter / "councils" / "hackney" / "declaration.yml"),
              "--id", "open-repairs-data", "--format", "json")
    rows = json.loads(one.out)
    assert {row["for"] for row in rows} == {"HCK/open-repairs-data"}
    assert ("ISL", "repairs-data-like-hackney") in [(row.get("council"), row.get("id")) for row in rows]


def test_text_output_matches_the_engine(cli: Cli, starter: Path) -> None:
    r = cli("--root", str(starter), "similar", "--title", "Apply for a blue badge", "--limit", "3")
    index = Index.build(load_docs(starter))
    from commons.analysis.similarity import Doc
    expected = index.nearest(Doc("", "", "Apply for a blue badge"), 3)
    lines = r.out.splitlines()
    assert len(lines) == len(expected) == 3
    for line, m in zip(lines, expected, strict=True):
        assert line.startswith(f"{m.score:.2f}  {m.doc.type}")
        assert m.doc.title in line


@pytest.mark.parametrize(("args", "says"), [
    ((), "give either an entry file (PATH) or --title TEXT"),
    (("--title", "x", "patterns/report-a-missed-bin.md"), "not both or neither"),
    (("--title", "  "), "--title is empty"),
    (("--title", "x", "--limit", "0"), "--limit must be 1 or more"),
    (("--title", "x", "--id", "y"), "--id goes with a declaration.yml"),
    (("patterns/report-a-missed-bin.md", "--summary", "y"), "--summary goes with --title"),
    (("patterns",), "patterns is a folder"),
    (("councils/hackney/council.yml",), "is a council; commons similar compares"),
    (("patterns/no-such-pattern.md",), "does not exist"),
    (("/etc/passwd",), "is not inside the repository"),
])
def test_usage_errors_are_said_plainly(cli: Cli, repo: Path, args: tuple[str, ...], says: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    r = cli("--root", str(repo), "similar", *args)
    assert r.code == 2
    assert says in r.err
    assert "Traceback" not in r.err


def test_a_file_that_cannot_be_read_is_a_located_error(cli: Cli, repo: Path) -> None:
    bad = repo / "patterns" / "broken.md"
    bad.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    r = cli("--root", str(repo), "similar", str(bad))
    assert r.code == 2
    assert "patterns/broken.md cannot be read as an entry (patterns/broken.md:" in r.err
    assert "commons validate patterns/broken.md" in r.err


def test_the_command_runs_as_a_process(starter: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "commons", "--root", str(starter), "similar", "--title",
                          "Disabled parking permit application", "--type", "pattern", "--limit", "1"],
                         capture_output=True, text=True, check=True).stdout
    assert "(patterns/apply-for-a-blue-badge.md)" in out.splitlines()[0]


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


ISLINGTON = """\
# yaml-language-server: $schema=../../schemas/council.schema.json
code: ISL
maintainers:
  - islington-digital
"""
ISLINGTON_COMMITMENTS = """\
# yaml-language-server: $schema=../../schemas/commitment.schema.json
commitments:
  - id: missed-bins
    title: Let residents report a missed bin without an account
    principles: [1]
    start: 2025-02-01
    patterns: [report-a-missed-bin]
    history:
      - date: 2025-02-01
        status: in-progress
        note: Started with the waste crews.
"""
NEW_COMMITMENT = """\
  - id: bins-not-emptied
    title: Tell us your bin wasn't emptied, online
    principles: [1]
    start: 2026-01-05
    patterns: [report-a-missed-bin]
    history:
      - date: 2026-01-05
        status: planned
        note: Planning a form with the crews' round data.
"""


def _commitment_pr(cli: Cli, repo: Path, new: str) -> str:
    (repo / "councils" / "islington").mkdir()
    (repo / "councils" / "islington" / "council.yml").write_text(ISLINGTON, encoding="utf-8")
    (repo / "councils" / "islington" / "declaration.yml").write_text(ISLINGTON_COMMITMENTS, encoding="utf-8")
    _git(repo, "init", "--quiet", "--initial-branch=main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "--quiet", "-m", "base")
    _git(repo, "checkout", "--quiet", "-b", "pr")
    declaration = repo / "councils" / "hackney" / "declaration.yml"
    declaration.write_text(declaration.read_text(encoding="utf-8") + new, encoding="utf-8")
    _git(repo, "commit", "--quiet", "-am", "A new commitment")
    r = cli("--root", str(repo), "check-pr", "--base", "main", "--author", "hackney-digital", "--format", "github")
    assert r.code == 0, r.out + r.err
    return r.out


def test_check_pr_names_councils_doing_similar_work_for_a_new_commitment(cli: Cli, repo: Path) -> None:
    out = _commitment_pr(cli, repo, NEW_COMMITMENT)
    declaration = repo / "councils" / "hackney" / "declaration.yml"
    line = next(n for n, text in enumerate(declaration.read_text(encoding="utf-8").splitlines(), 1)
                if "Tell us your bin" in text)
    assert (f"::warning file=councils/hackney/declaration.yml,line={line},col=12,title=W-SIMILAR::other councils "
            "are doing similar work: Islington (ISL): “Let residents report a missed bin without an account” — "
            "hint: consider naming them as partners (partners: [ISL]) and getting in touch") in out
    assert out.count("W-SIMILAR") == 1  # the commitment Hackney had already is not new


def test_a_council_already_named_as_partner_is_not_suggested(cli: Cli, repo: Path) -> None:
    out = _commitment_pr(cli, repo, NEW_COMMITMENT.replace("    principles: [1]\n", "    principles: [1]\n"
                                                           "    partners: [ISL]\n"))
    assert "W-SIMILAR" not in out


def test_commons_new_pattern_warns_when_the_meaning_is_very_close(cli: Cli, repo: Path) -> None:
    area = ("--council", "HCK", "--service-area", "environmental-and-regulatory")
    r = cli("--root", str(repo), "new", "pattern", "Tell us your bin wasn't emptied", *area)
    assert r.code == 0, r.err
    assert (repo / "patterns" / "tell-us-your-bin-wasnt-emptied.md").is_file()
    assert ("patterns/tell-us-your-bin-wasnt-emptied.md:4:8: warning[W-SIMILAR] this looks like “Report a missed "
            "bin without an account” (patterns/report-a-missed-bin.md)\n    hint: improve that one, or say in the "
            "pull request how this one differs\n") in r.out
    other = cli("--root", str(repo), "new", "pattern", "Book a bulky waste collection", *area)
    assert other.code == 0, other.err
    assert "W-SIMILAR" not in other.out
