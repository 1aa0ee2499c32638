"""`commons check-pr` on real git repositories made in tmp_path: a base branch, a pull-request branch, authors.

Each test asserts the exact summary (the pull-request comment) and annotations, and the exit code: 0 mergeable,
1 errors, 3 valid but needing a council's approval.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import git
import pytest

from commons.changes import check_pull_request
from conftest import Result, make_repository

SITE = "https://example.org/commons/"

BIN_DAY = """\
---
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
code: LDS
maintainers:
  - leeds-digital
website: https://www.leeds.gov.uk
"""

NEW_PATTERN = """\
---
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


def test_a_status_change_by_the_councils_maintainer(pr: PullRequest, cli: Callable[..., Result]) -> None:
    pr.edit("councils/hackney/declaration.yml", "    status: in-progress\n    start:", "    status: done\n    start:")
    pr.edit("councils/hackney/declaration.yml", "      # Keep this comment", """\
      - date: 2026-10-30
        status: done
        note: Weekly files published automatically.
        evidence: https://data.hackney.example/repairs
      # Keep this comment""")
    pr.commit("Repairs data is published", "hackney-digital")

    result = check(cli, pr, "hackney-digital", "--format", "github")
    assert result.out == """\
## Council Commons check

**No problems** in 1 changed content file.

@hackney-digital maintains every council this changes.

### What will change on the site

- Hackney — *Publish housing repairs data openly every week*: in progress → done, evidence: https://data.hackney.example/repairs.

### Pages to look at in the preview

Download the **site** artifact of this check and open these files:

- `councils/hackney/index.html` — Hackney's page
- `patterns/report-a-missed-bin/index.html` — the page of the pattern it names (report-a-missed-bin)
- `dashboard/index.html` — the dashboard's charts and tables
~~~
1 file checked: no problems.
"""
    assert result.code == 0


def test_an_added_pattern(pr: PullRequest, cli: Callable[..., Result]) -> None:
    pr.write("patterns/book-a-bulky-waste-collection.md", NEW_PATTERN)
    pr.commit("Bulky waste pattern", "hackney-digital")

    result = check(cli, pr, "hackney-digital")
    summary = """\
## Council Commons check

**No problems** in 1 changed content file.

@hackney-digital maintains every council this changes.

### What will change on the site

- Adds the pattern **Book a bulky waste collection** at `patterns/book-a-bulky-waste-collection/`.

### Pages to look at in the preview

Download the **site** artifact of this check and open these files:

- `patterns/book-a-bulky-waste-collection/index.html` — the page of Book a bulky waste collection
- `councils/hackney/index.html` — Hackney's page, which lists it
- `patterns/report-a-missed-bin/index.html` — the page of the pattern it names (report-a-missed-bin)
- `patterns/index.html` — the index
"""
    # In text format the command prints the same summary it writes to --summary, then the count.
    assert result.out == summary + "~~~\n" + summary + "1 file checked: no problems.\n"
    assert result.code == 0


def test_a_rename_that_keeps_its_old_slug_as_an_alias(pr: PullRequest, cli: Callable[..., Result]) -> None:
    pr.repo.git.mv("patterns/check-your-bin-collection-day.md", "patterns/bin-collection-day-lookup.md")
    pr.edit("patterns/bin-collection-day-lookup.md", "last-reviewed: 2025-06-01",
            "aliases: [check-your-bin-collection-day]\nlast-reviewed: 2025-06-01")
    pr.commit("Shorter name", "leeds-digital")

    result = check(cli, pr, "leeds-digital", "--format", "github")
    assert result.out.split("~~~\n")[0] == """\
## Council Commons check

**No problems** in 1 changed content file.

@leeds-digital maintains every council this changes.

### What will change on the site

- Renames the pattern **Check your bin collection day**: `patterns/check-your-bin-collection-day/` → `patterns/bin-collection-day-lookup/` (the old address redirects).
- Changes the pattern **Check your bin collection day**: aliases (adds *check-your-bin-collection-day*).

### Pages to look at in the preview

Download the **site** artifact of this check and open these files:

- `patterns/bin-collection-day-lookup/index.html` — the page of Check your bin collection day
- `councils/leeds/index.html` — Leeds's page, which lists it
- `patterns/report-a-missed-bin/index.html` — the page of the pattern it names (report-a-missed-bin)
- `patterns/index.html` — the index
"""
    assert result.code == 0


