"""`commons approval` on real git repositories made in tmp_path, with review lists shaped as GitHub's REST API
returns them: what the required "Council approval" status is computed from. Also the generated CODEOWNERS.

Each repository's `main` is conftest's minimal commons (Hackney maintained by hackney-digital, Leeds by
leeds-digital) with golden_comments' MAINTAINERS.yml (commons-lead, commons-second); `pr` is made from it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

import golden_comments
from conftest import REPO, Cli, make_repository

LEEDS = "code: LDS\nmaintainers:\n  - leeds-digital\nwebsite: https://www.leeds.gov.uk\n"
TARGET = "    target: 2026-12-31"


class Branch:
    """A repository whose `main` holds a valid commons, and a branch `pr` made from it, checked out."""

    def __init__(self, root: Path):
        self.root = make_repository(root)
        for rel, text in {**golden_comments.BASE_FILES, "councils/leeds/council.yml": LEEDS}.items():
            self.write(rel, text)
        self.git("init", "--quiet", "--initial-branch=main")
        self.commit("The base branch", "maintainer")
        self.git("checkout", "--quiet", "-b", "pr")

    def git(self, *args: str, author: str = "maintainer") -> str:
        env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{author}@users.noreply.github.com",
               "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "ci@example.org",
               "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        return subprocess.run(["git", "-C", str(self.root), *args], check=True, env=env, capture_output=True,
                              text=True).stdout.strip()

    def write(self, rel: str, text: str) -> None:
        (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.root / rel).write_text(text, encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = (self.root / rel).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def commit(self, message: str, author: str) -> str:
        """Commit everything; the new commit's id."""
        self.git("add", "--all")
        self.git("commit", "--quiet", "--allow-empty", "-m", message, author=author)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def pr(tmp_path: Path) -> Branch:
    return Branch(tmp_path / "repo")


def review(login: Any, state: str, commit: Any, minute: int = 0, **more: Any) -> dict[str, Any]:
    """One review as GitHub's REST API lists it."""
    return {"id": 1000 + minute, "user": {"login": login, "type": "User"}, "body": "", "state": state,
            "commit_id": commit, "submitted_at": f"2026-11-02T10:{minute:02d}:00Z", "author_association": "NONE",
            **more}


def approval(cli: Cli, pr: Branch, author: str, reviews: Any, *more: str) -> tuple[int, dict[str, Any], str]:
    """Run `commons approval --format json` as the workflow does: the exit code, the object and stderr."""
    path = pr.root.parent / "reviews.json"
    path.write_text(reviews if isinstance(reviews, str) else json.dumps(reviews), encoding="utf-8")
    result = cli("approval", "--root", str(pr.root), "--base", "main", "--head", "HEAD", "--author", author,
                 "--reviews", str(path), "--format", "json", *more)
    return result.code, json.loads(result.out) if result.out else {}, result.err


def outsider_edit(pr: Branch) -> str:
    """leeds-digital changes Hackney's commitment: Hackney's maintainers must approve. The head's id."""
    pr.edit("councils/hackney/declaration.yml", TARGET, "    target: 2030-12-31")
    return pr.commit("A later target", "leeds-digital")


# --- A council's approval ---------------------------------------------------------------------------------


def test_a_council_change_approved_by_its_maintainer_on_the_head_commit_passes(pr: Branch, cli: Cli) -> None:
    head = outsider_edit(pr)
    assert approval(cli, pr, "leeds-digital", []) == (3, {
        "state": "failure", "description": "Waiting for Hackney (@hackney-digital)",
        "waiting": [{"council": "Hackney", "handles": ["hackney-digital"],
                     "reason": "@leeds-digital is not one of its maintainers"}], "met": []}, "")
    code, answer, _ = approval(cli, pr, "leeds-digital", [review("Hackney-Digital", "APPROVED", head)])
    assert (code, answer["state"], answer["description"], answer["waiting"]) == (
        0, "success", "Approved by @Hackney-Digital for Hackney", [])
    assert answer["met"] == [{"council": "Hackney", "handles": ["hackney-digital"],
                              "reason": "@leeds-digital is not one of its maintainers", "by": "Hackney-Digital"}]


