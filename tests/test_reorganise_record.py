"""`commons reorganise` keeps the record honest: its note is not an update, the abolished council's maintainers
are named and carried over only on request, its work stays credited to it, E-ABOLISHED points at the command,
and `commons stale` keeps running (and names the abolished councils) until they are all reorganised.

Harrogate (HAG) was abolished on 2023-04-01 and replaced by North Yorkshire (NYE), which has no folder in the
starter content.
"""

from __future__ import annotations

import datetime as dt
import html as html_module
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from commons.commands.reorganise import planner
from commons.content.model import Catalog, build_catalog
from commons.content.register import load_register
from commons.content.validate import validate_repository
from commons.site.views.council import commitment_section
from conftest import Result
from markdown_checks import assert_only_safe_markdown
from site_support import build_into, copy_repository

Cli = Callable[..., Result]

TODAY = dt.date(2026, 1, 15)  # the day of the reorganisation (its note's date)

HAG_COUNCIL = """\
# yaml-language-server: $schema=../../schemas/council.schema.json
code: HAG
maintainers:
  - harrogate-digital
  - hbc-web-team
website: https://www.harrogate.gov.uk
"""

HAG_DECLARATION = """\
# yaml-language-server: $schema=../../schemas/commitment.schema.json
commitments:
  - id: open-planning-data
    title: Publish planning applications as open data
    principles: [3]
    status: in-progress
    start: 2021-05-04
    history:
      - date: 2021-05-04
        status: in-progress
        note: Started with the planning team.
      - date: 2022-11-01
        status: in-progress
        note: First datasets published.
      - date: 2024-02-01   # after Harrogate was abolished, still in its folder
        status: in-progress
        note: Carried on by the county's planning team.
"""

NYE_COUNCIL = """\
# yaml-language-server: $schema=../../schemas/council.schema.json
code: NYE
maintainers:
  - north-yorkshire-digital
website: https://www.northyorks.gov.uk
"""

HAG_FILES = {"councils/harrogate/council.yml": HAG_COUNCIL, "councils/harrogate/declaration.yml": HAG_DECLARATION}


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planner, "_today", lambda: TODAY)


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def validate(cli: Cli, root: Path) -> Result:
    return cli("--root", str(root), "validate")


def maintainers(root: Path, slug: str) -> list[str]:
    return yaml.safe_load((root / "councils" / slug / "council.yml").read_text(encoding="utf-8"))["maintainers"]


def catalog_of(root: Path) -> Catalog:
    report = validate_repository(root, keep_entries=True)
    assert not report.errors, report.problems
    return build_catalog(report.entries, load_register(root / "data" / "uk-local-authorities.csv"),
                         dt.date(2026, 1, 20))


# The note is marked, and is not an update


def test_the_note_says_where_the_commitment_came_from_and_is_not_an_update(repo: Path, cli: Cli) -> None:
    write(repo, HAG_FILES)
    r = cli("--root", str(repo), "reorganise", "HAG", "--keep-maintainers")
    assert r.code == 0, r.err
    declaration = repo / "councils" / "north-yorkshire" / "declaration.yml"
    text = declaration.read_text(encoding="utf-8")
    assert text.endswith(
        "      - date: 2026-01-15\n"
        "        status: in-progress\n"
        "        note: Moved from Harrogate when it was replaced by North Yorkshire on 2023-04-01 (council "
        "reorganisation).\n"
        "        moved-from: HAG\n")
    assert validate(cli, repo).code == 0
    # Its last update is still 2024-02-01: the move is not news of the work, so it is stale by 2026-01-20.
    r = cli("--root", str(repo), "stale", "--today", "2026-01-20")
    assert "North Yorkshire Council (NYE): ask @harrogate-digital, @hbc-web-team\n" \
           '  councils/north-yorkshire/declaration.yml: commitment "Publish planning applications as open data" ' \
           "(open-planning-data) last updated 2024-02-01\n" in r.out
    # Without the mark, the same note would count as an update, and nothing would be asked.
    declaration.write_text(text.replace("        moved-from: HAG\n", ""), encoding="utf-8")
    assert "open-planning-data" not in cli("--root", str(repo), "stale", "--today", "2026-01-20").out