def test_a_rename_without_the_alias_breaks_references(pr: PullRequest, cli: Callable[..., Result]) -> None:
    pr.repo.git.mv("patterns/report-a-missed-bin.md", "patterns/missed-bin.md")
    pr.edit("patterns/missed-bin.md", "aliases: [missed-bin-report]", "aliases: []")
    pr.commit("Rename", "hackney-digital")

    result = check(cli, pr, "hackney-digital", "--format", "github")
    annotations = result.out.split("~~~\n")[1]
    assert annotations == (
        "::error file=councils/hackney/council.yml,line=7,col=14,title=E-UNKNOWN-REF::there is no pattern "
        "'report-a-missed-bin' — hint: this pull request renames patterns/report-a-missed-bin.md to "
        "patterns/missed-bin.md; keep 'report-a-missed-bin' in the aliases of patterns/missed-bin.md, or change "
        "this reference\n"
        "::error file=councils/hackney/declaration.yml,line=9,col=16,title=E-UNKNOWN-REF::there is no pattern "
        "'report-a-missed-bin' — hint: this pull request renames patterns/report-a-missed-bin.md to "
        "patterns/missed-bin.md; keep 'report-a-missed-bin' in the aliases of patterns/missed-bin.md, or change "
        "this reference\n"
        "::error file=patterns/check-your-bin-collection-day.md,line=8,col=11,title=E-UNKNOWN-REF::there is no "
        "pattern 'report-a-missed-bin' — hint: this pull request renames patterns/report-a-missed-bin.md to "
        "patterns/missed-bin.md; keep 'report-a-missed-bin' in the aliases of patterns/missed-bin.md, or change "
        "this reference\n"
        "::error file=patterns/missed-bin.md,line=9,col=1,title=E-RENAMED::renamed from "
        "patterns/report-a-missed-bin.md, but 'report-a-missed-bin' is not in aliases — hint: add it, so old "
        "links and references keep working: aliases: [report-a-missed-bin]\n"
        "4 files checked: 4 errors, 0 warnings.\n")
    assert "**Cannot be merged yet:** 4 errors in 1 changed content file" in result.out
    assert "- Changes the pattern **Report a missed bin without an account**: aliases (removes " \
        "*missed-bin-report*)." in result.out
    assert f"[E-RENAMED]({SITE}contribute/problems/#e-renamed)" in result.out
    assert result.code == 1


def test_a_deletion_that_breaks_references(pr: PullRequest, cli: Callable[..., Result]) -> None:
    # The link lands on main first; the pull request then deletes the pattern it points to.
    pr.edit("patterns/report-a-missed-bin.md", "related: []", "related: [check-your-bin-collection-day]")
    pr.commit("Link them", "hackney-digital")
    pr.land()
    pr.repo.git.rm("patterns/check-your-bin-collection-day.md")
    pr.commit("Leeds retires its pattern", "leeds-digital")

    result = check(cli, pr, "leeds-digital", "--format", "github")
    assert result.out == """\
## Council Commons check

**Cannot be merged yet:** 1 error in 1 changed content file and the entries that refer to them. Each is marked on its line below the diff.

@leeds-digital maintains every council this changes.

### What will change on the site

- Removes the pattern **Check your bin collection day** (`patterns/check-your-bin-collection-day/` will be gone).

### Pages to look at in the preview

Download the **site** artifact of this check and open these files:

- `councils/leeds/index.html` — Leeds's page, which lists it
- `patterns/report-a-missed-bin/index.html` — the page of the pattern it names (report-a-missed-bin)
- `patterns/index.html` — the index

### Problems

- **error** `patterns/report-a-missed-bin.md:8` [E-UNKNOWN-REF](https://example.org/commons/contribute/problems/#e-unknown-ref): there is no pattern 'check-your-bin-collection-day'. Hint: this pull request deletes patterns/check-your-bin-collection-day.md; keep the pattern, or change this reference.
~~~
::error file=patterns/report-a-missed-bin.md,line=8,col=11,title=E-UNKNOWN-REF::there is no pattern 'check-your-bin-collection-day' — hint: this pull request deletes patterns/check-your-bin-collection-day.md; keep the pattern, or change this reference
1 file checked: 1 error, 0 warnings.
"""
    assert result.code == 1


