"""Sourced councils as part of the commons: `validate_repository(root, sourced=commons.sources.sourced(…))` checks
the locked files from the cache with the rest, reports their problems at their place in the source repository,
and refuses a council kept in two places."""

from __future__ import annotations

import shutil
from pathlib import Path

from commons.content.register import load_register
from commons.content.validate import validate_repository
from commons.sources import sourced
from commons.sources.config import read_lock, write_lock
from conftest import REGISTER, Cli
from test_sources import COUNCIL, DECLARATION, commit, git, list_sources, make_source, update


def test_a_pinned_source_is_part_of_the_commons(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "sheffield")
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 0
    files = sourced(repo, load_register(REGISTER))
    assert sorted(s.cand.path for s in files) == ["councils/sheffield/council.yml",
                                                   "councils/sheffield/declaration.yml"]
    report = validate_repository(repo, keep_entries=True, sourced=files)
    assert report.errors == 0, report.problems
    assert "councils/sheffield/declaration.yml" in {e.path for e in report.entries}
    assert report.files == validate_repository(repo).files + 2


def test_the_pinned_commit_is_what_is_read_not_the_newest(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "sheffield")
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 0
    pinned = read_lock(repo)["SHF"].commit
    commit(folder, {"declaration.yml": "commitments: [unclosed\n"})
    assert update(cli, repo).code == 1  # refused: the pin stays
    shown = {s.shown for s in sourced(repo, load_register(REGISTER))}
    assert shown == {f"{folder}@{pinned[:7]}:council.yml", f"{folder}@{pinned[:7]}:declaration.yml"}


def test_a_problem_in_a_sourced_file_names_the_source(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "sheffield")
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 0
    # The commons changes under the pin: the pattern the source's commitment names is renamed away.
    (repo / "patterns" / "report-a-missed-bin.md").rename(repo / "patterns" / "report-a-missed-bin-2.md")
    report = validate_repository(repo, sourced=sourced(repo, load_register(REGISTER)))
    sha = git(folder, "rev-parse", "--short=7", "HEAD")
    assert [p.path for p in report.problems if p.code == "E-UNKNOWN-REF" and "report-a-missed-bin'" in p.message
            and not p.path.startswith("councils/hackney")] == [f"{folder}@{sha}:declaration.yml"]


def test_a_council_kept_in_both_places_is_an_error(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "sheffield")
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 0
    shutil.copytree(repo / "councils" / "hackney", repo / "councils" / "sheffield")
    (repo / "councils" / "sheffield" / "council.yml").write_text(COUNCIL, encoding="utf-8")
    (repo / "councils" / "sheffield" / "declaration.yml").write_text(DECLARATION, encoding="utf-8")
    assert validate_repository(repo).errors == 0  # valid on its own, without the source
    report = validate_repository(repo, sourced=sourced(repo, load_register(REGISTER)))
    found = [p for p in report.problems if p.path == "councils/sheffield"]
    assert [p.code for p in found] == ["E-DUPLICATE-ID"] and "remove councils/sheffield/" in found[0].hint


def test_a_source_whose_cache_does_not_match_the_lock_is_left_out(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "sheffield")
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 0
    lock = read_lock(repo)
    lock["SHF"].files["declaration.yml"] = "0" * 40  # a lock edited by hand
    write_lock(repo, lock)
    assert sourced(repo, load_register(REGISTER)) == []


def test_a_source_may_not_drop_a_pattern_another_entry_names(cli: Cli, repo: Path, tmp_path: Path) -> None:
    from conftest import PATTERN

    mine = PATTERN.replace("id: 1", "id: 2").replace("councils: [HCK]", "councils: [SHF]") \
        .replace("aliases: [missed-bin-report]", "aliases: []")
    folder = make_source(tmp_path / "sheffield", {"council.yml": COUNCIL, "declaration.yml": DECLARATION,
                                                   "patterns/planning-data-feed.md": mine})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 0
    council = repo / "councils" / "hackney" / "council.yml"
    council.write_text(council.read_text(encoding="utf-8") + "  - pattern: planning-data-feed\n    since: 2025-01-01\n",
                       encoding="utf-8")
    assert validate_repository(repo, sourced=sourced(repo, load_register(REGISTER))).errors == 0
    pinned = read_lock(repo)["SHF"].commit
    git(folder, "rm", "-q", "patterns/planning-data-feed.md")
    commit(folder, {}, "drop the pattern")
    assert update(cli, repo).code == 1
    lock = read_lock(repo)["SHF"]
    assert lock.commit == pinned
    assert lock.failure is not None and lock.failure.problems == [
        f"{folder}@{pinned[:7]}:patterns/planning-data-feed.md: error[E-UNKNOWN-REF] the pattern 'planning-data-feed' "
        "is gone from the source, but councils/hackney/council.yml:10:14 names it (hint: keep 'planning-data-feed' "
        "(in the renamed pattern's aliases, so old links keep working), or ask the owners of that entry to change "
        "it first)"]