def test_an_approval_of_an_earlier_commit_waits(pr: Branch, cli: Cli) -> None:
    first = outsider_edit(pr)
    pr.edit("councils/hackney/declaration.yml", "    target: 2030-12-31", "    target: 2031-12-31")
    pr.commit("Later still", "leeds-digital")
    code, answer, _ = approval(cli, pr, "leeds-digital", [review("hackney-digital", "APPROVED", first)])
    assert (code, answer["description"], answer["met"]) == (3, "Waiting for Hackney (@hackney-digital)", [])


def test_an_approval_by_someone_who_is_not_a_maintainer_waits(pr: Branch, cli: Cli) -> None:
    head = outsider_edit(pr)
    reviews = [review("leeds-digital-friend", "APPROVED", head), review("commons-lead", "APPROVED", head, 1)]
    code, answer, _ = approval(cli, pr, "leeds-digital", reviews)
    assert (code, answer["state"], answer["description"]) == (3, "failure", "Waiting for Hackney (@hackney-digital)")


@pytest.mark.parametrize(("states", "passes"), [
    (["APPROVED", "CHANGES_REQUESTED"], False),  # a later request for changes takes the approval back
    (["CHANGES_REQUESTED", "APPROVED"], True),
    (["APPROVED", "COMMENTED"], True),  # a comment is not a reviewer's word on the change
    (["DISMISSED"], False),  # GitHub shows a dismissed approval as DISMISSED
    (["APPROVED", "DISMISSED"], False),
    (["PENDING"], False),
])
def test_only_a_reviewers_latest_word_counts(pr: Branch, cli: Cli, states: list[str], passes: bool) -> None:
    head = outsider_edit(pr)
    reviews = [review("hackney-digital", state, head, minute) for minute, state in enumerate(states)]
    code, answer, _ = approval(cli, pr, "leeds-digital", reviews)
    assert (code, answer["state"]) == ((0, "success") if passes else (3, "failure"))
    # The time decides, not the place in the list.
    code, _, _ = approval(cli, pr, "leeds-digital", list(reversed(reviews)))
    assert code == (0 if passes else 3)


def test_the_authors_own_approval_never_counts(pr: Branch, cli: Cli) -> None:
    # hackney-digital adds a maintainer: another of Hackney's must approve, and hackney-digital's own review is no
    # approval (nor is the new maintainer's: the rules come from the base commit).
    pr.write("councils/hackney/council.yml", pr.root.joinpath("councils/hackney/council.yml").read_text(
        encoding="utf-8").replace("  - hackney-digital\n", "  - hackney-digital\n  - hackney-new\n"))
    head = pr.commit("A new colleague", "hackney-digital")
    reviews = [review("hackney-digital", "APPROVED", head), review("hackney-new", "APPROVED", head, 1)]
    code, answer, _ = approval(cli, pr, "hackney-digital", reviews)
    assert (code, [w["council"] for w in answer["waiting"]]) == (3, ["Council Commons"])
    assert answer["waiting"][0]["reason"] == "it changes Hackney's maintainers, and Hackney has no other maintainer " \
        "to approve it"
    code, answer, _ = approval(cli, pr, "HACKNEY-DIGITAL", reviews + [review("commons-second", "APPROVED", head, 2)])
    assert (code, answer["description"]) == (0, "Approved by @commons-second for Council Commons")


# --- The commons' approval ----------------------------------------------------------------------------------


def test_a_tooling_change_needs_a_handle_from_maintainers_yml(pr: Branch, cli: Cli) -> None:
    pr.write("Makefile", "test:\n\ttrue\n")
    head = pr.commit("Faster tests", "commons-lead")
    code, answer, _ = approval(cli, pr, "commons-lead", [review("commons-lead", "APPROVED", head),
                                                         review("hackney-digital", "APPROVED", head, 1)])
    assert (code, answer["waiting"]) == (3, [{
        "council": "Council Commons", "handles": ["commons-second"],
        "reason": "it changes the tooling (files outside the content folders)"}])
    assert answer["description"] == "Waiting for Council Commons (@commons-second)"
    code, answer, _ = approval(cli, pr, "someone", [review("commons-lead", "APPROVED", head)])
    assert (code, answer["description"]) == (0, "Approved by @commons-lead for Council Commons")


