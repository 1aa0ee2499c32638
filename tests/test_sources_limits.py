"""`commons sources update` on hostile sources: the time and size limits, too many files, and nothing of this
machine's git setup (hooks, config) acting on a fetch. Real repositories in tmp_path; no network."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from commons.sources.config import read_lock
from commons.sources.contents import ALLOWED
from conftest import Cli
from test_sources import commit, git, list_sources, make_source, update


def test_an_unreachable_source_fails_within_its_time_limit(cli: Cli, repo: Path, tmp_path: Path) -> None:
    hanging = tmp_path / "hang.git"
    subprocess.run(["git", "init", "-q", "--bare", str(hanging)], check=True)
    os.mkfifo(hanging / "packed-refs")  # git on the other side blocks reading it, for ever
    list_sources(repo, {"council": "SHF", "url": str(hanging)}, {"council": "LDS", "url": str(tmp_path / "none")})
    done = update(cli, repo, "--time-limit", "1")
    assert done.code == 1
    lock = read_lock(repo)
    assert "longer than the limit of 1 seconds" in lock["SHF"].failure.reason  # type: ignore[union-attr]
    assert "could not be fetched" in lock["LDS"].failure.reason  # type: ignore[union-attr]


def test_a_fetch_larger_than_the_size_limit_is_refused(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "big")
    (folder / "notes").mkdir()
    (folder / "notes" / "noise.bin").write_bytes(os.urandom(400_000))  # incompressible
    commit(folder, {})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo, "--size-limit", "100").code == 1
    assert "larger than the limit of 100 KB" in read_lock(repo)["SHF"].failure.reason  # type: ignore[union-attr]


def test_nothing_from_this_machines_git_config_runs(cli: Cli, repo: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    source = make_source(tmp_path / "sheffield")
    list_sources(repo, {"council": "SHF", "url": str(source)})
    hooks, marker = tmp_path / "hooks", tmp_path / "hook-ran"
    hooks.mkdir()
    hook = hooks / "reference-transaction"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    hook.chmod(0o755)
    config = tmp_path / "gitconfig"
    config.write_text(f"[core]\n\thooksPath = {hooks}\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    probe = tmp_path / "probe"
    subprocess.run(["git", "init", "-q", "--bare", str(probe)], check=True)
    subprocess.run(["git", f"--git-dir={probe}", "fetch", "-q", str(source), "HEAD:refs/x"], check=True)
    assert marker.exists(), "the hook should run for plain git, or this test proves nothing"
    marker.unlink()
    assert update(cli, repo).code == 0
    assert not marker.exists()


def test_a_folder_of_too_many_files_is_refused_without_listing_them_all(cli: Cli, repo: Path, tmp_path: Path) -> None:
    from commons.sources.contents import MAX_FILES

    folder = make_source(tmp_path / "many", {f"notes/{i}.md": "" for i in range(MAX_FILES + 1)})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 1
    problems = read_lock(repo)["SHF"].failure.problems  # type: ignore[union-attr]
    assert problems == [f"{folder}@{git(folder, 'rev-parse', '--short=7', 'HEAD')}:.: error[E-TOO-LARGE] the folder "
                        f"holds more than {MAX_FILES} files (hint: keep only {ALLOWED} in it)"]


def test_a_file_name_that_is_not_utf8_is_refused(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "src")
    (folder / os.fsdecode(b"caf\xe9.md")).write_bytes(b"x")
    sha = commit(folder, {})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 1
    problems = read_lock(repo)["SHF"].failure.problems  # type: ignore[union-attr]
    assert [p for p in problems if "[E-FILE-NAME]" in p] == [
        f"{folder}@{sha[:7]}:caf\\\\xe9.md: error[E-FILE-NAME] the file name is not plain UTF-8 text "
        "(hint: rename it with letters, digits and hyphens)"]
