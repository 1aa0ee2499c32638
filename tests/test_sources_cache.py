"""`commons sources update` with nothing changed, and pins whose cache does not hold what sources.lock records.

A source still at its pinned commit is asked for its tip with one `git ls-remote` and its files compared with
the lock by one `git ls-tree`: only when both agree is it left as it was (its check time moves). Anything else
(a lock edited by hand, a cache that lost or changed objects) is fetched and checked again in full. Real git
repositories in tmp_path, the real CLI.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from commons.errors import CommonsError
from commons.site.state import sourced_records
from commons.sources.config import read_lock, write_lock
from conftest import Cli
from test_sources import DECLARATION, commit, git, list_sources, make_source, update


@pytest.fixture
def source(tmp_path: Path, repo: Path) -> Path:
    folder = make_source(tmp_path / "sheffield")
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    return folder


def test_an_unchanged_source_keeps_its_pin_and_is_checked_again_later(cli: Cli, repo: Path, source: Path) -> None:
    assert update(cli, repo).code == 0
    before = read_lock(repo)["SHF"]
    done = update(cli, repo)
    after = read_lock(repo)["SHF"]
    assert done.code == 0 and "0 moved, 1 already up to date, 0 refused" in done.out
    assert (after.commit, after.files, after.committed) == (before.commit, before.files, before.committed)
    assert after.checked >= before.checked and after.failure is None


def test_a_lock_whose_files_are_not_the_commits_is_checked_again_and_corrected(cli: Cli, repo: Path,
                                                                               source: Path) -> None:
    assert update(cli, repo).code == 0
    lock = read_lock(repo)
    real = dict(lock["SHF"].files)
    lock["SHF"].files["declaration.yml"] = "0" * 40  # edited by hand: the fast path must not trust it
    write_lock(repo, lock)
    assert update(cli, repo).code == 0
    assert read_lock(repo)["SHF"].files == real


def test_a_source_back_at_its_pinned_commit_is_good_again(cli: Cli, repo: Path, source: Path) -> None:
    assert update(cli, repo).code == 0
    good = read_lock(repo)["SHF"].commit
    commit(source, {"declaration.yml": "commitments: [unclosed\n"})
    assert update(cli, repo).code == 1
    git(source, "reset", "-q", "--hard", good)  # the council took the bad commit back
    done = update(cli, repo)
    pin = read_lock(repo)["SHF"]
    assert done.code == 0 and pin.commit == good and pin.failure is None


def test_a_source_pinned_by_an_annotated_tag_is_up_to_date_until_the_tag_moves(cli: Cli, repo: Path,
                                                                                tmp_path: Path) -> None:
    folder = make_source(tmp_path / "src")
    git(folder, "tag", "-a", "-m", "published", "published")
    list_sources(repo, {"council": "SHF", "url": str(folder), "ref": "published"})
    assert update(cli, repo).code == 0
    assert "0 moved, 1 already up to date" in update(cli, repo).out
    newer = commit(folder, {"declaration.yml": DECLARATION.replace("weekly", "every week")})
    git(folder, "tag", "-f", "-a", "-m", "published again", "published")
    assert "1 moved" in update(cli, repo).out and read_lock(repo)["SHF"].commit == newer


def test_a_cache_that_lost_its_objects_is_fetched_again(cli: Cli, repo: Path, source: Path) -> None:
    assert update(cli, repo).code == 0
    pin = read_lock(repo)["SHF"]
    shutil.rmtree(repo / ".cache" / "sources" / "SHF.git" / "objects")
    (repo / ".cache" / "sources" / "SHF.git" / "objects").mkdir()
    assert update(cli, repo).code == 0
    again = read_lock(repo)["SHF"]
    assert (again.commit, again.files, again.failure) == (pin.commit, pin.files, None)


def _lose_blob(repo: Path, blob: str) -> None:
    """Take one file's object out of the source's cache (a partial or damaged cache); the commit stays."""
    cache = repo / ".cache" / "sources" / "SHF.git"
    loose = cache / "objects" / blob[:2] / blob[2:]
    if not loose.exists():  # packed: unpack everything but that object
        packs = sorted((cache / "objects" / "pack").glob("*.pack"))
        for pack in packs:
            data = pack.read_bytes()
            for stale in pack.parent.glob(pack.stem + ".*"):
                stale.unlink()
            subprocess.run(["git", f"--git-dir={cache}", "unpack-objects", "-q"], input=data, check=True)
    loose.unlink()


def _warnings(out: str) -> list[str]:
    return [line for line in out.splitlines() if "W-SOURCE-NOT-FETCHED" in line]


def test_a_cache_missing_a_locked_file_is_a_located_warning_and_fetch_repairs_it(cli: Cli, repo: Path,
                                                                                 source: Path) -> None:
    assert update(cli, repo).code == 0
    clean = cli("--root", str(repo), "validate")
    pin = read_lock(repo)["SHF"]
    _lose_blob(repo, pin.files["declaration.yml"])
    warned = cli("--root", str(repo), "validate")
    found = _warnings(warned.out)
    assert warned.code == 0 and len(found) == 1, warned.out
    where, line, col = found[0].split(":")[:3]
    at = (repo / where).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert where == "sources.lock" and at[int(col) - 1:].startswith(f"declaration.yml: {pin.files['declaration.yml']}")
    assert "were not checked" in found[0] and "declaration.yml is missing from .cache/sources/" in found[0]
    assert cli("--root", str(repo), "validate", "--strict").code == 1
    fetched = cli("sources", "--root", str(repo), "fetch", "--allow-local-paths")
    assert fetched.code == 0, fetched.out + fetched.err
    assert cli("--root", str(repo), "validate").out == clean.out
    assert read_lock(repo)["SHF"] == pin  # no pin moved


def test_the_build_makes_a_damaged_cache_again(repo: Path, cli: Cli, source: Path) -> None:
    assert update(cli, repo).code == 0
    pin = read_lock(repo)["SHF"]
    _lose_blob(repo, pin.files["council.yml"])
    records = sourced_records(repo)  # what `commons build` reads
    assert records.councils["SHF"].commit == pin.commit
    assert {s.cand.path for s in records.sourced} == {"councils/sheffield/council.yml",
                                                      "councils/sheffield/declaration.yml"}


def test_a_lock_that_does_not_match_its_commit_stops_the_build_at_its_line(repo: Path, cli: Cli,
                                                                           source: Path) -> None:
    assert update(cli, repo).code == 0
    lock = read_lock(repo)
    lock["SHF"].files["declaration.yml"] = "0" * 40  # by hand: no fetch can make the commit hold that
    write_lock(repo, lock)
    with pytest.raises(CommonsError) as failed:
        sourced_records(repo)
    lines = (repo / "sources.lock").read_text(encoding="utf-8").splitlines()
    at = next(i for i, text in enumerate(lines, 1) if text.strip().replace("'", "") == f"declaration.yml: {'0' * 40}")
    assert f"sources.lock:{at}:" in failed.value.details
    assert "cannot be built" in failed.value.details and "is not the one sources.lock records" in failed.value.details
    done = cli("sources", "--root", str(repo), "fetch", "--allow-local-paths")
    assert done.code == 1 and "run commons sources update SHF" in done.out + done.err


def test_the_sources_page_says_when_this_site_does_not_show_a_pin(repo: Path, cli: Cli, source: Path) -> None:
    """Only `commons serve` keeps going when a pin cannot be read (with what it read before): its /sources/ page
    says so rather than naming a version it does not show."""
    from commons.site.views.sources import sources_page

    assert update(cli, repo).code == 0
    records = sourced_records(repo)
    assert [r.not_shown for r in sources_page(repo, shown=records.councils).rows] == [""]
    [row] = sources_page(repo, shown={}).rows
    assert row.commit and "shows nothing from this repository" in row.not_shown
    assert "commons sources fetch" in row.not_shown


def test_a_damaged_cache_does_not_stop_a_new_commit_being_compared_and_pinned(cli: Cli, repo: Path,
                                                                            source: Path) -> None:
    assert update(cli, repo).code == 0
    _lose_blob(repo, read_lock(repo)["SHF"].files["declaration.yml"])
    newer = commit(source, {"declaration.yml": DECLARATION.replace("Publish planning data weekly",
                                                                   "Publish planning data every week")})
    done = update(cli, repo)
    assert done.code == 0, done.out
    assert read_lock(repo)["SHF"].commit == newer and "Publish planning data every week" in done.out