def test_rewriting_history_needs_a_commons_maintainer(pr: Branch, cli: Cli) -> None:
    pr.edit("councils/hackney/declaration.yml", "note: Discovery started with the repairs service.",
            "note: Discovery started.")
    head = pr.commit("Shorter", "hackney-digital")
    code, answer, _ = approval(cli, pr, "hackney-digital", [])
    assert (code, answer["description"], answer["waiting"][0]["reason"]) == (
        3, "Waiting for Council Commons (@commons-lead or @commons-second)", "it rewrites Declaration history")
    assert approval(cli, pr, "hackney-digital", [review("commons-second", "APPROVED", head)])[0] == 0


def test_a_pull_request_that_makes_its_friend_a_maintainer_gains_nothing(pr: Branch, cli: Cli) -> None:
    pr.write("MAINTAINERS.yml", "maintainers:\n  - github: friend\n    name: A Friend\n")
    pr.edit("councils/hackney/council.yml", "  - hackney-digital\n", "  - hackney-digital\n  - friend\n  - mallory\n")
    pr.edit("councils/hackney/declaration.yml", TARGET, "    target: 2040-12-31")
    head = pr.commit("We maintain everything now", "mallory")
    reviews = [review("friend", "APPROVED", head), review("mallory", "APPROVED", head, 1)]
    code, answer, _ = approval(cli, pr, "mallory", reviews)
    assert (code, answer["met"]) == (3, [])
    assert answer["description"] == "Waiting for Hackney (@hackney-digital) and Council Commons (@commons-lead or " \
        "@commons-second)"


def test_a_change_with_errors_must_be_fixed_first(pr: Branch, cli: Cli) -> None:
    pr.edit("councils/hackney/declaration.yml", TARGET, "    target: someday")
    head = pr.commit("Vague", "leeds-digital")
    code, answer, _ = approval(cli, pr, "leeds-digital", [review("hackney-digital", "APPROVED", head)])
    assert (code, answer["state"]) == (1, "failure")
    assert answer["description"].startswith("Fix the 1 error the Council Commons check found first")


def test_nothing_to_approve_passes_and_text_says_so(pr: Branch, cli: Cli, tmp_path: Path) -> None:
    pr.edit("councils/hackney/declaration.yml", TARGET, "    target: 2027-03-31")
    pr.commit("Our own record", "hackney-digital")
    (tmp_path / "none.json").write_text("[]", encoding="utf-8")
    result = cli("approval", "--root", str(pr.root), "--base", "main", "--head", "pr", "--author", "hackney-digital",
                 "--reviews", str(tmp_path / "none.json"))
    assert (result.code, result.out) == (0, "Council approval: success. No approval needed: the author maintains "
                                            "every council this changes.\n")


def test_the_description_fits_a_commit_status_and_names_who_must_approve(pr: Branch, cli: Cli) -> None:
    many = "".join(f"  - github: commons-maintainer-number-{i:02d}\n    name: M {i}\n" for i in range(12))
    pr.write("MAINTAINERS.yml", "maintainers:\n" + many)
    pr.commit("More maintainers", "maintainer")
    pr.git("checkout", "--quiet", "main")
    pr.git("merge", "--quiet", "--ff-only", "pr")
    pr.git("checkout", "--quiet", "pr")
    pr.write("Makefile", "x:\n\ttrue\n")
    outsider_edit(pr)
    code, answer, _ = approval(cli, pr, "leeds-digital", [])
    assert code == 3 and len(answer["description"]) <= 140
    assert answer["description"] == "Waiting for Hackney (@hackney-digital) and Council Commons " \
        "(@commons-maintainer-number-00, @commons-maintainer-number-01 or 10 others)"
    assert len(answer["waiting"][1]["handles"]) == 12


def test_a_base_that_names_no_maintainers_of_the_commons_waits_for_ever(tmp_path: Path, cli: Cli) -> None:
    pr = Branch(tmp_path / "repo")
    pr.git("checkout", "--quiet", "main")
    pr.git("rm", "--quiet", "MAINTAINERS.yml")
    pr.commit("No maintainers", "maintainer")
    pr.git("checkout", "--quiet", "-B", "pr")
    pr.write("Makefile", "x:\n\ttrue\n")
    head = pr.commit("Tooling", "mallory")
    code, answer, _ = approval(cli, pr, "mallory", [review("commons-lead", "APPROVED", head)])
    assert (code, answer["description"], answer["waiting"][0]["handles"]) == (
        3, "Waiting for a maintainer of Council Commons", [])


