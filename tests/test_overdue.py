"""Stale and overdue commitments: done and stopped ones are never asked for updates, and one past its target
and not done or stopped is overdue, in `commons stale` (both formats), on council pages and on the dashboard."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from commons.content.model import Catalog, build_catalog
from commons.content.register import load_register
from commons.content.validate import validate_repository
from conftest import Result
from markdown_checks import assert_only_safe_markdown
from site_support import build_into, copy_repository

Cli = Callable[..., Result]

# Hackney's declaration (conftest's repo), with one commitment of each kind a report must tell apart.
DECLARATION = """\
# yaml-language-server: $schema=../../schemas/commitment.schema.json
commitments:
  - id: open-repairs-data
    title: Publish housing repairs data openly every week
    principles: [3, 5]
    status: in-progress
    start: 2024-01-08
    target: 2026-12-31
    history:
      - date: 2024-01-08
        status: in-progress
        note: Discovery started with the repairs service.
  - id: late-but-busy
    title: Move parking permits online
    principles: [1]
    status: in-progress
    start: 2025-01-06
    target: 2026-03-31
    history:
      - {date: 2025-01-06, status: in-progress, note: Started.}
      - {date: 2026-05-01, status: in-progress, note: Testing with residents.}
  - id: done-long-ago
    title: Retire the paper bin calendar
    principles: [1]
    status: done
    start: 2023-01-09
    target: 2023-06-30
    history:
      - {date: 2023-01-09, status: in-progress, note: Started.}
      - {date: 2024-02-01, status: done, note: Retired seven months late.}
  - id: stopped-long-ago
    title: Build our own chatbot
    principles: [2]
    status: stopped
    start: 2023-03-01
    target: 2024-03-01
    history:
      - {date: 2023-03-01, status: in-progress, note: Started.}
      - {date: 2023-09-01, status: stopped, note: Stopped in favour of better web pages.}
  - id: paused-no-target
    title: One login for council services
    principles: [2]
    status: paused
    start: 2024-03-01
    history:
      - {date: 2024-03-01, status: paused, note: Paused until the new contract.}
