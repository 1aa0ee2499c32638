"""Declaration progress from git history: real repositories in tmp_path, commits dated month by month."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from commons.site import progress
from commons.site.progress import NO_PROGRESS, ZERO, ProgressByCommit, count_statuses, declaration_progress
from commons.site.state import build_state

M = dt.date  # months are the first day of the month


def git(root: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{when}T12:00:00+00:00"
    return subprocess.run(["git", "-C", str(root), "-c", "commit.gpgsign=false", *args], env=env, check=True,
                          capture_output=True, text=True).stdout


def commit(root: Path, when: str, files: dict[str, str | None]) -> None:
    """Write (or, for None, delete) the files and commit them on the given day."""
    for rel, text in files.items():
        path = root / rel
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", f"changes of {when}", when=when)


def declaration(*statuses: str) -> str:
    """A declaration with one commitment per status given."""
    lines = ["# Commitments", "commitments:"]
    for i, status in enumerate(statuses):
        lines += [f"  - id: commitment-{i + 1}", f"    title: Commitment {i + 1}", "    principles: [1]",
                  f"    status: {status}", "    start: 2024-01-01", "    history:",
                  "      - date: 2024-01-01", f"        status: {status}", "        note: Started."]
    return "\n".join(lines) + "\n"


HCK = "councils/hackney/declaration.yml"
ISL = "councils/islington/declaration.yml"
KEN = "councils/kent/declaration.yml"


def new_repository(root: Path) -> Path:
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    return root


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """Ten commits over eight months, one of them on a branch merged later."""
    root = new_repository(tmp_path / "repo")
    commit(root, "2024-12-15", {"README.md": "The commons\n"})  # the first commit: no declarations yet
    commit(root, "2025-01-10", {HCK: declaration("planned", "in-progress"), ISL: declaration("planned"),
                                "councils/hackney/council.yml": "code: HCK\n"})
    commit(root, "2025-01-25", {HCK: declaration("in-progress", "in-progress")})  # January's last revision
    # February: no commits. March: Islington's file is broken; its January counts stand.
    commit(root, "2025-03-05", {ISL: "commitments: [unclosed\n"})
    commit(root, "2025-04-02", {ISL: declaration("done", "stopped"), HCK: None})  # fixed; Hackney's deleted
    # A commitment with a status the schema does not have is not counted; the others are.
    commit(root, "2025-04-20", {KEN: declaration("paused", "live")})
    # A clock set wrong: dated March, committed after April's commits, it counts in April.
    commit(root, "2025-03-01", {ISL: declaration("done", "stopped", "planned")})
    # A branch changed in May and merged in June counts from June, when it landed on main.
    git(root, "checkout", "-q", "-b", "kent-update")
    commit(root, "2025-05-10", {KEN: declaration("done")})
    git(root, "checkout", "-q", "main")
    commit(root, "2025-05-12", {"README.md": "The commons, in May\n"})
    git(root, "merge", "-q", "--no-ff", "-m", "Merge kent-update", "kent-update", when="2025-06-15")
    # Islington's folder moves (a council renamed in the register): its counts move with it.
    git(root, "mv", "councils/islington", "councils/islington-borough")
    commit(root, "2025-07-01", {})
    commit(root, "2025-08-03", {"README.md": "The commons, in August\n"})
    return root


def test_monthly_counts(history: Path) -> None:
    p = declaration_progress(history)
    #            planned, in-progress, done, paused, stopped
    assert p.months == (M(2024, 12, 1), M(2025, 1, 1), M(2025, 2, 1), M(2025, 3, 1), M(2025, 4, 1),
                        M(2025, 5, 1), M(2025, 6, 1), M(2025, 7, 1), M(2025, 8, 1))
    assert p.councils == {
        "hackney": (ZERO, (0, 2, 0, 0, 0), (0, 2, 0, 0, 0), (0, 2, 0, 0, 0), ZERO, ZERO, ZERO, ZERO, ZERO),
        "islington": (ZERO, (1, 0, 0, 0, 0), (1, 0, 0, 0, 0), (1, 0, 0, 0, 0), (1, 0, 1, 0, 1), (1, 0, 1, 0, 1),
                      (1, 0, 1, 0, 1), ZERO, ZERO),
        "islington-borough": (ZERO,) * 7 + ((1, 0, 1, 0, 1),) * 2,
        "kent": (ZERO,) * 4 + ((0, 0, 0, 1, 0),) * 2 + ((0, 0, 1, 0, 0),) * 3,
    }
    assert p.sector == (ZERO, (1, 2, 0, 0, 0), (1, 2, 0, 0, 0), (1, 2, 0, 0, 0), (1, 0, 1, 1, 1),
                        (1, 0, 1, 1, 1), (1, 0, 2, 0, 1), (1, 0, 2, 0, 1), (1, 0, 2, 0, 1))
    assert p.council("fife") == (ZERO,) * len(p.months)  # never had a declaration


def test_an_invalid_first_revision_counts_nothing(tmp_path: Path) -> None:
    root = new_repository(tmp_path / "repo")
    commit(root, "2025-01-10", {HCK: "commitments: {not: [a list\n"})
    commit(root, "2025-02-10", {HCK: "- just\n- a list\n"})
    commit(root, "2025-03-10", {HCK: declaration("done")})
    p = declaration_progress(root)
    assert p.sector == (ZERO, ZERO, (0, 0, 1, 0, 0))


def test_without_history_there_is_no_progress(tmp_path: Path) -> None:
    assert declaration_progress(tmp_path) is NO_PROGRESS  # not a repository
    root = new_repository(tmp_path / "repo")
    assert declaration_progress(root) is NO_PROGRESS  # no commit yet
    commit(root, "2025-01-10", {HCK: declaration("done")})
    inner = root / "councils"
    assert declaration_progress(inner) is NO_PROGRESS  # a folder inside a repository is not one
    assert declaration_progress(root).sector == ((0, 0, 1, 0, 0),)


def test_read_again_only_after_a_new_commit(history: Path) -> None:
    """What `commons serve` keeps between rebuilds (its ProgressByCommit); a build reads the history afresh."""
    kept = ProgressByCommit()
    first = kept.of(history)
    assert kept.of(history) is first
    assert declaration_progress(history) == first and declaration_progress(history) is not first
    commit(history, "2025-09-01", {KEN: declaration("done", "planned")})
    again = kept.of(history)
    assert again is not first
    assert again.months[-1] == M(2025, 9, 1) and again.sector[-1] == (2, 0, 2, 0, 1)


def test_unreadable_revisions_are_refused_not_parsed() -> None:
    assert count_statuses(declaration("done", "planned").encode()) == (1, 0, 1, 0, 0)
    assert count_statuses(b"commitments: []\n") == ZERO
    assert count_statuses(b"\xff\xfe not text") is None
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\ncommitments: [*c]\n"
    assert count_statuses(bomb.encode()) is None
    assert count_statuses(b"commitments:\n" + b"  - status: done\n" * 40_000) is None  # over the size limit
    assert count_statuses(b"commitments: [[status: done], 7, {status: [done]}, {status: done}]\n") == (
        0, 0, 1, 0, 0)


def test_revisions_reads_the_log_format() -> None:
    log = ("\x002025-03-02\n\n"  # newest first, as git log writes it
           ":100644 120000 " + "a" * 40 + " " + "d" * 40 + " T\tcouncils/kent/declaration.yml\n"
           "\x002025-01-31\n\n"
           ":000000 100644 0000000000000000000000000000000000000000 " + "a" * 40 + " A\tcouncils/kent/declaration.yml\n"
           ":000000 100644 0000000000000000000000000000000000000000 " + "b" * 40 + " A\tcouncils/kent/council.yml\n"
           ":000000 100644 0000000000000000000000000000000000000000 " + "c" * 40 + " A\tcouncils/x/y/declaration.yml\n")
    months, changes = progress.revisions(log)
    assert months == [M(2025, 1, 1), M(2025, 2, 1), M(2025, 3, 1)]
    assert changes == [{"kent": "a" * 40}, {}, {"kent": None}]  # a symlink is no declaration


def test_the_site_state_carries_the_progress(repo: Path) -> None:
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "2025-10-01", {})
    declaration_file = repo / "councils" / "hackney" / "declaration.yml"
    text = declaration_file.read_text(encoding="utf-8")
    commit(repo, "2025-12-01", {"councils/hackney/declaration.yml": text.replace(
        "        note: Discovery started with the repairs service.\n",
        "        note: Discovery started with the repairs service.\n"
        "      - date: 2025-11-30\n        status: done\n        note: Published.\n").replace(
        "    status: in-progress\n", "    status: done\n", 1)})
    s = build_state(repo)
    assert s.progress.months == (M(2025, 10, 1), M(2025, 11, 1), M(2025, 12, 1))
    assert s.progress.council("hackney") == ((0, 1, 0, 0, 0), (0, 1, 0, 0, 0), (0, 0, 1, 0, 0))