def test_text_says_who_is_waited_for_and_why(pr: Branch, cli: Cli) -> None:
    head = outsider_edit(pr)
    (pr.root.parent / "r.json").write_text(json.dumps([review("commons-lead", "APPROVED", head)]), encoding="utf-8")
    result = cli("approval", "--root", str(pr.root), "--base", "main", "--head", head, "--author", "leeds-digital",
                 "--reviews", str(pr.root.parent / "r.json"))
    assert (result.code, result.out) == (3, "Council approval: failure. Waiting for Hackney (@hackney-digital).\n"
                                            "Waiting: it needs approval from @hackney-digital (maintainers of "
                                            "Hackney): @leeds-digital is not one of its maintainers.\n")


# --- Hostile or broken input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("reviews", "message"), [
    ("{\"state\": \"APPROVED\"}", "a JSON list of reviews was expected, not an object"),
    ("[{\"user\": ", "not JSON (line 1, column 11)"),
    ("[" * 200_000 + "]" * 200_000, "not JSON"),
    ("[\"x\"]" + " " * (6 * 1024 * 1024), "over the 5,242,880 byte limit"),
    ("\"APPROVED\"", "a JSON list of reviews was expected, not text"),
    (b"[\xff]", "not UTF-8 text"),
    ("[" + ",".join(["{}"] * 10_001) + "]", "10,001 reviews, over the 10,000 limit"),
])
def test_a_reviews_file_that_is_not_a_list_of_reviews_is_a_usage_error(pr: Branch, cli: Cli, reviews: str | bytes,
                                                                         message: str) -> None:
    outsider_edit(pr)
    path = pr.root.parent / "reviews.json"
    path.write_bytes(reviews if isinstance(reviews, bytes) else reviews.encode())
    result = cli("approval", "--root", str(pr.root), "--base", "main", "--head", "HEAD", "--author", "leeds-digital",
                 "--reviews", str(path), "--format", "json")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(f"commons approval: --reviews {path}: {message}"), result.err
    assert "Traceback" not in result.err and "GET /repos/{owner}/{repo}/pulls/{number}/reviews" in result.err


def test_malformed_reviews_are_ignored_never_trusted(pr: Branch, cli: Cli) -> None:
    head = outsider_edit(pr)
    odd: list[Any] = [None, 7, "APPROVED", [], {}, {"user": None, "state": "APPROVED", "commit_id": head},
           review(None, "APPROVED", head), review(["hackney-digital"], "APPROVED", head),
           review("@hackney-digital", "APPROVED", head), review("hackney-digital\n", "APPROVED", head),
           review("hackney-digital ", "APPROVED", head), review("hackney--digital", "APPROVED", head),
           review("hackney-digital", "approved", head), review("hackney-digital", "APPROVED", head.upper()),
           review("hackney-digital", "APPROVED", head[:12]), review("hackney-digital", "APPROVED", None),
           review("hackney-digital", "APPROVED", head, submitted_at=None),
           review("hackney-digital", "APPROVED", head, submitted_at="yesterday"),
           review("hackney-digital", "APPROVED", head, submitted_at="2026-11-02T10:00:00"),  # no time zone
           {"user": {"login": "hackney-digital"}, "state": "APPROVED", "commit_id": {"sha": head}}]
    code, answer, err = approval(cli, pr, "leeds-digital", odd)
    assert (code, answer["met"], err) == (3, [], "")
    result = cli("approval", "--root", str(pr.root), "--base", "main", "--head", "HEAD", "--author", "leeds-digital",
                 "--reviews", str(pr.root.parent / "reviews.json"))
    assert result.out.splitlines()[-1] == f"Ignored: {len(odd)} entries in the reviews file that are not a " \
        "well-formed review."
    # A request for changes whose time cannot be read counts as the latest word: it is never skipped over.
    blocked = [review("hackney-digital", "APPROVED", head), review("hackney-digital", "CHANGES_REQUESTED", head,
                                                                   submitted_at="not a time")]
    assert approval(cli, pr, "leeds-digital", blocked)[0] == 3
    assert approval(cli, pr, "leeds-digital", odd + [review("hackney-digital", "APPROVED", head, 5)])[0] == 0


