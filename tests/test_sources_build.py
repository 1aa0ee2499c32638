"""Councils' own repositories in `commons validate` and `commons build`: real git repositories in tmp_path as
sources, pinned with `commons sources update --allow-local-paths`, then validated and built like the rest.

The build is of a copy of this repository in which Hackney has moved into a repository of its own (its folder,
case studies and the pattern only it owns removed from the copy) and Sheffield, which has no folder here, keeps
its records in its own. What is checked is read from the built pages, not from the code that made them.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from commons.cli import main
from commons.content.register import load_register
from commons.errors import CommonsError
from commons.site.state import sourced_records
from commons.sources.config import read_lock
from commons.sources.records import edit_url
from conftest import REGISTER, Cli
from site_support import Site, build_into, copy_repository
from test_sources import CASE_STUDY, COUNCIL, DECLARATION, commit, git, list_sources, make_source, update

HACKNEY_DAY, SHEFFIELD_DAY = "2026-10-01", "2026-11-03"


def dated_commit(folder: Path, files: dict[str, str], day: str, message: str = "records") -> str:
    """Commit `files` in `folder` (made if new) with author and committer dates on `day`, at noon UTC."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_DATE": f"{day}T12:00:00Z", "GIT_COMMITTER_DATE": f"{day}T12:00:00Z"}

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True,
                              env=env).stdout.strip()

    if not folder.exists():
        folder.mkdir(parents=True)
        git("init", "-q", "-b", "main")
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "--allow-empty", "-m", message)
    return git("rev-parse", "HEAD")