def _moving_hackney(repo: Path, tmp_path: Path, declaration: str) -> Path:
    """This repository as a git clone, and Hackney's files in a source of its own with `declaration`; its folder
    is removed from the work tree (as the pull request that adds the source does)."""
    git(repo, "init", "-q", "-b", "main")
    commit(repo, {}, "the commons")
    council = (repo / "councils" / "hackney" / "council.yml").read_text(encoding="utf-8")
    folder = make_source(tmp_path / "hackney", {"council.yml": council, "declaration.yml": declaration})
    git(repo, "rm", "-q", "-r", "councils/hackney")
    list_sources(repo, {"council": "HCK", "url": str(folder)})
    return folder


def test_a_council_moving_to_its_own_repository_keeps_its_history(cli: Cli, repo: Path, tmp_path: Path) -> None:
    from conftest import DECLARATION as HACKNEY

    update_line = "      - date: 2025-02-03\n        status: in-progress\n        note: The first file is out.\n"
    _moving_hackney(repo, tmp_path, HACKNEY + update_line)
    done = update(cli, repo)
    assert done.code == 0, done.out
    assert "- Hackney — *Publish housing repairs data openly every week*: new update of " \
        "3 February 2025, still in progress." in done.out
    assert "new commitment" not in done.out and "profile" not in done.out  # only what the move changes
    assert validate_repository(repo, sourced=sourced(repo, load_register(REGISTER))).errors == 0


def test_a_council_moving_may_not_rewrite_its_history(cli: Cli, repo: Path, tmp_path: Path) -> None:
    from conftest import DECLARATION as HACKNEY

    _moving_hackney(repo, tmp_path, HACKNEY.replace("Discovery started", "Nothing started"))
    assert update(cli, repo).code == 1
    failure = read_lock(repo)["HCK"].failure
    assert failure is not None and "rewrites Declaration history" in failure.reason
    assert any(":declaration.yml:12:9: error[E-VALUE] Declaration history is rewritten: the update of 2024-01-08"
               in p for p in failure.problems), failure.problems


def test_validate_says_when_a_pinned_commit_is_not_fetched(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "sheffield")
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 0
    checked = cli("--root", str(repo), "validate")
    assert checked.code == 0 and "W-SOURCE-NOT-FETCHED" not in checked.out
    shutil.rmtree(repo / ".cache" / "sources" / "SHF.git")  # a fresh clone, or after `make clean`

    warned = cli("--root", str(repo), "validate")
    assert warned.code == 0, warned.out
    found = [line for line in warned.out.splitlines() if "W-SOURCE-NOT-FETCHED" in line]
    assert len(found) == 1 and "Sheffield" in found[0] and str(folder) in found[0]
    where, line, col = found[0].split(":")[:3]
    pinned = read_lock(repo)["SHF"].commit
    lock_line = (repo / where).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert where == "sources.lock" and lock_line[int(col) - 1:] == pinned  # at the commit it lacks
    assert "hint: run `commons sources fetch`" in warned.out
    files = [int(out.splitlines()[-1].split()[0]) for out in (checked.out, warned.out)]
    assert files[1] == files[0] - 2  # its two files went unchecked
    assert cli("--root", str(repo), "validate", "--strict").code == 1

    assert cli("sources", "--root", str(repo), "fetch", "--allow-local-paths").code == 0
    again = cli("--root", str(repo), "validate")
    assert again.code == 0 and "W-SOURCE-NOT-FETCHED" not in again.out and again.out == checked.out
