"""`commons sources update` with nothing changed, and pins whose cache does not hold what sources.lock records.

A source still at its pinned commit is asked for its tip with one `git ls-remote` and its files compared with
the lock by one `git ls-tree`: only when both agree is it left as it was (its check time moves). Anything else
(a lock edited by hand, a cache that lost or changed objects) is fetched and checked again in full. Real git
repositories in tmp_path, the real CLI.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