def test_a_note_in_brackets_is_marked_too(repo: Path, cli: Cli) -> None:
    flow = HAG_DECLARATION.split("    history:\n")[0] + (
        "    history:\n"
        "      - {date: 2021-05-04, status: in-progress, note: Started.}\n")
    write(repo, {**HAG_FILES, "councils/harrogate/declaration.yml": flow})
    assert cli("--root", str(repo), "reorganise", "HAG", "--keep-maintainers").code == 0
    text = (repo / "councils" / "north-yorkshire" / "declaration.yml").read_text(encoding="utf-8")
    assert text.endswith(', moved-from: HAG}\n')
    catalog = catalog_of(repo)
    (cm,) = catalog.councils["NYE"].commitments
    assert [u.moved_from for u in cm.history] == ["", "HAG"] and cm.last_update.date == dt.date(2021, 5, 4)


# Maintainers


def test_a_merge_names_the_old_maintainers_and_keeps_them_out(repo: Path, cli: Cli) -> None:
    write(repo, {**HAG_FILES, "councils/north-yorkshire/council.yml": NYE_COUNCIL})
    r = cli("--root", str(repo), "reorganise", "HAG")
    assert (r.code, r.err) == (0, "")
    assert ("Harrogate's maintainers (@harrogate-digital, @hbc-web-team) are not made maintainers of North "
            "Yorkshire (NYE): add any who should be to councils/north-yorkshire/council.yml (--keep-maintainers "
            "would have added them).\n") in r.out
    assert "maintainers:" not in r.out  # no edit of the successor's maintainers is reported, because none is made
    assert maintainers(repo, "north-yorkshire") == ["north-yorkshire-digital"]
    assert validate(cli, repo).code == 0


def test_a_merge_with_keep_maintainers_adds_them(tmp_path: Path, cli: Cli) -> None:
    from conftest import make_repository

    repo = make_repository(tmp_path / "repo")
    write(repo, {**HAG_FILES, "councils/north-yorkshire/council.yml": NYE_COUNCIL})
    r = cli("--root", str(repo), "reorganise", "HAG", "--keep-maintainers")
    assert r.code == 0, r.err
    assert "Harrogate's maintainers (@harrogate-digital, @hbc-web-team) are kept as maintainers of North " \
           "Yorkshire (NYE) (--keep-maintainers).\n" in r.out
    assert maintainers(repo, "north-yorkshire") == ["north-yorkshire-digital", "harrogate-digital", "hbc-web-team"]
    assert validate(cli, repo).code == 0


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_moving_a_profile_needs_keep_maintainers(repo: Path, cli: Cli, dry_run: list[str]) -> None:
    # North Yorkshire has no profile, so Harrogate's becomes it, maintainers and all: that is asked for.
    write(repo, HAG_FILES)
    before = snapshot(repo)
    r = cli("--root", str(repo), "reorganise", "HAG", *dry_run)
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "commons reorganise: North Yorkshire (NYE) has no council.yml of its own, so Harrogate's becomes it, and "
        "Harrogate's maintainers (@harrogate-digital, @hbc-web-team) would look after North Yorkshire's folder\n"
        "    hint: if they should, run the command again with --keep-maintainers; if not, first add North "
        "Yorkshire's own profile: commons new council NYE --maintainer NAME\n"
        "Try 'commons reorganise --help'.\n")
    assert snapshot(repo) == before
    r = cli("--root", str(repo), "reorganise", "HAG", "--keep-maintainers", *dry_run)
    assert r.code == 0, r.err
    assert "Harrogate's maintainers (@harrogate-digital, @hbc-web-team) are kept as maintainers of North " \
           "Yorkshire (NYE) (--keep-maintainers).\n" in r.out
    if not dry_run:
        assert maintainers(repo, "north-yorkshire") == ["harrogate-digital", "hbc-web-team"]


# Credit for the work before the abolition