@pytest.mark.parametrize("args", [
    ["--author", "leeds digital"], ["--author", "@leeds-digital"], ["--author", "x" * 60], ["--reviews", "/nowhere"],
    ["--head", "nothing"], ["--base", "nowhere"],
])
def test_bad_arguments_are_usage_errors(pr: Branch, cli: Cli, tmp_path: Path, args: list[str]) -> None:
    outsider_edit(pr)
    (tmp_path / "r.json").write_text("[]", encoding="utf-8")
    given = {"--base": "main", "--head": "HEAD", "--author": "leeds-digital", "--reviews": str(tmp_path / "r.json")}
    given.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = cli("approval", "--root", str(pr.root), *(w for pair in given.items() for w in pair))
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("commons approval: ") and "Traceback" not in result.err


# --- The generated CODEOWNERS ----------------------------------------------------------------------------------


def test_codeowners_follows_the_councils_and_schema_check_catches_drift(pr: Branch, cli: Cli) -> None:
    assert cli("--root", str(pr.root), "schema", "--write").code == 0
    codeowners = (pr.root / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "\n* @commons-lead @commons-second\n" in codeowners
    assert "\n/councils/hackney/ @hackney-digital @commons-lead @commons-second\n" in codeowners
    assert "\n/councils/leeds/ @leeds-digital @commons-lead @commons-second\n" in codeowners
    assert cli("--root", str(pr.root), "schema", "--check").code == 0
    # A council changes its maintainers without regenerating: the check names CODEOWNERS.
    pr.edit("councils/leeds/council.yml", "  - leeds-digital\n", "  - leeds-digital\n  - leeds-data\n")
    result = cli("--root", str(pr.root), "schema", "--check")
    assert (result.code, result.err.splitlines()[0]) == (
        1, ".github/CODEOWNERS: out of date with MAINTAINERS.yml and the councils' maintainers")
    assert cli("--root", str(pr.root), "schema", "--write").out == "wrote .github/CODEOWNERS\n"
    assert "\n/councils/leeds/ @leeds-digital @leeds-data @commons-lead @commons-second\n" in \
        (pr.root / ".github" / "CODEOWNERS").read_text(encoding="utf-8")


def test_a_broken_maintainers_yml_stops_schema_write_with_located_problems(pr: Branch, cli: Cli) -> None:
    assert cli("--root", str(pr.root), "schema", "--write").code == 0
    before = (pr.root / ".github" / "CODEOWNERS").read_bytes()
    pr.write("MAINTAINERS.yml", "maintainers:\n  - github: \"@commons-lead\"\n    name: Lead\n  - name: No Handle\n")
    pr.edit("councils/leeds/council.yml", "  - leeds-digital\n", "  - leeds-data\n")
    result = cli("--root", str(pr.root), "schema", "--write")
    assert result.code == 1
    assert result.out.splitlines() == [
        "MAINTAINERS.yml:2:13: error[E-VALUE] '@commons-lead' is not a GitHub user name",
        "    hint: write it without the @: commons-lead",
        "MAINTAINERS.yml:4:5: error[E-REQUIRED] maintainer 2 has no 'github'",
        "    hint: add github: their GitHub user name, without the @"]
    assert result.err.startswith("commons schema: MAINTAINERS.yml has 2 problems, so .github/CODEOWNERS cannot be "
                                 "made from it\n")
    assert (pr.root / ".github" / "CODEOWNERS").read_bytes() == before  # nothing half-written


def test_the_repositorys_own_maintainers_are_named_in_contributing() -> None:
    import yaml

    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = contributing.split("## Who maintains the commons", 1)[1].split("\n## ", 1)[0]
    for m in yaml.safe_load((REPO / "MAINTAINERS.yml").read_text(encoding="utf-8"))["maintainers"]:
        assert f"@{m['github']}" in section and m["name"] in section
