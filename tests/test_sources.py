"""`commons sources update|fetch` on real git repositories made in tmp_path as councils' own repositories.

Every source is a local folder (`--allow-local-paths`); nothing touches the network. Each test reads what the
command wrote (sources.lock through the real reader, the summary it printed) rather than mirroring the code.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from commons.sources.config import read_lock
from conftest import Cli

COUNCIL = """\
code: SHF
maintainers:
  - sheffield-digital
website: https://www.sheffield.gov.uk
"""

DECLARATION = """\
commitments:
  - id: planning-data
    title: Publish planning data weekly
    principles: [3]
    status: planned
    start: 2025-01-06
    target: 2026-12-31
    patterns: [report-a-missed-bin]
    history:
      - date: 2025-01-06
        status: planned
        note: Agreed with the planning service.
"""

PROGRESS = """\
      - date: 2025-06-02
        status: in-progress
        note: The first weekly file is published.
"""

CASE_STUDY = """\
---
title: Sheffield published its planning data every week
council: {council}
date: 2025-06-02
summary: Sheffield publishes planning applications as open data every Monday.
patterns: [report-a-missed-bin]
service-area: environmental-and-regulatory
contact:
  role: Planning data lead
  email: planning-data@sheffield.example
outcomes:
  - measure: Weeks published on time
    before: 0
    after: 20
    unit: weeks
    period: '2025'
---

## What we did

We published the data.

## What happened

People used it.

## What we would do differently

Start sooner.
"""


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull}
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


def make_source(folder: Path, files: dict[str, str] | None = None) -> Path:
    """A council's own repository, with `files` (default: a good council.yml and declaration.yml) committed."""
    folder.mkdir(parents=True)
    git(folder, "init", "-q", "-b", "main")
    commit(folder, files if files is not None else {"council.yml": COUNCIL, "declaration.yml": DECLARATION})
    return folder


def commit(folder: Path, files: dict[str, str], message: str = "records") -> str:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "--allow-empty", "-m", message)
    return git(folder, "rev-parse", "HEAD")


def list_sources(repo: Path, *entries: dict[str, str]) -> None:
    (repo / "sources.yml").write_text(yaml.safe_dump({"sources": list(entries)}), encoding="utf-8")


