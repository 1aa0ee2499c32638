"""Pattern numbers that never collide: check-pr validates a pull request as merged onto the base branch's tip,
and of two patterns with one number the one that arrived later in git history is told to renumber.

Real git repositories in tmp_path: `main` holds conftest's minimal commons (one pattern, number 1, and
Hackney's folder); pull requests are branches from it, merged with real merges, checked with the real CLI.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PATTERN, Result, make_repository

Cli = Callable[..., Result]
AUTHOR = "hackney-digital"  # maintains Hackney, which every pattern here names


def pattern(number: int, title: str, related: str = "[]") -> str:
    """A valid pattern with this number and title (conftest's, without its alias, so any file name can hold it),
    whose summary and problem are its own, so it is not a near-copy of conftest's missed-bin pattern (W-SIMILAR)."""
    text = PATTERN.replace("id: 1\n", f"id: {number}\n").replace("aliases: [missed-bin-report]\n", "")
    text = text.replace("title: Report a missed bin without an account", f"title: {title}")
    text = text.replace("summary: Residents report a missed collection in under a minute with only their address.",
                        f"summary: Residents {title.lower()} online, at any hour.")
    text = text.replace("Residents cannot tell whether a bin was missed.",
                        f"People phone the council to {title.lower()}.")
    return text.replace("related: []", f"related: {related}")


class Repo:
    """A git repository with `main`, and the git commands the tests need, at fixed dates."""

    def __init__(self, root: Path):
        self.root = make_repository(root)
        self.git("init", "--quiet", "--initial-branch=main")
        self.commit("Start the commons", day=1)

    def git(self, *args: str, day: int = 1) -> str:
        when = f"2026-11-{day:02d}T10:00:00Z"
        env = {**os.environ, "GIT_AUTHOR_NAME": AUTHOR, "GIT_COMMITTER_NAME": AUTHOR,
               "GIT_AUTHOR_EMAIL": f"{AUTHOR}@users.noreply.github.com", "GIT_COMMITTER_EMAIL": "ci@example.org",
               "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
               "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        done = subprocess.run(["git", "-C", str(self.root), *args], env=env, capture_output=True, text=True,
                              check=True)
        return done.stdout

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def commit(self, message: str, day: int) -> None:
        self.git("add", "--all")
        self.git("commit", "--quiet", "-m", message, day=day)

    def branch(self, name: str, files: dict[str, str], day: int, start: str = "main") -> None:
        """A pull request: branch `name` from `start`, with these files written in one commit dated `day`."""
        self.git("checkout", "--quiet", "-b", name, start)
        for rel, text in files.items():
            self.write(rel, text)
        self.commit(f"The pull request {name}", day)
        self.git("checkout", "--quiet", "main")

    def merge(self, name: str, day: int) -> None:
        """Merge the pull request into main as GitHub's merge button does (a merge commit)."""
        self.git("merge", "--quiet", "--no-ff", "--no-edit", name, day=day)

    def state(self) -> tuple[str, bytes, str, str, str]:
        """What check-pr must leave as it was: the status, the index, the worktrees, the refs, the objects."""
        return (self.git("status", "--porcelain=v2", "--branch", "--untracked-files=all"),
                (self.root / ".git" / "index").read_bytes(), self.git("worktree", "list", "--porcelain"),
                self.git("show-ref"), self.git("count-objects", "-v"))


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


def check_pr(cli: Cli, repo: Repo, head: str, *more: str) -> Result:
    return cli("--root", str(repo.root), "check-pr", "--base", "main", "--head", head, "--author", AUTHOR, *more)


def problems(result: Result) -> list[str]:
    """The problem lines of check-pr's text output (path:line:col: severity[CODE] message)."""
    return [line for line in result.out.splitlines() if "error[" in line or "warning[" in line]


# --- Two pull requests that each took the next free number -----------------------------------------------------

def two_pull_requests_with_number_2(repo: Repo) -> None:
    """`first` and `second` both add pattern number 2. `second` was written first (its commit is older) and its
    file sorts first by name, so neither the dates of commits nor the names decide which was published first."""
    repo.branch("second", {"patterns/book-a-bulky-waste-collection.md": pattern(2, "Book a bulky waste collection")},
                day=2)
    repo.branch("first", {"patterns/report-a-pothole.md": pattern(2, "Report a pothole")}, day=3)


def test_each_alone_passes_but_the_second_fails_once_the_first_is_merged(repo: Repo, cli: Cli) -> None:
    two_pull_requests_with_number_2(repo)
    assert check_pr(cli, repo, "first").code == 0
    assert check_pr(cli, repo, "second").code == 0  # main has not moved: nothing clashes yet
    repo.merge("first", day=4)

    result = check_pr(cli, repo, "second")
    assert result.err == ""
    assert result.code == 1
    assert problems(result) == [
        "patterns/book-a-bulky-waste-collection.md:3:5: error[E-DUPLICATE-ID] pattern number 2 is already used by "
        "patterns/report-a-pothole.md (published first)"]
    assert "    hint: renumber this one: the next free number is 3" in result.out.splitlines()
    # The summary is about what the pull request changes: its own pattern, not the one main got meanwhile.
    assert "Book a bulky waste collection" in result.out
    assert "Report a pothole" not in result.out


def test_the_merge_commit_github_tests_can_be_the_head(repo: Repo, cli: Cli) -> None:
    two_pull_requests_with_number_2(repo)
    repo.merge("first", day=4)
    # refs/pull/N/merge: main's tip merged with the pull request, made by GitHub (here, by git, on a side branch).
    repo.git("checkout", "--quiet", "-b", "pull-merge", "main")
    repo.merge("second", day=5)
    repo.git("checkout", "--quiet", "main")
    result = check_pr(cli, repo, "pull-merge", "--format", "github")
    assert result.code == 1
    assert result.out.startswith("::error file=patterns/book-a-bulky-waste-collection.md,line=3,col=5,"
                                 "title=E-DUPLICATE-ID::pattern number 2 is already used by "
                                 "patterns/report-a-pothole.md (published first) — hint: renumber this one: "
                                 "the next free number is 3\n")


def test_validate_on_main_blames_the_pattern_merged_later(repo: Repo, cli: Cli) -> None:
    two_pull_requests_with_number_2(repo)
    repo.merge("first", day=4)
    repo.merge("second", day=5)  # merged anyway (say, before check-pr knew better): main now has the clash
    result = cli("--root", str(repo.root), "validate")
    assert result.code == 1
    assert result.out == (
        "patterns/book-a-bulky-waste-collection.md:3:5: error[E-DUPLICATE-ID] pattern number 2 is already used by "
        "patterns/report-a-pothole.md (published first)\n"
        "    hint: renumber this one: the next free number is 3\n"
        "5 files checked: 1 error, 0 warnings.\n")


@pytest.mark.parametrize(("earlier", "later"), [
    ("patterns/a-first-by-name.md", "patterns/z-last-by-name.md"),
    ("patterns/z-last-by-name.md", "patterns/a-first-by-name.md"),
], ids=["later-sorts-last", "later-sorts-first"])
def test_validate_blames_the_later_added_file_whichever_sorts_first(repo: Repo, cli: Cli, earlier: str,
                                                                    later: str) -> None:
    repo.write(earlier, pattern(7, "Published first"))
    repo.commit("A pattern", day=2)
    repo.write(later, pattern(7, "Added later"))
    repo.commit("Another pattern with the same number", day=3)
    result = cli("--root", str(repo.root), "validate")
    assert result.code == 1
    assert problems(result) == [f"{later}:3:5: error[E-DUPLICATE-ID] pattern number 7 is already used by "
                                f"{earlier} (published first)"]
    assert "    hint: renumber this one: the next free number is 8" in result.out.splitlines()


def test_a_pattern_keeps_when_it_arrived_through_a_rename(repo: Repo, cli: Cli) -> None:
    repo.write("patterns/old-name.md", pattern(7, "Published first"))
    repo.commit("A pattern", day=2)
    repo.write("patterns/newcomer.md", pattern(7, "Added later"))
    repo.commit("Another pattern with the same number", day=3)
    repo.git("mv", "patterns/old-name.md", "patterns/new-name.md")
    repo.commit("Rename the first", day=4)  # its file is newer than the newcomer's, its number is not
    result = cli("--root", str(repo.root), "validate")
    assert problems(result) == ["patterns/newcomer.md:3:5: error[E-DUPLICATE-ID] pattern number 7 is already "
                                "used by patterns/new-name.md (published first)"]


def test_a_pattern_deleted_and_added_again_arrives_when_it_came_back(repo: Repo, cli: Cli) -> None:
    repo.write("patterns/came-back.md", pattern(7, "Came back"))
    repo.commit("A pattern", day=2)
    repo.git("rm", "--quiet", "patterns/came-back.md")
    repo.commit("Withdrawn", day=3)
    repo.write("patterns/took-the-number.md", pattern(7, "Took the free number"))
    repo.commit("Another pattern", day=4)
    repo.write("patterns/came-back.md", pattern(7, "Came back"))
    repo.commit("Restored", day=5)
    result = cli("--root", str(repo.root), "validate")
    assert problems(result) == ["patterns/came-back.md:3:5: error[E-DUPLICATE-ID] pattern number 7 is already "
                                "used by patterns/took-the-number.md (published first)"]


def test_an_uncommitted_pattern_is_the_later_one(repo: Repo, cli: Cli) -> None:
    repo.write("patterns/z-committed.md", pattern(7, "Committed"))
    repo.commit("A pattern", day=2)
    repo.write("patterns/a-not-committed-yet.md", pattern(7, "Not committed yet"))
    result = cli("--root", str(repo.root), "validate")
    assert problems(result) == ["patterns/a-not-committed-yet.md:3:5: error[E-DUPLICATE-ID] pattern number 7 is "
                                "already used by patterns/z-committed.md (published first)"]


def test_without_git_the_order_of_names_decides_and_nothing_is_said_to_be_published(tmp_path: Path, cli: Cli) -> None:
    root = make_repository(tmp_path / "plain")  # no git: no history to ask
    (root / "patterns" / "z-last-by-name.md").write_text(pattern(7, "One"), encoding="utf-8")
    (root / "patterns" / "a-first-by-name.md").write_text(pattern(7, "Other"), encoding="utf-8")
    result = cli("--root", str(root), "validate")
    assert problems(result) == ["patterns/z-last-by-name.md:3:5: error[E-DUPLICATE-ID] pattern number 7 is already "
                                "used by patterns/a-first-by-name.md"]
    assert "    hint: the next free number is 8" in result.out.splitlines()


# --- The base branch moved on --------------------------------------------------------------------------------

def test_a_base_that_moved_on_without_conflict_passes(repo: Repo, cli: Cli) -> None:
    repo.branch("pr", {"patterns/report-a-pothole.md": pattern(2, "Report a pothole")}, day=2)
    repo.branch("other", {"patterns/book-a-bulky-waste-collection.md": pattern(3, "Book a bulky waste collection")},
                day=3)
    repo.merge("other", day=4)
    repo.write("councils/hackney/council.yml",
               (repo.root / "councils/hackney/council.yml").read_text(encoding="utf-8") + "# a comment\n")
    repo.commit("A change straight on main", day=5)

    result = check_pr(cli, repo, "pr")
    assert result.err == ""
    assert problems(result) == []
    assert result.code == 0
    assert result.out.endswith("1 file checked: no problems.\n")  # the pull request's file, not main's news
    assert "Report a pothole" in result.out and "bulky" not in result.out


def test_what_main_added_since_is_checked_against_what_the_pull_request_deletes(repo: Repo, cli: Cli) -> None:
    repo.write("patterns/check-your-bin-day.md", pattern(2, "Check your bin day"))
    repo.commit("A second pattern", day=2)
    repo.git("checkout", "--quiet", "-b", "pr")
    repo.git("rm", "--quiet", "patterns/check-your-bin-day.md")
    repo.commit("Nobody uses it", day=3)
    repo.git("checkout", "--quiet", "main")
    assert check_pr(cli, repo, "pr").code == 0  # alone, nothing names it
    repo.branch("other", {"patterns/report-a-pothole.md": pattern(3, "Report a pothole", "[check-your-bin-day]")},
                day=4)
    repo.merge("other", day=5)

    result = check_pr(cli, repo, "pr")
    assert result.code == 1
    assert [line.split(" error[")[0] + " " + line.split("]")[0].split("[")[1] for line in problems(result)] == [
        "patterns/report-a-pothole.md:9:11: E-UNKNOWN-REF"]


def test_a_conflict_with_the_base_is_a_problem_not_a_traceback(repo: Repo, cli: Cli) -> None:
    path = "patterns/report-a-missed-bin.md"
    text = (repo.root / path).read_text(encoding="utf-8")
    summary = "summary: Residents report a missed collection in under a minute with only their address."
    repo.branch("pr", {path: text.replace(summary, "summary: Report a missed bin online in a minute.")}, day=2)
    repo.branch("other", {path: text.replace(summary, "summary: Report a missed bin by postcode.")}, day=3)
    repo.merge("other", day=4)

    result = check_pr(cli, repo, "pr", "--format", "github")
    assert result.err == ""
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"::error file={path},title=E-CONFLICT::this pull request conflicts with main in {path}: update the branch "
        "— hint: bring in what main changed since (GitHub's \"Update branch\" button, or merge it locally) and "
        "keep what both sides changed in it")
    assert result.out.endswith("1 file checked: 1 error, 0 warnings.\n")  # the head itself is valid


# --- The clone check-pr reads is only read --------------------------------------------------------------------

@pytest.mark.parametrize("checked_out", ["main", "second"])
def test_the_work_tree_index_and_objects_of_root_are_untouched(repo: Repo, cli: Cli, checked_out: str) -> None:
    two_pull_requests_with_number_2(repo)
    repo.merge("first", day=4)
    repo.git("checkout", "--quiet", checked_out)
    # Someone's work in progress: an edited file, a staged one, an untracked one.
    repo.write("patterns/report-a-missed-bin.md", pattern(1, "Edited, not committed"))
    repo.write("councils/hackney/notes.txt", "staged\n")
    repo.git("add", "councils/hackney/notes.txt")
    repo.write("patterns/draft.md", "not even valid\n")
    before = repo.state()
    assert check_pr(cli, repo, "second").code == 1
    assert repo.state() == before
