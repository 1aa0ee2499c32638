"""`commons check-pr` on real git repositories made in tmp_path: a base branch, a pull-request branch, authors.

Whole pull requests, with the exact summary (the pull-request comment), annotations and exit code (0 mergeable,
1 errors, 3 valid but needing a council's approval), are data in tests/golden-comments/, each run by
`test_golden_comment`. The tests written here assert one thing each: a sentence, an approval, an exit code.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import golden_comments
from commons.commands.check_pr.compare import check_pull_request
from commons.commands.check_pr.pull_request import Approval, EntryChange, FileChange, PullRequestCheck
from commons.commands.check_pr.summary import markdown_summary
from commons.content.load import RawEntry
from commons.content.problems import CODES, Problem
from commons.content.register import load_register
from commons.content.schema import BY_NAME
from commons.markdown_text import markdown_code, markdown_text, mention
from conftest import REPO, Result, make_repository
from markdown_checks import assert_only_safe_markdown

SITE = "https://example.org/commons/"
COMMONS_MAINTAINERS = ("commons-lead", "commons-second")  # golden_comments.BASE_FILES["MAINTAINERS.yml"]

BIN_DAY = """\
---
# yaml-language-server: $schema=../schemas/pattern.schema.json
id: 2
title: Check your bin collection day
summary: Residents find their next collection dates from their address.
service-area: environmental-and-regulatory
status: beta
councils: [LDS]
related: [report-a-missed-bin]
last-reviewed: 2025-06-01
---

## Problem

Residents phone to ask which bin goes out this week.

## Solution

An address lookup that shows the next three collections.

## Evidence

Calls about collection days fell by a third.

## Considerations

### Accessibility

Dates are written out in words.

### Data protection

Stores nothing.
"""

LEEDS = """\
# yaml-language-server: $schema=../../schemas/council.schema.json
code: LDS
maintainers:
  - leeds-digital
website: https://www.leeds.gov.uk
"""

NEW_PATTERN = """\
---
# yaml-language-server: $schema=../schemas/pattern.schema.json
id: 3
title: Book a bulky waste collection
summary: Residents book and pay for a bulky item collection in one go.
service-area: environmental-and-regulatory
status: alpha
councils: [HCK]
related: [report-a-missed-bin]
last-reviewed: 2026-10-01
---

## Problem

Bookings are taken by phone and paid separately.

## Solution

One form that books a slot and takes the payment.

## Evidence

Illustrative: half of bookings moved online in three months.

## Considerations

### Accessibility

The date picker works by keyboard.

### Data protection