def test_work_before_the_abolition_stays_credited_to_harrogate(repo: Path, cli: Cli) -> None:
    write(repo, HAG_FILES)
    assert cli("--root", str(repo), "reorganise", "HAG", "--keep-maintainers").code == 0
    catalog = catalog_of(repo)
    (cm,) = catalog.councils["NYE"].commitments
    # Abolished on 2023-04-01: the two updates before are Harrogate's; the 2024 one and the note are not.
    assert [(u.date.isoformat(), u.by) for u in cm.history] == [
        ("2021-05-04", "Harrogate"), ("2022-11-01", "Harrogate"), ("2024-02-01", ""), ("2026-01-15", "")]
    credits = [h.credit for h in commitment_section(catalog, cm).history]
    assert sorted(credits) == ["", "", "by Harrogate, now part of North Yorkshire",
                               "by Harrogate, now part of North Yorkshire"]


@pytest.mark.parametrize(("written", "code", "said", "hint"), [
    ("NOWHERE", "E-UNKNOWN-REF", "moved-from 'NOWHERE' is not a council code in the register",
     "remove it from an update of your own"),
    ("harrogate", "E-UNKNOWN-REF", "moved-from 'harrogate' is not a council code in the register",
     "write the register code of Harrogate Borough Council: moved-from: HAG"),
    ("NYE", "E-VALUE", "moved-from NYE (North Yorkshire Council) is a current council: it must name an abolished one",
     "remove it from an update of your own"),
])
def test_a_moved_from_that_is_not_an_abolished_council_is_refused_at_its_line(repo: Path, cli: Cli, written: str,
                                                                              code: str, said: str,
                                                                              hint: str) -> None:
    write(repo, HAG_FILES)
    assert cli("--root", str(repo), "reorganise", "HAG", "--keep-maintainers").code == 0
    path = repo / "councils" / "north-yorkshire" / "declaration.yml"
    lines = path.read_text(encoding="utf-8").replace("moved-from: HAG", f"moved-from: {written}").splitlines()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line = next(n for n, text in enumerate(lines, 1) if text.strip() == f"moved-from: {written}")
    r = validate(cli, repo)
    assert r.code == 1
    col = lines[line - 1].index(written) + 1
    assert f"councils/north-yorkshire/declaration.yml:{line}:{col}: error[{code}] {said}\n" in r.out
    assert hint in r.out
    # Given to the model all the same, an unknown code credits nobody and the note is still not an update.
    report = validate_repository(repo, keep_entries=True)
    (cm,) = build_catalog(report.entries, load_register(repo / "data" / "uk-local-authorities.csv"),
                          dt.date(2026, 1, 20)).councils["NYE"].commitments
    if code == "E-UNKNOWN-REF":
        assert [u.by for u in cm.history] == ["", "", "", ""]
    assert cm.last_update.date == dt.date(2024, 2, 1)


def test_the_successors_page_shows_who_did_the_work(tmp_path: Path, cli: Cli) -> None:
    root = copy_repository(tmp_path / "repo")
    write(root, HAG_FILES)
    assert cli("--root", str(root), "reorganise", "HAG", "--keep-maintainers").code == 0
    site = build_into(tmp_path / "site", root)
    html = (site / "councils" / "north-yorkshire" / "index.html").read_text(encoding="utf-8")
    items = [" ".join(html_module.unescape(re.sub(r"<[^>]+>", "", li)).split())
             for li in re.findall(r"<li>(.*?)</li>", html[html.index('id="open-planning-data"'):], re.S)[:4]]
    assert items == [
        "15 January 2026: In progress. Moved from Harrogate when it was replaced by North Yorkshire on 2023-04-01 "
        "(council reorganisation).",
        "1 February 2024: In progress. Carried on by the county's planning team.",
        "1 November 2022, by Harrogate, now part of North Yorkshire: In progress. First datasets published.",
        "4 May 2021, by Harrogate, now part of North Yorkshire: In progress. Started with the planning team.",
    ]
    # The old page leads to the new one.
    assert "north-yorkshire/" in (site / "councils" / "harrogate" / "index.html").read_text(encoding="utf-8")


# E-ABOLISHED names the command, and the command it names works


