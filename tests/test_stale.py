"""`commons stale`: the exact report, in both formats, for a small repository."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from commons.cli import main
from conftest import Result
from markdown_checks import assert_only_safe_markdown

Cli = Callable[..., Result]

PLAYBOOK = """\
---
title: Adopt a pattern *another* council built, with @maintainers
summary: Reuse another council's tested design rather than starting again.
audience: [Service owners]
steps:
  - title: Find the pattern
    detail: Read the pattern page and its case studies.
  - title: Talk to its owners
    detail: Ask the owning council what they would change.
time-needed: 2 to 4 months
patterns: [report-a-missed-bin]
councils: [ISL, HCK]
last-reviewed: 2025-01-31
---

Reuse beats rebuilding.
"""


@pytest.fixture
def repo_with_playbook(repo: Path) -> Path:
    (repo / "playbooks").mkdir()
    (repo / "playbooks" / "adopt-a-pattern.md").write_text(PLAYBOOK, encoding="utf-8")
    return repo


def test_text(cli: Cli, repo_with_playbook: Path) -> None:
    r = cli("--root", str(repo_with_playbook), "stale", "--today", "2026-07-01")
    assert r.code == 0, r.err
    assert r.err == ""
    assert r.out == """\
Stale on 2026-07-01: 1 pattern, 1 playbook and 1 commitment.

London Borough of Hackney (HCK): ask @hackney-digital
  patterns/report-a-missed-bin.md: pattern "Report a missed bin without an account" last reviewed 2025-06-01
  playbooks/adopt-a-pattern.md: playbook "Adopt a pattern *another* council built, with @maintainers" \
last reviewed 2025-01-31
  councils/hackney/declaration.yml: commitment "Publish housing repairs data openly every week" \
(open-repairs-data) last updated 2024-01-08

London Borough of Islington (ISL): no maintainers listed (no folder in the commons)
  playbooks/adopt-a-pattern.md: playbook "Adopt a pattern *another* council built, with @maintainers" \
last reviewed 2025-01-31

Patterns and playbooks: check the page is still right, then set `last-reviewed` to the day you did. \
Commitments: add a dated entry to the history, even when the status has not changed; for one past its \
target, say whether it is done, stopped or still going (and set a new `target` if the date has moved). \
Done and stopped commitments are not asked for updates.
"""


def test_markdown(cli: Cli, repo_with_playbook: Path) -> None:
    r = cli("--root", str(repo_with_playbook), "stale", "--format", "markdown", "--today", "2026-07-01")
    assert r.code == 0, r.err
    # Contributed titles are escaped: no emphasis, and no @mention a title could slip into the issue.
    assert r.out == """\
Stale on 1 July 2026: 1 pattern, 1 playbook and 1 commitment.

Patterns and playbooks: check the page is still right, then set `last-reviewed` to the day you did. \
Commitments: add a dated entry to the history, even when the status has not changed; for one past its \
target, say whether it is done, stopped or still going (and set a new `target` if the date has moved). \
Done and stopped commitments are not asked for updates.

## London Borough of Hackney (HCK)

Maintainers: @hackney-digital

- [ ] Pattern *Report a missed bin without an account* in <code>patterns/report-a-missed-bin.md</code>: \
last reviewed 1 June 2025
- [ ] Playbook *Adopt a pattern \\*another\\* council built, with @&#8203;maintainers* in \
<code>playbooks/adopt-a-pattern.md</code>: last reviewed 31 January 2025
- [ ] Commitment *Publish housing repairs data openly every week* (<code>open-repairs-data</code>) in \
<code>councils/hackney/declaration.yml</code>: last updated 8 January 2024

## London Borough of Islington (ISL)

No maintainers listed: the council has no folder in the commons yet.

- [ ] Playbook *Adopt a pattern \\*another\\* council built, with @&#8203;maintainers* in \
<code>playbooks/adopt-a-pattern.md</code>: last reviewed 31 January 2025
"""


def test_stale_is_judged_as_of_today(cli: Cli, repo: Path) -> None:
    # 365 days after the commitment's last update it is not yet stale; a day later it is.
    r = cli("--root", str(repo), "stale", "--today", "2025-01-07")
    assert (r.code, r.out) == (0, "Nothing is stale or overdue on 2025-01-07: all patterns and playbooks were "
                                  "reviewed, and commitments updated, in the last 12 months, and no commitment is "
                                  "past its target.\n")
    r = cli("--root", str(repo), "stale", "--today", "2025-01-08")
    assert r.out.startswith("Stale on 2025-01-08: 0 patterns, 0 playbooks and 1 commitment.\n")
    r = cli("--root", str(repo), "stale", "--today", "2025-01-07", "--format", "markdown")
    assert r.out == ("Nothing is stale or overdue on 7 January 2025: all patterns and playbooks were reviewed, "
                     "and commitments updated, in the last 12 months, and no commitment is past its target.\n")


def test_today_defaults_to_today(cli: Cli, repo: Path) -> None:
    r = cli("--root", str(repo), "stale")
    assert r.code == 0 and r.out.startswith("Stale on ")  # the commitment's last update is in 2024


def test_content_that_does_not_validate(cli: Cli, repo: Path) -> None:
    declaration = repo / "councils" / "hackney" / "declaration.yml"
    declaration.write_text(declaration.read_text(encoding="utf-8").replace("status: in-progress", "status: live", 1),
                           encoding="utf-8")
    expected = cli("--root", str(repo), "validate")
    assert expected.code == 1
    r = cli("--root", str(repo), "stale", "--today", "2026-07-01")
    assert (r.code, r.out) == (1, expected.out)


@pytest.mark.parametrize("args", [["--today", "2026-02-30"], ["--today", "yesterday"], ["--format", "json"]])
def test_usage_errors(cli: Cli, repo: Path, args: list[str]) -> None:
    r = cli("--root", str(repo), "stale", *args)
    assert r.code == 2
    assert r.out == ""
    assert "commons stale" in r.err


def test_help_says_what_it_does(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["stale", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "--format {text,markdown}" in out and "--today YYYY-MM-DD" in out and "12 months" in out


def test_markdown_escapes_every_contributed_title(cli: Cli, repo_with_playbook: Path) -> None:
    # The same escaping as the pull-request summary (commons.markdown_text): a title cannot ping, link or embed.
    playbook = repo_with_playbook / "playbooks" / "adopt-a-pattern.md"
    playbook.write_text(PLAYBOOK.replace(
        "title: Adopt a pattern *another* council built, with @maintainers",
        'title: "Ping @alice and #1 <b>now</b> ![i](https://evil.example/i.png) [l](https://evil.example) '
        'www.x.example"'),
        encoding="utf-8")
    assert cli("--root", str(repo_with_playbook), "validate").code == 0
    r = cli("--root", str(repo_with_playbook), "stale", "--format", "markdown", "--today", "2026-07-01")
    assert r.code == 0, r.err
    assert "*Ping @&#8203;alice and \\#&#8203;1 &lt;b&gt;now&lt;/b&gt; !\\[i\\](https:&#8203;//evil.example/i.png) " \
        "\\[l\\](https:&#8203;//evil.example) www&#8203;.x.example*" in r.out
    # The body is a report on main's own content, so its council maintainers are mentioned on purpose.
    assert_only_safe_markdown(r.out.replace("- [ ] ", "- "), mentions={"hackney-digital"})