Addresses are deleted after the collection.
"""


class PullRequest:
    """A repository whose `main` holds a valid commons, and a branch `pr` made from it."""

    def __init__(self, root: Path):
        self.root = make_repository(root)
        (root / "mkdocs.yml").write_text(f"site_name: Test\nsite_url: {SITE}\n", encoding="utf-8")
        self.write("MAINTAINERS.yml", golden_comments.BASE_FILES["MAINTAINERS.yml"])  # commons-lead, commons-second
        self.write("patterns/check-your-bin-collection-day.md", BIN_DAY)
        self.write("councils/leeds/council.yml", LEEDS)
        self.repo = git.Repo.init(root, initial_branch="main")
        self.commit("Start the commons", "maintainer")
        self.repo.git.checkout("-b", "pr")

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def land(self) -> None:
        """Merge what the branch has so far into main, as if an earlier pull request was merged."""
        self.repo.git.checkout("main")
        self.repo.git.merge("pr", "--ff-only")
        self.repo.git.checkout("pr")

    def commit(self, message: str, author: str) -> None:
        self.repo.git.add("--all")
        actor = git.Actor(author, f"{author}@users.noreply.github.com")
        self.repo.index.commit(message, author=actor, committer=actor,
                               author_date="2026-11-02T10:00:00", commit_date="2026-11-02T10:00:00")


@pytest.fixture
def pr(tmp_path: Path) -> PullRequest:
    return PullRequest(tmp_path / "repo")


def check(cli: Callable[..., Result], pr: PullRequest, author: str, *more: str) -> Result:
    summary = pr.root.parent / "summary.md"
    result = cli("--root", str(pr.root), "check-pr", "--base", "main", "--author", author,
                 "--summary", str(summary), *more)
    assert result.err == ""
    return Result(result.code, summary.read_text(encoding="utf-8") + "~~~\n" + result.out, result.err)


# Whole pull requests and their exact comments (an added, renamed or deleted pattern, a status change, an
# outsider's edit, a change of maintainers...) are golden data: tests/golden-comments/, run at the end.


def test_in_text_format_the_command_prints_its_summary_then_the_count(pr: PullRequest,
                                                                      cli: Callable[..., Result]) -> None:
    pr.write("patterns/book-a-bulky-waste-collection.md", NEW_PATTERN)
    pr.commit("Bulky waste pattern", "hackney-digital")

    result = check(cli, pr, "hackney-digital")
    summary, out = result.out.split("~~~\n")
    # The same summary it writes to --summary (tests/golden-comments/pattern-added/comment.md), then the count.
    assert summary == (golden_comments.GOLDEN_COMMENTS / "pattern-added" / "comment.md").read_text(encoding="utf-8")
    assert out == summary + "1 file checked: no problems.\n"
    assert result.code == 0


def test_a_new_maintainer_cannot_approve_their_own_arrival(pr: PullRequest, cli: Callable[..., Result]) -> None:
    pr.edit("councils/hackney/council.yml", "  - hackney-digital\n", "  - hackney-digital\n  - newcomer\n")
    pr.commit("Add me", "newcomer")
    found = check_pull_request(pr.root, "main", "HEAD", "newcomer")
    assert [a.sentence() for a in found.approvals] == [
        "needs approval from @hackney-digital (maintainers of Hackney): @newcomer is not one of its maintainers"]


def test_the_head_need_not_be_checked_out(pr: PullRequest, cli: Callable[..., Result]) -> None:
    pr.write("patterns/book-a-bulky-waste-collection.md", NEW_PATTERN.replace("id: 3", "id: 2"))
    pr.commit("Bulky waste pattern with a used number", "hackney-digital")
    pr.repo.git.checkout("main")
    result = cli("--root", str(pr.root), "check-pr", "--base", "main", "--head", "pr", "--format", "github")
    assert result.out.splitlines()[0].startswith(
        "::error file=patterns/book-a-bulky-waste-collection.md,line=3,col=5,title=E-DUPLICATE-ID::pattern number 2")
    assert result.code == 1
    assert not (pr.root / "patterns" / "book-a-bulky-waste-collection.md").exists()  # main is untouched
    assert pr.repo.git.worktree("list").count("\n") == 0  # the temporary worktree is gone


def test_rewriting_history_needs_a_maintainer_of_the_commons(pr: PullRequest, cli: Callable[..., Result]) -> None:
    pr.edit("councils/hackney/declaration.yml", "note: Discovery started with the repairs service.",
            "note: Discovery started.")
    pr.commit("Shorter", "hackney-digital")
    result = check(cli, pr, "hackney-digital", "--format", "github")
    # No longer a warning to read: valid, but waiting (exit 3) for a maintainer the base's MAINTAINERS.yml names,
    # with the annotation still on the line of the update that was changed.
    assert result.out.split("~~~\n")[1] == (
        "::warning file=councils/hackney/declaration.yml,line=12,col=9,title=Needs approval::needs approval from "
        "@commons-lead or @commons-second (maintainers of Council Commons): it rewrites Declaration history: the "
        "update of 2024-01-08 to commitment 'open-repairs-data' is changed — hint: leave earlier updates as they were "
        "and add a new dated update\n"
        "1 file checked: no problems.\n")
    assert result.code == 3
    # A maintainer of the commons who rewrites history needs another one (and, not being Hackney's, Hackney).
    found = check_pull_request(pr.root, "main", "HEAD", "Commons-Lead")
    assert [a.sentence() for a in found.approvals] == [
        "needs approval from @hackney-digital (maintainers of Hackney): @Commons-Lead is not one of its maintainers",
        "needs approval from @commons-second (maintainers of Council Commons): it rewrites Declaration history: "
        "councils/hackney/declaration.yml:12:9: the update of 2024-01-08 to commitment 'open-repairs-data' is changed"]


def test_removing_a_commitment_rewrites_history(pr: PullRequest, cli: Callable[..., Result]) -> None:
    pr.write("councils/hackney/declaration.yml", "commitments: []\n")
    pr.commit("Start again", "hackney-digital")
    found = check_pull_request(pr.root, "main", "HEAD", "hackney-digital")
    assert [(a.council, a.kind, [(f.where, f.message) for f in a.found]) for a in found.approvals] == [
        ("Council Commons", "history", [("councils/hackney/declaration.yml:1:1",
                                         "commitment 'open-repairs-data' is removed, with its 1 update")])]


@pytest.mark.parametrize(("old", "new", "code"), [
    ("  - id: open-repairs-data\n", "  - id: 2024\n", "E-TYPE"),  # an id that is a number
    ("  - id: open-repairs-data\n", "  - ident: open-repairs-data\n", "E-REQUIRED"),  # a mistyped key
    ("", "commitments: see our website\n", "E-TYPE"),  # not a list at all: the whole file
])
def test_commitments_that_cannot_be_told_apart_remove_nothing(pr: PullRequest, cli: Callable[..., Result], old: str,
                                                               new: str, code: str) -> None:
    if old:
        pr.edit("councils/hackney/declaration.yml", old, new)
    else:
        pr.write("councils/hackney/declaration.yml", new)
    pr.commit("Mangled", "hackney-digital")
    found = check_pull_request(pr.root, "main", "HEAD", "hackney-digital")
    assert [a.kind for a in found.approvals] == []  # not a history rewrite: nothing is known to be removed
    line = next(n for n, text in enumerate((pr.root / "councils/hackney/declaration.yml").read_text(
        encoding="utf-8").splitlines(), 1) if text == new.rstrip("\n"))
    (why,) = [p for p in found.problems if p.code == code and p.line == line]
    summary = check(cli, pr, "hackney-digital").out.split("~~~\n")[0]
    assert "removes the commitment" not in summary and "rewrites" not in summary
    assert f"- Could not tell the commitments in <code>councils/hackney/declaration.yml</code> apart: on line " \
           f"{line}, {markdown_text(why.message)}" in summary
    # Another council's maintainer still needs Hackney's approval: the file is Hackney's, readable or not.
    assert [(a.council, a.kind) for a in check_pull_request(pr.root, "main", "HEAD", "leeds-digital").approvals] \
        == [("Hackney", "outsider")]


@pytest.mark.parametrize(("args", "message"), [
    (["--base", "nowhere"], "commons check-pr: --base nowhere: no such branch, tag or commit"),
    (["--base", "main", "--head", "nothing"], "commons check-pr: --head nothing: no such branch, tag or commit"),
])
def test_unknown_refs_are_usage_errors(pr: PullRequest, cli: Callable[..., Result], args: list[str],
                                       message: str) -> None:
    result = cli("--root", str(pr.root), "check-pr", *args)
    assert result.code == 2
    assert result.err.startswith(message)


def test_outside_a_git_repository(repo: Path, cli: Callable[..., Result]) -> None:
    result = cli("--root", str(repo), "check-pr", "--base", "main")
    assert result.code == 2
    assert "is not a git repository; check-pr compares two commits" in result.err


# --- Golden comments: whole pull requests as data (tests/golden-comments/) ------------------------------------

COMMENT_CASES = golden_comments.cases()


@pytest.mark.parametrize("case", COMMENT_CASES, ids=[c.name for c in COMMENT_CASES])
def test_golden_comment(case: Path, tmp_path: Path) -> None:
    root, author = golden_comments.materialise(case, tmp_path / "repo")
    assert golden_comments.check(root, author) == golden_comments.read_expected(case)


def test_every_code_only_check_pr_finds_has_a_comment_case() -> None:
    names = {c.name for c in COMMENT_CASES}
    for code in (c.code for c in CODES.values() if c.found_by == "check-pr"):
        assert code in names, f"add tests/golden-comments/{code}/"
        comment, output, _ = golden_comments.read_expected(golden_comments.GOLDEN_COMMENTS / code)
        assert f"[{code}](" in comment and f"title={code}::" in output


def test_the_golden_comments_readme_documents_the_format() -> None:
    readme = (golden_comments.GOLDEN_COMMENTS / "README.md").read_text(encoding="utf-8")
    keys = {key for case in COMMENT_CASES for key in json.loads((case / "pr.json").read_text(encoding="utf-8"))}
    for word in sorted(keys) + ["base/", "head/", "comment.md", "output.txt", "exit-code", "regenerate.py"]:
        assert f"`{word}`" in readme, word


def test_hostile_comments_mention_nobody_the_base_does_not_name() -> None:
    # The cases that put @mentions, links and HTML everywhere: only the base branch's maintainers are pinged,
    # and nothing the pull request wrote becomes a link, an image or HTML.
    for name in ("hostile-text", "hostile-but-valid"):
        comment, _, _ = golden_comments.read_expected(golden_comments.GOLDEN_COMMENTS / name)
        assert_only_safe_markdown(comment, mentions={"hackney-digital"})


# --- Any contributed text, anywhere in the summary ------------------------------------------------------------

HOSTILE_TEXT = st.one_of(
    st.sampled_from(["@alice", "#12", "<img src=x onerror=alert(1)>", "![i](https://evil.example/i.png)",
                     "[l](https://evil.example)", "www.evil.example", "`", "**b**", "| t |", "# h", "> q", "\n- x",
                     "&#64;bob", "<!-- c -->", "$x$", "\\", "1. x", "x\r\n# y"]),
    st.text(alphabet=st.sampled_from(list("@#<>[]()!*_`~|\\$&:/.w =-+1a\n\r")), max_size=10),
    st.text(max_size=10),
)
HOSTILE_VALUES = st.lists(HOSTILE_TEXT, min_size=1, max_size=4).map("".join)


def _entry(path: str, slug: str, meta: dict[str, Any], body: str = "") -> RawEntry:
    """An entry as the loader gives it, with any values at all (what YAML can say is a subset of these)."""
    ctype = BY_NAME["commitment"] if path.endswith("declaration.yml") else BY_NAME["pattern"]
    return RawEntry(path, ctype, slug, meta, body, folder=slug if ctype.name == "commitment" else "")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({k: HOSTILE_VALUES for k in (
    "title", "old", "new", "key", "slug", "commitment", "status", "evidence", "handle", "path", "message", "hint",
    "author", "file")}))
def test_no_contributed_text_survives_as_a_mention_link_image_or_html(v: dict[str, str]) -> None:
    register = load_register()
    before = _entry("patterns/x.md", "x", {"title": "Before", "status": "alpha", v["key"]: v["old"],
                                           "councils": ["HCK"], "maintainers": [v["handle"]]}, "old\n")
    after = _entry("patterns/x.md", v["slug"], {"title": v["title"], "status": v["status"], v["key"]: v["new"],
                                                "councils": ["HCK", v["slug"]], "maintainers": [v["handle"] + "x"],
                                                "related": [v["slug"]], "aliases": [v["old"]]}, "new\n")
    added = _entry("patterns/y.md", v["slug"], {"title": v["title"]})

    def declaration(updates: int, second: str) -> RawEntry:
        history = [{"date": v["old"], "status": v["status"], "evidence": v["evidence"]}] * updates
        return _entry("councils/hackney/declaration.yml", "hackney", {"commitments": [
            {"id": cid, "title": v["commitment"], "status": status, "patterns": [v["slug"]], "history": history,
             v["key"]: v[key]} for cid, status, key in ((v["slug"], v["status"], "old"), ("b", second, "new"))]})

    entries = [
        EntryChange(FileChange("renamed", "patterns/old.md", "patterns/x.md"), before, after),
        EntryChange(FileChange("added", None, "patterns/y.md"), None, added),
        EntryChange(FileChange("modified", "councils/hackney/declaration.yml", "councils/hackney/declaration.yml"),
                    declaration(0, "planned"), declaration(2, "done")),
        EntryChange(FileChange("added", None, v["path"]), None, None),
    ]
    problems = [Problem(v["path"], 3, 1, "E-VALUE", v["message"], v["hint"]),
                Problem(v["file"], 0, 0, v["message"], v["hint"])]
    approvals = [Approval("Hackney", ("hackney-digital", v["handle"]), f"@{v['author']} is not one of its maintainers"),
                 Approval(v["title"], (), v["message"]),
                 Approval("Council Commons", ("commons-lead",), "it changes the tooling", (v["file"], v["path"]))]
    result = PullRequestCheck("a" * 40, "b" * 40, v["author"], entries, [v["file"]], problems, 3, approvals,
                              {"Hackney": ("hackney-digital", v["handle"])}, register, SITE)
    assert_only_safe_markdown(markdown_summary(result, SITE),
                              mentions={"hackney-digital", "commons-lead"} | _well_formed(v["handle"]))
    without_author = PullRequestCheck("a" * 40, "b" * 40, None, entries, [], problems, 3, [],
                                      {v["title"]: ("hackney-digital", v["handle"])}, register, SITE)
    assert_only_safe_markdown(markdown_summary(without_author, SITE),
                              mentions={"hackney-digital"} | _well_formed(v["handle"]))


def _well_formed(handle: str) -> set[str]:
    """A handle the base commit names is mentioned when it is a GitHub name (the validator refuses others)."""
    return {handle} if mention(handle) == "@" + handle else set()


# --- A pull request's code never decides its own verdict ------------------------------------------------------

CHECK_PR_COMMAND = "scripts/commons/commands/check_pr/__init__.py"  # the module whose command() check-pr runs
SELF_APPROVAL = '''

def command(args, root):  # this pull request approves itself
    print("All checks passed: nothing needs approval.")
    return 0
'''


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})


def test_a_pull_request_that_rewrites_check_pr_cannot_approve_itself(tmp_path: Path) -> None:
    """As the workflows run it: the base branch's tooling in one clone, the pull request's files in another."""
    origin = make_repository(tmp_path / "origin")
    shutil.copytree(REPO / "scripts" / "commons", origin / "scripts" / "commons",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "data", origin / "data", dirs_exist_ok=True)  # its lists: system categories, suppliers
    for rel, text in golden_comments.BASE_FILES.items():
        (origin / rel).parent.mkdir(parents=True, exist_ok=True)
        (origin / rel).write_text(text, encoding="utf-8")
    _git(origin, "init", "--quiet", "--initial-branch=main")
    _git(origin, "add", "--all")
    _git(origin, "-c", "user.name=maintainer", "-c", "user.email=m@example.org", "commit", "--quiet", "-m", "Base")
    _git(origin, "checkout", "--quiet", "-b", "pr")
    declaration = origin / "councils" / "hackney" / "declaration.yml"
    declaration.write_text(declaration.read_text(encoding="utf-8").replace("target: 2026-12-31", "target: 2030-01-01"),
                           encoding="utf-8")
    with (origin / CHECK_PR_COMMAND).open("a", encoding="utf-8") as f:
        f.write(SELF_APPROVAL)
    _git(origin, "add", "--all")
    _git(origin, "-c", "user.name=someone-else", "-c", "user.email=s@example.org", "commit", "--quiet", "-m", "Mine")
    tools, head = tmp_path / "tools", tmp_path / "head"
    _git(tmp_path, "clone", "--quiet", "--branch", "main", str(origin), str(tools))
    _git(tmp_path, "clone", "--quiet", "--no-checkout", str(origin), str(head))  # every branch, as fetch-depth: 0
    _git(head, "checkout", "--quiet", "--detach", "origin/pr")

    def check_pr(tooling: Path) -> tuple[int, str]:
        summary = tmp_path / f"summary-{tooling.name}.md"
        done = subprocess.run(
            [sys.executable, "-m", "commons", "check-pr", "--root", str(head), "--base", "origin/main",
             "--head", "HEAD", "--author", "someone-else", "--summary", str(summary)],
            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tooling / "scripts")}, capture_output=True, text=True,
            timeout=120)
        assert done.stderr == ""
        return done.returncode, summary.read_text(encoding="utf-8") if summary.exists() else done.stdout

    # Run from its own checkout, the pull request approves itself: what the workflows must never do.
    assert check_pr(head) == (0, "All checks passed: nothing needs approval.\n")
    # The base branch's tooling, reading the same files as data, is not fooled.
    code, summary = check_pr(tools)
    assert code == 3
    assert "\n- needs approval from @hackney-digital (maintainers of Hackney) for <code>councils/hackney/declaration.yml" \
        "</code>: @&#8203;someone-else is not one of its maintainers\n" in summary
    assert "\n- needs approval from @commons-lead or @commons-second (maintainers of Council Commons): it changes " \
        f"the tooling (files outside the content folders): {markdown_code(CHECK_PR_COMMAND)}\n" in summary


def test_a_change_to_maintainers_yml_is_judged_by_the_base_commits_maintainers(pr: PullRequest,
                                                                             cli: Callable[..., Result]) -> None:
    pr.write("MAINTAINERS.yml", "maintainers:\n  - github: leeds-digital\n    name: Leeds\n")
    pr.commit("I maintain the commons now", "leeds-digital")
    pr.land()  # the base branch names leeds-digital from here on
    pr.write("MAINTAINERS.yml", "maintainers:\n  - github: mallory\n    name: Mallory\n")
    pr.write(".github/CODEOWNERS", "* @mallory\n")
    pr.write("Makefile", "test:\n\ttrue\n")
    pr.commit("So do I", "mallory")
    result = check(cli, pr, "mallory", "--format", "github")
    assert result.code == 3
    assert "- needs approval from @leeds-digital (maintainers of Council Commons): it changes the tooling (files " \
        "outside the content folders): <code>.github/CODEOWNERS</code>, <code>MAINTAINERS.yml</code>, " \
        "<code>Makefile</code>\n" in result.out
    # A maintainer of the commons needs another one: nobody approves their own change to the tooling.
    found = check_pull_request(pr.root, "main", "HEAD", "leeds-digital")
    assert [a.sentence() for a in found.approvals] == [
        "needs approval from a maintainer of Council Commons: it changes the tooling (files outside the content "
        "folders): .github/CODEOWNERS, MAINTAINERS.yml, Makefile"]


def test_ownership_comes_from_the_base_branch_not_an_old_merge_base(pr: PullRequest,
                                                                   cli: Callable[..., Result]) -> None:
    # The pull request starts from a commit where its author was a maintainer; they have been removed since.
    pr.edit("councils/hackney/council.yml", "  - hackney-digital\n", "  - hackney-digital\n  - former-officer\n")
    pr.commit("Add an officer", "hackney-digital")
    pr.land()
    pr.repo.git.checkout("main")
    pr.edit("councils/hackney/council.yml", "  - former-officer\n", "")
    pr.commit("The officer has left", "hackney-digital")
    pr.repo.git.checkout("pr")
    pr.edit("councils/hackney/declaration.yml", "    target: 2026-12-31", "    target: 2030-12-31")
    pr.commit("Later", "former-officer")
    found = check_pull_request(pr.root, "main", "HEAD", "former-officer")
    assert [a.sentence() for a in found.approvals] == [
        "needs approval from @hackney-digital (maintainers of Hackney): @former-officer is not one of its maintainers"]


# --- Any bytes in, problems out -------------------------------------------------------------------------------


def test_any_file_names_give_problems_never_a_traceback(pr: PullRequest, cli: Callable[..., Result]) -> None:
    rng = random.Random(20261102)
    names = [b"\xff", b"caf\xe9.md", b"a\nb.md", b"a\rb.md", b"-rf", b"--help", b"*", b"\\", b" .md", b"x\x1b[2J",
             "ünïcödé.md".encode(), "\u202etxt.md".encode(), b"report-a-missed-bin.md\xc0"]
    names += [bytes(rng.choice([b for b in range(1, 256) if b != ord("/")]) for _ in range(rng.randint(1, 24)))
              for _ in range(40)]
    names = [n for n in names if n not in (b".", b"..") and not n.startswith(b".git")]
    for i, name in enumerate(names):
        folder = (b"patterns", b"councils/hackney", b"sessions/ukgovcamp-2026", b"docs", b"")[i % 5]
        path = os.path.join(os.fsencode(pr.root), folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(b"---\ntitle: \xff\n---\n" if i % 2 else name)
    _git(pr.root, "add", "--all")  # git itself: GitPython's index cannot hold such names
    _git(pr.root, "-c", "user.name=hackney-digital", "-c", "user.email=h@example.org", "commit", "-q", "-m", "Names")
    result = check(cli, pr, "hackney-digital", "--format", "github")  # check() asserts nothing went to stderr
    assert result.code == 1
    assert "[E-FILE-NAME](" in result.out
    assert_only_safe_markdown(result.out.split("~~~\n")[0], mentions={"hackney-digital", *COMMONS_MAINTAINERS})
    for line in result.out.split("~~~\n")[1].splitlines()[:-1]:
        assert re.fullmatch(r"::(error|warning) file=[^\n\r]*", line), line


def test_root_may_be_any_clone_but_must_be_a_git_repository(tmp_path: Path, cli: Callable[..., Result]) -> None:
    # A pull request's clone may have lost its register (the base commit's is used), but it must exist.
    result = cli("check-pr", "--root", str(tmp_path / "nowhere"), "--base", "main")
    assert (result.code, result.err.splitlines()[0]) == (2, f"commons check-pr: --root {tmp_path / 'nowhere'} is "
                                                            "not a folder")
    result = cli("check-pr", "--root", str(tmp_path), "--base", "main")
    assert result.code == 2 and "is not a git repository; check-pr compares two commits" in result.err