def test_the_abolished_hint_gives_the_reorganise_command_that_fixes_it(repo: Path, cli: Cli) -> None:
    write(repo, HAG_FILES)
    r = validate(cli, repo)
    assert r.code == 1
    hints = re.findall(r"error\[E-ABOLISHED\].*\n    hint: (.*)", r.out)
    assert hints == ["use its successor: NYE (North Yorkshire Council); commons reorganise HAG --into NYE moves "
                     "its folder and every reference to it at once"]
    command = re.search(r"commons (reorganise [^;]*?) moves", hints[0])
    assert command is not None
    assert cli("--root", str(repo), *shlex.split(command.group(1)), "--keep-maintainers").code == 0
    assert validate(cli, repo).out.endswith("no problems.\n")


# `commons stale` while abolished councils remain


@pytest.fixture
def unreorganised(repo: Path) -> Path:
    pattern = repo / "patterns" / "report-a-missed-bin.md"
    write(repo, {**HAG_FILES, "patterns/report-a-missed-bin.md":
                 pattern.read_text(encoding="utf-8").replace("councils: [HCK]", "councils: [HCK, HAG]")})
    return repo


def test_stale_runs_and_names_the_abolished_councils(unreorganised: Path, cli: Cli) -> None:
    r = cli("--root", str(unreorganised), "stale", "--today", "2026-07-01")
    assert (r.code, r.err) == (0, "")
    assert (
        "Abolished councils still named (commons validate reports each as E-ABOLISHED):\n"
        "  Harrogate Borough Council (HAG), abolished on 2023-04-01: councils/harrogate/council.yml:2, "
        "patterns/report-a-missed-bin.md:8\n"
        "    run: commons reorganise HAG --into NYE\n") in r.out
    # Its own stale work is listed under it, with the maintainers its folder names.
    assert (
        "Harrogate Borough Council (HAG), abolished on 2023-04-01: ask @harrogate-digital, @hbc-web-team\n"
        '  patterns/report-a-missed-bin.md: pattern "Report a missed bin without an account" last reviewed '
        "2025-06-01\n"
        '  councils/harrogate/declaration.yml: commitment "Publish planning applications as open data" '
        "(open-planning-data) last updated 2024-02-01\n") in r.out


def test_stale_markdown_names_the_abolished_councils(unreorganised: Path, cli: Cli) -> None:
    r = cli("--root", str(unreorganised), "stale", "--format", "markdown", "--today", "2026-07-01")
    assert r.code == 0, r.out
    assert ("## Abolished councils still named\n\n"
            "`commons validate` reports each as an error (E-ABOLISHED) until it is moved to its successor.\n\n"
            "- [ ] Harrogate Borough Council (<code>HAG</code>), abolished on 2023-04-01, in "
            "<code>councils/harrogate/council.yml:2</code>, <code>patterns/report-a-missed-bin.md:8</code>: run "
            "<code>commons reorganise HAG --into NYE</code>\n") in r.out
    assert "## Harrogate Borough Council (HAG), abolished on 2023-04-01\n\n" \
           "Maintainers: @harrogate-digital, @hbc-web-team\n" in r.out
    assert_only_safe_markdown(r.out.replace("- [ ] ", "- "),
                              mentions={"hackney-digital", "harrogate-digital", "hbc-web-team"})


def test_stale_still_refuses_other_errors(unreorganised: Path, cli: Cli) -> None:
    path = unreorganised / "councils" / "harrogate" / "declaration.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("principles: [3]", "principles: [9]"), encoding="utf-8")
    expected = validate(cli, unreorganised)
    assert expected.code == 1 and "E-ABOLISHED" in expected.out
    r = cli("--root", str(unreorganised), "stale", "--today", "2026-07-01")
    assert (r.code, r.out) == (1, expected.out)


def test_once_reorganised_stale_has_nothing_abolished_to_name(unreorganised: Path, cli: Cli) -> None:
    assert cli("--root", str(unreorganised), "reorganise", "HAG", "--keep-maintainers").code == 0
    r = cli("--root", str(unreorganised), "stale", "--today", "2026-07-01")
    assert r.code == 0 and "Abolished" not in r.out and "abolished" not in r.out
    assert "North Yorkshire Council (NYE): ask @harrogate-digital, @hbc-web-team\n" in r.out