def update(cli: Cli, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("sources", "--root", str(repo), "update", "--allow-local-paths", *args)


@pytest.fixture
def source(tmp_path: Path, repo: Path) -> Path:
    folder = make_source(tmp_path / "sheffield")
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    return folder


def test_a_good_source_is_pinned_with_what_it_held(cli: Cli, repo: Path, source: Path) -> None:
    head = git(source, "rev-parse", "HEAD")
    done = update(cli, repo)
    assert done.code == 0, done.out + done.err
    pin = read_lock(repo)["SHF"]
    assert pin.commit == head and pin.failure is None
    assert pin.files == {"council.yml": git(source, "rev-parse", "HEAD:council.yml"),
                         "declaration.yml": git(source, "rev-parse", "HEAD:declaration.yml")}
    assert pin.checked and pin.committed
    assert "Sheffield City Council" in done.out and "new commitment *Publish planning data weekly*" in done.out
    assert (repo / ".cache" / "sources" / "SHF.git").is_dir()


def test_a_status_change_is_summarised_in_check_prs_words(cli: Cli, repo: Path, source: Path, tmp_path: Path) -> None:
    assert update(cli, repo).code == 0
    commit(source, {"declaration.yml": DECLARATION.replace("status: planned\n    start", "status: in-progress\n"
                                                                                          "    start") + PROGRESS})
    summary = tmp_path / "summary.md"
    done = update(cli, repo, "--summary", str(summary))
    assert done.code == 0, done.out
    assert "*Publish planning data weekly*: planned → in progress" in summary.read_text(encoding="utf-8")
    assert read_lock(repo)["SHF"].commit == git(source, "rev-parse", "HEAD")


def test_invalid_yaml_keeps_the_last_good_pin_and_says_why(cli: Cli, repo: Path, source: Path) -> None:
    assert update(cli, repo).code == 0
    good = read_lock(repo)["SHF"].commit
    bad = commit(source, {"declaration.yml": "commitments:\n  - id: [unclosed\n"})
    done = update(cli, repo)
    assert done.code == 1
    pin = read_lock(repo)["SHF"]
    assert pin.commit == good
    assert pin.failure is not None and pin.failure.commit == bad
    assert any(p.startswith(f"{source}@{bad[:7]}:declaration.yml:") and "[E-YAML]" in p for p in pin.failure.problems)
    since = pin.failure.since
    assert update(cli, repo).code == 1
    assert read_lock(repo)["SHF"].failure.since == since  # type: ignore[union-attr]  # still failing since then


def test_a_source_claiming_another_council_is_refused(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "claims", {"council.yml": COUNCIL, "declaration.yml": DECLARATION,
                                                "case-studies/planning.md": CASE_STUDY.format(council="HCK")})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    done = update(cli, repo)
    assert done.code == 1
    problems = read_lock(repo)["SHF"].failure.problems  # type: ignore[union-attr]
    assert [p.split(": ", 1)[0] for p in problems if "names HCK" in p] == \
        [f"{folder}@{git(folder, 'rev-parse', '--short=7', 'HEAD')}:case-studies/planning.md:3:10"]
    assert read_lock(repo)["SHF"].commit == ""


def test_a_source_with_its_own_case_study_is_accepted(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "own", {"council.yml": COUNCIL, "declaration.yml": DECLARATION,
                                             "case-studies/planning.md": CASE_STUDY.format(council="SHF")})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    done = update(cli, repo)
    assert done.code == 0, done.out
    assert "case-studies/planning.md" in read_lock(repo)["SHF"].files


@pytest.mark.parametrize("case", ["symlink", "oversized", "submodule", "other file", "lfs pointer"])
def test_what_a_source_may_not_hold_is_refused_with_its_place(cli: Cli, repo: Path, tmp_path: Path,
                                                              case: str) -> None:
    folder = make_source(tmp_path / "src")
    if case == "symlink":
        os.symlink("/etc/passwd", folder / "patterns.md")
        name, code = "patterns.md", "E-SYMLINK"
    elif case == "oversized":
        (folder / "case-studies").mkdir()
        (folder / "case-studies" / "big.md").write_text("x" * 300_000, encoding="utf-8")
        name, code = "case-studies/big.md", "E-TOO-LARGE"
    elif case == "submodule":
        inner = make_source(tmp_path / "inner")
        git(folder, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "vendored")
        name, code = "vendored", "E-SUBMODULE"
    elif case == "other file":
        (folder / "run.sh").write_text("echo hi\n", encoding="utf-8")
        name, code = "run.sh", "E-PATH"
    else:
        (folder / "patterns").mkdir()
        (folder / "patterns" / "x.md").write_text("version https://git-lfs.github.com/spec/v1\noid sha256:00\n")
        name, code = "patterns/x.md", "E-VALUE"
    sha = commit(folder, {})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 1
    problems = read_lock(repo)["SHF"].failure.problems  # type: ignore[union-attr]
    assert any(p.startswith(f"{folder}@{sha[:7]}:{name}") and f"[{code}]" in p for p in problems), problems


def test_a_rewritten_history_is_refused_but_a_force_push_that_keeps_it_is_not(cli: Cli, repo: Path,
                                                                            source: Path) -> None:
    assert update(cli, repo).code == 0
    good = read_lock(repo)["SHF"].commit
    # Rewrite: a new root commit whose declaration has the first update changed.
    git(source, "checkout", "-q", "--orphan", "rewrite")
    rewritten = commit(source, {"declaration.yml": DECLARATION.replace("Agreed with", "Never agreed with")})
    git(source, "branch", "-q", "-f", "main", "rewrite")
    git(source, "checkout", "-q", "main")
    done = update(cli, repo)
    assert done.code == 1
    pin = read_lock(repo)["SHF"]
    assert pin.commit == good and pin.failure is not None and pin.failure.commit == rewritten
    assert "rewrites Declaration history" in pin.failure.reason
    # Force-pushed again, with history kept as it was and one update added: accepted.
    git(source, "checkout", "-q", "--orphan", "again")
    kept = commit(source, {"council.yml": COUNCIL, "declaration.yml": DECLARATION + PROGRESS.replace(
        "in-progress", "planned")})
    git(source, "branch", "-q", "-f", "main", "again")
    assert update(cli, repo).code == 0
    assert read_lock(repo)["SHF"].commit == kept


def test_a_deleted_branch_keeps_the_pin(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "src")
    git(folder, "branch", "-q", "records")
    list_sources(repo, {"council": "SHF", "url": str(folder), "ref": "records"})
    assert update(cli, repo).code == 0
    good = read_lock(repo)["SHF"].commit
    git(folder, "branch", "-q", "-D", "records")
    assert update(cli, repo).code == 1
    pin = read_lock(repo)["SHF"]
    assert pin.commit == good and "'records' is not in the repository" in pin.failure.reason  # type: ignore


def test_a_source_removed_from_sources_yml_loses_its_pin(cli: Cli, repo: Path, source: Path) -> None:
    assert update(cli, repo).code == 0
    list_sources(repo)
    done = update(cli, repo)
    assert done.code == 0
    assert read_lock(repo) == {}
    assert "removed" in done.out and not (repo / ".cache" / "sources" / "SHF.git").exists()


def test_a_council_in_both_places_is_refused_with_a_hint(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "hackney", {"council.yml": COUNCIL.replace("SHF", "HCK"),
                                                 "declaration.yml": DECLARATION})
    list_sources(repo, {"council": "HCK", "url": str(folder)})
    done = update(cli, repo)
    assert done.code == 1
    failure = read_lock(repo)["HCK"].failure
    assert failure is not None and "councils/hackney/" in failure.reason
    assert any(p.startswith("sources.yml:2:1: error[E-DUPLICATE-ID]") and "git rm -r councils/hackney" in p
               for p in failure.problems), failure.problems


def test_fetch_restores_the_locked_commit_without_moving_it(cli: Cli, repo: Path, source: Path) -> None:
    assert update(cli, repo).code == 0
    pinned = read_lock(repo)["SHF"].commit
    commit(source, {"declaration.yml": DECLARATION + PROGRESS.replace("in-progress", "planned")})
    cache = repo / ".cache"
    subprocess.run(["rm", "-rf", str(cache)], check=True)
    done = cli("sources", "--root", str(repo), "fetch", "--allow-local-paths")
    assert done.code == 0, done.err
    assert read_lock(repo)["SHF"].commit == pinned
    got = subprocess.run(["git", f"--git-dir={cache}/sources/SHF.git", "rev-parse", "refs/commons/pinned"],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert got == pinned


def test_a_source_pattern_may_not_take_a_number_of_the_commons(cli: Cli, repo: Path, tmp_path: Path) -> None:
    from conftest import PATTERN

    mine = PATTERN.replace("councils: [HCK]", "councils: [SHF]").replace("aliases: [missed-bin-report]",
                                                                          "aliases: []")
    folder = make_source(tmp_path / "src", {"council.yml": COUNCIL, "declaration.yml": DECLARATION,
                                             "patterns/report-a-missed-bin-faster.md": mine})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 1
    problems = read_lock(repo)["SHF"].failure.problems  # type: ignore[union-attr]
    sha = git(folder, "rev-parse", "--short=7", "HEAD")
    assert any(p.startswith(f"{folder}@{sha}:patterns/report-a-missed-bin-faster.md:3:5: error[E-DUPLICATE-ID] "
                            "pattern number 1 is already used by patterns/report-a-missed-bin.md") for p in problems), \
        problems


def test_a_reference_to_a_pattern_nobody_has_is_refused(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "src", {"council.yml": COUNCIL, "declaration.yml": DECLARATION.replace(
        "[report-a-missed-bin]", "[report-a-missed-bun]")})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 1
    problems = read_lock(repo)["SHF"].failure.problems  # type: ignore[union-attr]
    assert any(":declaration.yml:8:16: error[E-UNKNOWN-REF]" in p and "did you mean 'report-a-missed-bin'" in p
               for p in problems), problems


def test_contributed_text_in_the_summary_is_escaped(cli: Cli, repo: Path, tmp_path: Path) -> None:
    hostile = "Publish @everyone [link](https://evil.example) <img src=x>"
    folder = make_source(tmp_path / "src", {"council.yml": COUNCIL, "declaration.yml": DECLARATION.replace(
        "Publish planning data weekly", hostile)})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    done = update(cli, repo)
    assert done.code == 0, done.out
    assert "new commitment *Publish @&#8203;everyone \\[link\\]" in done.out
    assert "@everyone" not in done.out and "](https://evil" not in done.out and "<img" not in done.out


def test_two_sources_may_not_hold_the_same_case_study(cli: Cli, repo: Path, tmp_path: Path) -> None:
    leeds_council = COUNCIL.replace("SHF", "LDS").replace("sheffield", "leeds")
    first = make_source(tmp_path / "sheffield", {"council.yml": COUNCIL, "declaration.yml": DECLARATION,
                                                  "case-studies/planning.md": CASE_STUDY.format(council="SHF")})
    second = make_source(tmp_path / "leeds", {"council.yml": leeds_council, "declaration.yml": DECLARATION,
                                               "case-studies/planning.md": CASE_STUDY.format(council="LDS")})
    list_sources(repo, {"council": "SHF", "url": str(first)})
    assert update(cli, repo).code == 0
    list_sources(repo, {"council": "SHF", "url": str(first)}, {"council": "LDS", "url": str(second)})
    assert update(cli, repo, "LDS").code == 1
    lock = read_lock(repo)
    assert lock["SHF"].failure is None and lock["SHF"].commit
    assert any(":case-studies/planning.md: error[E-DUPLICATE-ID] the source of SHF already has" in p
               for p in lock["LDS"].failure.problems)  # type: ignore[union-attr]


def test_an_unchanged_source_is_up_to_date(cli: Cli, repo: Path, source: Path) -> None:
    assert update(cli, repo).code == 0
    done = update(cli, repo)
    assert done.code == 0 and "0 moved, 1 already up to date, 0 refused" in done.out


def test_the_summary_of_a_moved_pin_says_what_changes(cli: Cli, repo: Path, source: Path) -> None:
    first = git(source, "rev-parse", "--short=7", "HEAD")
    assert update(cli, repo).code == 0
    commit(source, {"declaration.yml": DECLARATION.replace("status: planned\n    start", "status: in-progress\n"
                                                                                          "    start") + PROGRESS})
    second = git(source, "rev-parse", "--short=7", "HEAD")
    done = update(cli, repo)
    shown = str(source).replace("_", "\\_")
    assert done.out == (
        "## Council Commons sources update\n\n"
        "1 source checked: 1 moved, 0 already up to date, 0 refused.\n\n"
        f"### Sheffield City Council (<code>{shown}</code>)\n\n"
        f"Moves from <code>{first}</code> to <code>{second}</code>:\n\n"
        "- Sheffield — *Publish planning data weekly*: planned → in progress.\n")


def test_a_source_can_be_pinned_by_tag(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "src")
    tagged = git(folder, "rev-parse", "HEAD")
    git(folder, "tag", "-a", "-m", "published", "published")
    commit(folder, {"declaration.yml": "not: [valid\n"})  # main moves on; the tag does not
    list_sources(repo, {"council": "SHF", "url": str(folder), "ref": "published"})
    assert update(cli, repo).code == 0
    assert read_lock(repo)["SHF"].commit == tagged


def test_fetch_says_which_locked_commit_is_gone(cli: Cli, repo: Path, source: Path) -> None:
    assert update(cli, repo).code == 0
    pinned = read_lock(repo)["SHF"].commit
    git(source, "checkout", "-q", "--orphan", "new")
    commit(source, {}, "history rewritten")
    git(source, "branch", "-q", "-D", "main")
    git(source, "reflog", "expire", "--expire=now", "--all")
    git(source, "gc", "-q", "--prune=now")
    subprocess.run(["rm", "-rf", str(repo / ".cache")], check=True)
    done = cli("sources", "--root", str(repo), "fetch", "--allow-local-paths")
    assert done.code == 1
    assert f"SHF: the commit {pinned[:12]} is not in the repository any more" in done.out
    assert read_lock(repo)["SHF"].commit == pinned


def test_only_the_named_folder_is_read_and_a_fixed_source_is_current_again(cli: Cli, repo: Path,
                                                                           tmp_path: Path) -> None:
    folder = make_source(tmp_path / "src", {"README.md": "# Our site\n", ".github/workflows/x.yml": "on: push\n",
                                             "records/council.yml": COUNCIL,
                                             "records/declaration.yml": "commitments: [unclosed\n"})
    list_sources(repo, {"council": "SHF", "url": str(folder), "path": "records"})
    assert update(cli, repo).code == 1
    assert read_lock(repo)["SHF"].failure.problems[0].startswith(  # type: ignore[union-attr]
        f"{folder}@{git(folder, 'rev-parse', '--short=7', 'HEAD')}:records/declaration.yml:2:1: error[E-YAML]")
    commit(folder, {"records/declaration.yml": DECLARATION})
    assert update(cli, repo).code == 0
    pin = read_lock(repo)["SHF"]
    assert pin.failure is None and sorted(pin.files) == ["records/council.yml", "records/declaration.yml"]