"""


@pytest.fixture
def mixed(repo: Path) -> Path:
    (repo / "councils" / "hackney" / "declaration.yml").write_text(DECLARATION, encoding="utf-8")
    return repo


def catalog_on(root: Path, today: dt.date) -> Catalog:
    report = validate_repository(root, keep_entries=True)
    assert report.problems == []
    return build_catalog(report.entries, load_register(root / "data" / "uk-local-authorities.csv"), today)


def flags(root: Path, today: dt.date) -> dict[str, tuple[bool, bool]]:
    return {c.id: (c.stale, c.overdue) for c in catalog_on(root, today).commitments}


def test_the_model_tells_stale_from_overdue_and_leaves_finished_work_alone(mixed: Path) -> None:
    assert flags(mixed, dt.date(2026, 7, 1)) == {
        "open-repairs-data": (True, False),  # no update since 2024, target still ahead
        "late-but-busy": (False, True),  # updated in May, but past its March target
        "done-long-ago": (False, False),  # done: finished, however late and however long ago
        "stopped-long-ago": (False, False),
        "paused-no-target": (True, False),  # paused is not finished: it is asked for updates
    }


def test_overdue_starts_the_day_after_the_target(mixed: Path) -> None:
    assert flags(mixed, dt.date(2026, 12, 31))["open-repairs-data"] == (True, False)
    assert flags(mixed, dt.date(2027, 1, 1))["open-repairs-data"] == (True, True)


def test_finishing_a_commitment_stops_it_being_stale_or_overdue(mixed: Path, cli: Cli) -> None:
    path = mixed / "councils" / "hackney" / "declaration.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    status: in-progress\n    start: 2025-01-06", "    status: done\n    start: 2025-01-06")
    text = text.replace("note: Testing with residents.}\n",
                        "note: Testing with residents.}\n      - {date: 2026-06-01, status: done, note: Live.}\n")
    text = text.replace("    status: in-progress\n    start: 2024-01-08", "    status: stopped\n    start: 2024-01-08")
    text = text.replace("note: Discovery started with the repairs service.\n",
                        "note: Discovery started with the repairs service.\n"
                        "      - date: 2026-06-02\n        status: stopped\n        note: Folded into open data.\n")
    path.write_text(text, encoding="utf-8")
    assert flags(mixed, dt.date(2027, 6, 1))["late-but-busy"] == (False, False)
    r = cli("--root", str(mixed), "stale", "--today", "2027-06-01")
    assert r.code == 0, r.out
    assert "late-but-busy" not in r.out and "open-repairs-data" not in r.out
    assert "paused-no-target" in r.out


def test_stale_text_lists_overdue_commitments_and_never_finished_ones(mixed: Path, cli: Cli) -> None:
    r = cli("--root", str(mixed), "stale", "--today", "2027-01-05")
    assert (r.code, r.err) == (0, "")
    lines = r.out.splitlines()
    assert lines[0] == "Stale on 2027-01-05: 1 pattern, 0 playbooks and 2 commitments; 2 commitments overdue."
    mine = [line for line in lines if line.startswith("  councils/hackney/declaration.yml")]
    assert mine == [
        '  councils/hackney/declaration.yml: commitment "Publish housing repairs data openly every week" '
        "(open-repairs-data) last updated 2024-01-08; overdue: target 2026-12-31, still in progress",
        '  councils/hackney/declaration.yml: commitment "One login for council services" (paused-no-target) '
        "last updated 2024-03-01",
        '  councils/hackney/declaration.yml: commitment "Move parking permits online" (late-but-busy) '
        "overdue: target 2026-03-31, still in progress",
    ]
    assert "done-long-ago" not in r.out and "stopped-long-ago" not in r.out


def test_stale_markdown_lists_overdue_commitments(mixed: Path, cli: Cli) -> None:
    path = mixed / "councils" / "hackney" / "declaration.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: Move parking permits online", 'title: "Move *parking* online, ping @alice"'), encoding="utf-8")
    r = cli("--root", str(mixed), "stale", "--format", "markdown", "--today", "2026-07-01")
    assert r.code == 0, r.out
    assert r.out.startswith("Stale on 1 July 2026: 1 pattern, 0 playbooks and 2 commitments; "
                            "1 commitment overdue.\n")
    assert ("- [ ] Commitment *Move \\*parking\\* online, ping @&#8203;alice* (<code>late-but-busy</code>) in "
            "<code>councils/hackney/declaration.yml</code>: overdue: target 31 March 2026, still in progress\n"
            ) in r.out
    assert "done-long-ago" not in r.out and "stopped-long-ago" not in r.out
    assert_only_safe_markdown(r.out.replace("- [ ] ", "- "), mentions={"hackney-digital"})


def test_nothing_stale_or_overdue(mixed: Path, cli: Cli) -> None:
    # Before every target, and within a year of every update (the oldest, 2024-01-08): nothing to ask.
    r = cli("--root", str(mixed), "stale", "--today", "2025-01-07")
    assert r.out == ("Nothing is stale or overdue on 2025-01-07: all patterns and playbooks were reviewed, and "
                     "commitments updated, in the last 12 months, and no commitment is past its target.\n")


# The site: a real build of a copy of the repository, with a late commitment and a finished one.

LATE = """\
  - id: overdue-example
    title: Publish every planning decision as data
    principles: [3]
    status: in-progress
    start: 2024-01-08
    target: 2025-01-31
    history:
      - {date: 2024-01-08, status: in-progress, note: Started.}
  - id: finished-example
    title: Close the old planning portal
    principles: [2]
    status: done
    start: 2023-01-09
    target: 2023-03-31
    history:
      - {date: 2023-01-09, status: in-progress, note: Started.}
      - {date: 2023-11-01, status: done, note: Closed late.}
"""


def section(html: str, cid: str) -> str:
    start = html.index(f'<h3 id="{cid}"')
    return html[start:html.index("</section>", start)]


def test_council_page_and_dashboard_show_overdue_commitments(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    declaration = root / "councils" / "leeds" / "declaration.yml"
    declaration.write_text(declaration.read_text(encoding="utf-8").rstrip("\n") + "\n" + LATE, encoding="utf-8")
    site = build_into(tmp_path / "site", root)
    page = (site / "councils" / "leeds" / "index.html").read_text(encoding="utf-8")
    late, finished = section(page, "overdue-example"), section(page, "finished-example")
    assert "Overdue: the target was 31 January 2025" in late
    assert "Not updated for over a year" in late  # its only update is from 2024
    assert "Overdue" not in finished and "Not updated" not in finished
    dashboard = (site / "dashboard" / "index.html").read_text(encoding="utf-8")
    overdue = dashboard[dashboard.index('<h2 id="overdue"'):]
    overdue = overdue[:overdue.index("</section>")]
    rows = re.findall(r"<tr>(.*?)</tr>", overdue, re.S)
    assert any("Publish every planning decision as data" in r and "31 January 2025" in r and "In progress" in r
               for r in rows)
    assert "Close the old planning portal" not in dashboard  # done: neither stale nor overdue
    count = re.search(r"<strong>([\d,]+)</strong> past their target", dashboard)
    assert count is not None and int(count.group(1).replace(",", "")) == len(rows) - 1  # less the heading row