def run(*args: str) -> tuple[int, str]:
    """`commons ARGS…` in-process (a module's fixture has no capsys): exit code and what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(args))
    return code, out.getvalue()


def hackney_owned(root: Path) -> list[str]:
    """Hackney's files in the copy: its profile, commitments and contracts, the case studies it wrote, the patterns
    only it looks after."""
    own = [f"councils/hackney/{name}" for name in ("council.yml", "declaration.yml", "contracts.yml")
           if (root / "councils" / "hackney" / name).is_file()]
    for rel, line in (("case-studies", "council: HCK"), ("patterns", "councils: [HCK]")):
        own += [f"{rel}/{p.name}" for p in sorted((root / rel).glob("*.md"))
                if line in p.read_text(encoding="utf-8").split("\n---", 1)[0].splitlines()]
    return own


@dataclass
class Moved:
    root: Path
    site: Path
    hackney: Path  # its own repository
    sheffield: Path
    moved: list[str]  # Hackney's files, at their places in the commons
    validated: tuple[int, str]


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Moved]:
    base = tmp_path_factory.mktemp("sources-build")
    root = copy_repository(base / "commons")
    own = hackney_owned(root)
    assert "councils/hackney/declaration.yml" in own and any(p.startswith("case-studies/") for p in own)
    files = {(p.removeprefix("councils/hackney/")): (root / p).read_text(encoding="utf-8") for p in own}
    hackney = base / "hackney"
    dated_commit(hackney, files, HACKNEY_DAY, "Hackney's records move to its own repository")
    sheffield = base / "sheffield"
    dated_commit(sheffield, {"council.yml": COUNCIL, "declaration.yml": DECLARATION}, "2026-01-05")
    dated_commit(sheffield, {"case-studies/sheffield-planning-data.md": CASE_STUDY.format(council="SHF")},
                 SHEFFIELD_DAY, "a case study")
    shutil.rmtree(root / "councils" / "hackney")
    for p in own:
        (root / p).unlink(missing_ok=True)
    list_sources(root, {"council": "HCK", "url": str(hackney)}, {"council": "SHF", "url": str(sheffield)})
    code, out = run("sources", "--root", str(root), "update", "--allow-local-paths")
    assert code == 0, out
    validated = run("validate", "--root", str(root))
    yield Moved(root, build_into(base / "site", root), hackney, sheffield, own, validated)


def page(site: Path, uri: str) -> str:
    return (site / uri / "index.html").read_text(encoding="utf-8")


def hrefs(html: str, text: str) -> list[str]:
    """The addresses of the links whose text starts with `text`."""
    return [m[1].replace("&amp;", "&") for m in re.finditer(r'<a href="([^"]*)"[^>]*>([^<]*)', html)
            if m[2].startswith(text)]


def test_validate_checks_the_sourced_councils_with_the_rest(moved: Moved) -> None:
    code, out = moved.validated
    assert code == 0, out
    here = sum(1 for top in ("patterns", "case-studies", "playbooks", "councils", "sessions")
               for p in (moved.root / top).rglob("*") if p.is_file() and p.suffix in (".md", ".yml"))
    sourced = len(read_lock(moved.root)["HCK"].files) + len(read_lock(moved.root)["SHF"].files)
    assert f"{here + sourced} files" in out.splitlines()[-1], out


def test_a_sourced_council_page_says_where_its_records_are_kept(moved: Moved) -> None:
    html = page(moved.site, "councils/sheffield")
    name = load_register(REGISTER).by_code["SHF"].name
    assert f"Kept in {name}'s own repository, {moved.sheffield}; last changed 3 November 2026." in html
    assert "has not joined the commons yet" not in html
    assert "Publish planning data weekly" in html
    assert hrefs(html, "Update these commitments") == [str(moved.sheffield)]
    assert hrefs(html, "Edit ") == [str(moved.sheffield)]
    case_study = page(moved.site, "case-studies/sheffield-planning-data")
    assert "Sheffield published its planning data every week" in case_study
    assert hrefs(case_study, "Edit this case study") == [str(moved.sheffield)]


def test_a_moved_council_is_shown_from_its_own_repository(moved: Moved) -> None:
    html = page(moved.site, "councils/hackney")
    assert f"own repository, {moved.hackney}; last changed 1 October 2026." in html
    assert hrefs(html, "Update these commitments") == [str(moved.hackney)]
    assert hrefs(html, "Edit ") == [str(moved.hackney)]
    assert "/edit/main/councils/hackney" not in html  # nothing points at the folder that is gone
    case_study = next(p for p in moved.moved if p.startswith("case-studies/"))
    assert hrefs(page(moved.site, case_study[:-3]), "Edit this case study") == [str(moved.hackney)]


def test_the_dates_of_sourced_entries_come_from_their_repository(moved: Moved) -> None:
    """The feed's entries carry "last changed" dates: a sourced case study's is its commit's in its repository
    (this copy has no git history of its own at all)."""
    feed = next(p for p in (moved.site / "feed.xml", moved.site / "feed.atom") if p.exists()).read_text(
        encoding="utf-8")
    entry = feed.split("Sheffield published its planning data every week", 1)[1].split("</entry>", 1)[0]
    assert SHEFFIELD_DAY in entry, entry


def test_a_moved_council_keeps_every_link_and_short_link(moved: Moved, site: Site) -> None:
    """Every page the site had before the move, short links and redirects included, is still there; each short
    link still leads where it did."""
    def pages(folder: Path) -> set[str]:
        return {p.relative_to(folder).as_posix() for p in folder.rglob("index.html")}

    before, after = pages(site.dir), pages(moved.site)
    assert len(before) > 100
    assert before - after == set()
    short = sorted(p for p in before if p.startswith(("p/", "s/")))
    assert short and all(
        (site.dir / p).read_bytes() == (moved.site / p).read_bytes() for p in short)
    for rel in moved.moved:
        if rel.startswith(("case-studies/", "patterns/")):
            assert f"{rel[:-3]}/index.html" in after


def test_edit_links_to_a_github_source_open_its_editor_at_the_pinned_branch() -> None:
    url = "https://github.com/sheffield-council/commons-records"
    assert edit_url(url, "main", "records/declaration.yml") == \
        "https://github.com/sheffield-council/commons-records/edit/main/records/declaration.yml"
    assert edit_url(url + ".git", "v2", "council.yml") == \
        "https://github.com/sheffield-council/commons-records/edit/v2/council.yml"
    assert edit_url("https://git.example.org/sheffield/records", "main", "council.yml") == \
        "https://git.example.org/sheffield/records"
    assert edit_url("javascript:alert(1)", "main", "council.yml") == ""  # a hand-edited lock links nowhere


# --- validate on given paths, and the build's cache, on the small repository of conftest -----------------------

@pytest.fixture
def sheffield(cli: Cli, repo: Path, tmp_path: Path) -> Path:
    folder = make_source(tmp_path / "sheffield", {
        "council.yml": COUNCIL, "declaration.yml": DECLARATION,
        "case-studies/sheffield-planning-data.md": CASE_STUDY.format(council="SHF")})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 0
    return folder


def test_a_sourced_file_given_to_validate_is_checked_and_shown_at_its_source(cli: Cli, repo: Path,
                                                                             sheffield: Path) -> None:
    (repo / "patterns" / "report-a-missed-bin.md").rename(repo / "patterns" / "report-a-missed-bin-2.md")
    sha = read_lock(repo)["SHF"].commit[:7]
    shown = f"{sheffield}@{sha}:declaration.yml"
    for given in (shown, "councils/sheffield/declaration.yml"):
        done = cli("validate", "--root", str(repo), given)
        assert done.code == 1, done.out
        located = [line for line in done.out.splitlines() if "E-UNKNOWN-REF" in line]
        assert located and all(line.startswith(f"{shown}:") for line in located), done.out
        assert not any(line.startswith(("councils/hackney", "case-studies/")) for line in done.out.splitlines())


def test_a_link_to_a_sourced_page_is_known_to_the_link_check(cli: Cli, repo: Path, sheffield: Path) -> None:
    pattern = repo / "patterns" / "report-a-missed-bin.md"
    text = pattern.read_text(encoding="utf-8")
    pattern.write_text(text.replace("Calls about missed collections fell by half.",
                                    "See [Sheffield](../case-studies/sheffield-planning-data.md)."), encoding="utf-8")
    assert cli("validate", "--root", str(repo), str(pattern)).code == 0
    assert cli("validate", "--root", str(repo)).code == 0
    pattern.write_text(text.replace("Calls about missed collections fell by half.",
                                    "See [Sheffield](../case-studies/no-such-study.md)."), encoding="utf-8")
    done = cli("validate", "--root", str(repo), str(pattern))
    assert done.code == 1 and "E-LINK" in done.out  # the check still refuses a page nobody has


def test_the_build_fetches_a_locked_commit_the_cache_lacks(repo: Path, sheffield: Path) -> None:
    pinned = read_lock(repo)["SHF"].commit
    shutil.rmtree(repo / ".cache" / "sources")
    records = sourced_records(repo)
    assert records.councils["SHF"].commit == pinned
    assert sorted(s.cand.path for s in records.sourced) == [
        "case-studies/sheffield-planning-data.md", "councils/sheffield/council.yml",
        "councils/sheffield/declaration.yml"]
    assert read_lock(repo)["SHF"].commit == pinned  # never moves a pin


def test_with_no_cache_and_no_way_to_fetch_the_build_names_the_source(repo: Path, sheffield: Path) -> None:
    shutil.rmtree(repo / ".cache" / "sources")
    shutil.rmtree(sheffield)  # as unreachable as a repository with no network
    with pytest.raises(CommonsError) as failed:
        sourced_records(repo)
    name = load_register(REGISTER).by_code["SHF"].name
    assert f"{name} (SHF): {sheffield} at {read_lock(repo)['SHF'].commit[:7]}" in failed.value.details
    assert "commons sources fetch" in failed.value.hint


def test_a_commons_without_sources_reads_nothing_of_them(repo: Path) -> None:
    records = sourced_records(repo)
    assert records.sourced == [] and records.councils == {}
    assert not (repo / ".cache").exists()


def test_a_folder_given_to_validate_for_a_sourced_council_is_refused(cli: Cli, repo: Path, sheffield: Path) -> None:
    (repo / "councils" / "sheffield").mkdir()
    (repo / "councils" / "sheffield" / "council.yml").write_text(COUNCIL, encoding="utf-8")
    done = cli("validate", "--root", str(repo), str(repo / "councils" / "sheffield" / "council.yml"))
    assert done.code == 1
    assert [line.split(" ", 2)[1] for line in done.out.splitlines() if line.startswith("councils/sheffield:")] == [
        "error[E-DUPLICATE-ID]"], done.out


def test_check_pr_checks_a_change_against_the_sources_the_base_pins(cli: Cli, repo: Path, sheffield: Path) -> None:
    (repo / ".gitignore").write_text(".cache/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, {}, "the commons, with Sheffield's own repository pinned")
    git(repo, "checkout", "-q", "-b", "pr")
    commit(repo, {"councils/sheffield/council.yml": COUNCIL}, "Sheffield's folder here as well")
    check = ("--root", str(repo), "check-pr", "--base", "main", "--head", "pr", "--author", "someone")
    done = cli(*check)
    assert done.code == 1 and "councils/sheffield:0:0: error[E-DUPLICATE-ID]" in done.out, done.out
    git(repo, "checkout", "-q", "main")
    git(repo, "rm", "-q", "sources.yml", "sources.lock")
    commit(repo, {}, "Sheffield's source removed")
    done = cli(*check)  # the base's sources.lock decides, not the pull request's
    assert "E-DUPLICATE-ID" not in done.out and done.code in (0, 3), done.out


def test_with_no_source_pinned_the_site_is_byte_for_byte_the_same(tmp_path: Path) -> None:
    """Reading sources costs a commons that has none nothing it shows: the same copy built before and after
    `sources.yml` lists none and `commons sources update` writes a lock pinning nothing."""
    from site_compare import same_site

    root = copy_repository(tmp_path / "commons")
    before = build_into(tmp_path / "before", root)
    list_sources(root)
    assert run("sources", "--root", str(root), "update")[0] == 0
    assert (root / "sources.lock").is_file() and read_lock(root) == {}
    same_site(build_into(tmp_path / "after", root), before)


def test_a_moved_councils_contracts_are_in_the_open_data_and_the_market_as_before(moved: Moved, site: Site) -> None:
    assert "councils/hackney/contracts.yml" in moved.moved

    def contracts(folder: Path) -> list[dict[str, object]]:
        items = json.loads((folder / "api" / "v1" / "contracts.json").read_text(encoding="utf-8"))
        items = items["items"] if isinstance(items, dict) else items
        return [i for i in items if "HCK" in json.dumps(i)]

    before = contracts(site.dir)
    assert before and contracts(moved.site) == before
    market = page(moved.site, "market")
    for item in before:
        assert str(item.get("supplier")) in market