def test_an_outsider_editing_a_councils_file_needs_its_maintainers(pr: PullRequest,
                                                                   cli: Callable[..., Result]) -> None:
    pr.edit("councils/hackney/declaration.yml", "    target: 2026-12-31", "    target: 2027-03-31")
    pr.commit("Later target", "someone-else")

    result = check(cli, pr, "someone-else", "--format", "github")
    assert result.out == """\
## Council Commons check

**No problems** in 1 changed content file.

**Needs approval** before merging:

- needs approval from @hackney-digital (maintainers of Hackney): @someone-else is not one of its maintainers

### What will change on the site

- Hackney — *Publish housing repairs data openly every week*: target: 31 December 2026 → 31 March 2027.

### Pages to look at in the preview

Download the **site** artifact of this check and open these files:

- `councils/hackney/index.html` — Hackney's page
- `patterns/report-a-missed-bin/index.html` — the page of the pattern it names (report-a-missed-bin)
- `dashboard/index.html` — the dashboard's charts and tables
~~~
::warning file=councils/hackney/declaration.yml,line=1,title=Needs approval::needs approval from @hackney-digital (maintainers of Hackney): @someone-else is not one of its maintainers
1 file checked: no problems.
"""
    assert result.code == 3


def test_a_council_editing_its_own_maintainers_needs_another_maintainer(pr: PullRequest,
                                                                        cli: Callable[..., Result]) -> None:
    pr.edit("councils/hackney/council.yml", "  - hackney-digital\n", "  - hackney-digital\n  - hackney-housing\n")
    pr.commit("Add the housing team", "hackney-digital")
    pr.land()
    pr.edit("councils/hackney/council.yml", "  - hackney-housing\n", "  - hackney-housing\n  - hackney-new\n")
    pr.commit("Add me", "hackney-housing")

    result = check(cli, pr, "hackney-housing")
    assert result.out.split("~~~\n")[0] == """\
## Council Commons check

**No problems** in 1 changed content file.

**Needs approval** before merging:

- needs approval from @hackney-digital (maintainers of Hackney): it changes Hackney's maintainers

### What will change on the site

- Hackney's profile: maintainers (adds @hackney-new).

### Pages to look at in the preview

Download the **site** artifact of this check and open these files:

- `councils/hackney/index.html` — Hackney's page
- `councils/index.html` — the index
"""
    assert result.code == 3


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
        "::error file=patterns/book-a-bulky-waste-collection.md,line=2,col=5,title=E-DUPLICATE-ID::pattern number 2")
    assert result.code == 1
    assert not (pr.root / "patterns" / "book-a-bulky-waste-collection.md").exists()  # main is untouched
    assert pr.repo.git.worktree("list").count("\n") == 0  # the temporary worktree is gone


def test_rewriting_history_is_a_warning(pr: PullRequest, cli: Callable[..., Result]) -> None:
    pr.edit("councils/hackney/declaration.yml", "note: Discovery started with the repairs service.",
            "note: Discovery started.")
    pr.commit("Shorter", "hackney-digital")
    result = check(cli, pr, "hackney-digital", "--format", "github")
    assert result.out.split("~~~\n")[1] == (
        "::warning file=councils/hackney/declaration.yml,line=11,col=9,title=W-HISTORY-CHANGED::the update of "
        "2024-01-08 to commitment 'open-repairs-data' is changed — hint: leave earlier updates as they were and "
        "add a new dated update\n"
        "1 file checked: 0 errors, 1 warning.\n")
    assert result.code == 0


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
