"""A commitment's status is stated once: its latest dated update. `status` may be left out, and when written
must agree (E-STATUS says which to change); two updates of one day are read in file order; scaffolds and forms
write only the update; leaving `status` out of the starter content changes no status the site shows."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

from commons.content.model import build_catalog
from commons.content.register import load_register
from commons.content.schema import CONTENT_FOLDERS
from commons.content.validate import validate_repository
from commons.site.progress import count_statuses
from conftest import DECLARATION, REGISTER, REPO, STARTER_DAY, Cli

WITHOUT_STATUS = DECLARATION.replace("    status: in-progress\n    start:", "    start:")
TWO_A_DAY = WITHOUT_STATUS.replace(
    "        note: Discovery started with the repairs service.\n",
    "        note: Discovery started with the repairs service.\n"
    "      - date: 2024-03-01\n        status: paused\n        note: Paused for the budget.\n"
    "      - date: 2024-03-01\n        status: in-progress\n        note: Restarted the same day, funded.\n")


def validate(cli: Cli, root: Path) -> str:
    return cli("--root", str(root), "validate").out


def statuses(root: Path) -> dict[str, str]:
    report = validate_repository(root, keep_entries=True)
    catalog = build_catalog(report.entries, load_register(root / "data" / REGISTER.name), today=STARTER_DAY)
    return {c.key: c.status for c in catalog.commitments}


def test_status_may_be_left_out(repo: Path, cli: Cli) -> None:
    assert WITHOUT_STATUS != DECLARATION
    (repo / "councils/hackney/declaration.yml").write_text(WITHOUT_STATUS, encoding="utf-8")
    assert validate(cli, repo).endswith("no problems.\n")
    assert statuses(repo) == {"HCK/open-repairs-data": "in-progress"}


def test_two_updates_on_one_day_are_read_in_file_order(repo: Path, cli: Cli) -> None:
    (repo / "councils/hackney/declaration.yml").write_text(TWO_A_DAY, encoding="utf-8")
    assert validate(cli, repo).endswith("no problems.\n")
    assert statuses(repo) == {"HCK/open-repairs-data": "in-progress"}  # the later line, not the paused one
    swapped = TWO_A_DAY.replace("status: paused", "status: X").replace(
        "status: in-progress\n        note: Restarted", "status: paused\n        note: Restarted").replace(
        "status: X", "status: in-progress")
    (repo / "councils/hackney/declaration.yml").write_text(swapped, encoding="utf-8")
    assert statuses(repo) == {"HCK/open-repairs-data": "paused"}


def test_an_earlier_date_after_a_later_one_is_still_refused(repo: Path, cli: Cli) -> None:
    text = TWO_A_DAY.replace("      - date: 2024-03-01\n        status: in-progress",
                             "      - date: 2024-02-01\n        status: in-progress")
    (repo / "councils/hackney/declaration.yml").write_text(text, encoding="utf-8")
    out = validate(cli, repo)
    assert "error[E-DATE-ORDER] update 3 (2024-02-01) is before update 2 (2024-03-01)" in out


def test_a_status_that_disagrees_says_which_to_change(repo: Path, cli: Cli) -> None:
    text = DECLARATION.replace("    status: in-progress\n    start:", "    status: done\n    start:")
    (repo / "councils/hackney/declaration.yml").write_text(text, encoding="utf-8")
    line = text.split("\n").index("    status: done") + 1
    out = validate(cli, repo)
    assert f"councils/hackney/declaration.yml:{line}:13: error[E-STATUS] status is 'done' but the latest update " \
           "(2024-01-08) says 'in-progress'" in out
    assert "hint: the latest update (2024-01-08) says in-progress: change status to in-progress, or remove status " \
           "and let the history say it; if it is now done, add a dated update saying so" in out


def test_commons_new_commitment_writes_only_the_update(repo: Path, cli: Cli) -> None:
    result = cli("--root", str(repo), "new", "commitment", "Open planning data", "--council", "HCK",
                 "--principle", "3", "--status", "in-progress")
    assert result.code == 0, result.err
    new = yaml.safe_load((repo / "councils/hackney/declaration.yml").read_text())["commitments"][-1]
    assert "status" not in new
    assert [u["status"] for u in new["history"]] == ["in-progress"]
    assert statuses(repo)["HCK/open-planning-data"] == "in-progress"


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args], cwd=root, check=True,
                   capture_output=True)


def test_from_issue_adds_no_status_line_where_there_is_none(tmp_path: Path, cli: Cli) -> None:
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    shutil.copyfile(REGISTER, root / "data" / REGISTER.name)
    for top in CONTENT_FOLDERS:
        shutil.copytree(REPO / top, root / top)
    path = root / "councils/hackney/declaration.yml"
    text = path.read_text(encoding="utf-8")
    block = text[text.index("  - id: repairs-photos-all-trades"):]
    block = block[: block.find("\n  - id:", 1) + 1 or len(block)]
    stripped = re.sub(r"(?m)^    status: .*\n", "", block, count=1)
    assert stripped != block
    path.write_text(text.replace(block, stripped), encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "content")
    before = path.read_text(encoding="utf-8")
    body = REPO / "tests/issue-bodies/update-a-commitment/complete.md"
    summary = tmp_path / "summary.md"
    result = cli("--root", str(root), "from-issue", "--form", "update-a-commitment", "--body", str(body),
                 "--author", "council-officer", "--summary", str(summary))
    assert result.code == 0, result.out
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before[: before.index(stripped)] + stripped.rstrip("\n"))  # nothing above it changed
    new = next(c for c in yaml.safe_load(after)["commitments"] if c["id"] == "repairs-photos-all-trades")
    assert "status" not in new and new["history"][-1]["status"] == "done"
    assert "in progress → done" in summary.read_text(encoding="utf-8")  # the status before, from the history


def test_leaving_status_out_of_the_starter_content_changes_no_status(tmp_path: Path) -> None:
    """What the site shows (the Catalog, and the progress counts read from each revision) is the same with every
    starter commitment's `status` line removed."""
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    shutil.copyfile(REGISTER, root / "data" / REGISTER.name)
    for top in CONTENT_FOLDERS:
        shutil.copytree(REPO / top, root / top)
    before = statuses(root)
    counts_before = {}
    removed = 0
    for path in sorted(root.glob("councils/*/declaration.yml")):
        data = path.read_bytes()
        counts_before[path] = count_statuses(data)
        text, n = re.subn(r"(?m)^(\s+)status: \S+\n(?=\1start:)", "", data.decode("utf-8"))
        removed += n
        path.write_text(text, encoding="utf-8")
    assert removed >= 10 and len(before) == removed
    assert statuses(root) == before
    assert {p: count_statuses(p.read_bytes()) for p in counts_before} == counts_before


def test_check_pr_reads_the_status_from_the_history(tmp_path: Path, cli: Cli) -> None:
    """A pull request that adds an update to a commitment with no `status` line is summarised as the status
    changing, from the latest update before to the latest after."""
    from conftest import make_repository

    root = make_repository(tmp_path / "repo")
    path = root / "councils/hackney/declaration.yml"
    path.write_text(WITHOUT_STATUS, encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "content")
    _git(root, "checkout", "-q", "-b", "pr")
    path.write_text(WITHOUT_STATUS.replace(
        "        note: Discovery started with the repairs service.\n",
        "        note: Discovery started with the repairs service.\n"
        "      - date: 2024-06-03\n        status: done\n        note: Published weekly.\n"), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "done")
    summary = tmp_path / "summary.md"
    result = cli("--root", str(root), "check-pr", "--base", "main", "--author", "hackney-digital",
                 "--summary", str(summary))
    assert result.code == 0, result.out + result.err
    assert "*Publish housing repairs data openly every week*: in progress → done" in summary.read_text()
