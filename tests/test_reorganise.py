"""`commons reorganise`: an abolished council's folder and references move to its successors, line by line."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from commons.commands.reorganise import planner
from conftest import Result

Cli = Callable[..., Result]

TODAY = dt.date(2026, 1, 15)

TAU_COUNCIL = """\
# yaml-language-server: $schema=../../schemas/council.schema.json
# Taunton Deane's profile.
code: TAU
maintainers:
  - tdbc-digital
website: https://www.tauntondeane.gov.uk
declaration-signed: 2018-09-01
adopted:
  - pattern: report-a-missed-bin
    since: 2018-11-05   # the first council to run it
    evidence: https://www.tauntondeane.gov.uk/missed-bin
"""

TAU_DECLARATION = """\
# yaml-language-server: $schema=../../schemas/commitment.schema.json
# Taunton Deane's commitments.
commitments:
  - id: open-repairs-data
    title: Publish housing repairs data openly
    principles: [3]
    status: done
    start: 2018-10-01
    partners: [HCK]
    history:
      - date: 2018-10-01
        status: in-progress
        note: Started with the repairs team.
      - date: 2019-02-01
        status: done   # published weekly since
        note: Published weekly.
  # Paused when the council merged.
  - id: one-login
    title: One login for council services
    principles: [2]
    status: paused
    start: 2018-12-01
    history:
      - {date: 2018-12-01, status: in-progress, note: "Procurement started."}
      - {date: 2019-03-01, status: paused, note: "Paused until the new council decides."}
"""

SMT_COUNCIL = """\
# yaml-language-server: $schema=../../schemas/council.schema.json
# Somerset's profile.
code: SMT
maintainers:
  - somerset-digital
website: https://www.somerset.gov.uk
adopted:
  - pattern: report-a-missed-bin
    since: 2023-06-01
"""

SMT_DECLARATION = """\
# yaml-language-server: $schema=../../schemas/commitment.schema.json
commitments:
    - id: open-repairs-data
      title: Publish repairs data for the whole county
      principles: [3, 5]
      status: in-progress
      start: 2023-04-01
      partners:
        - HCK
        - TAU   # before 2019
      history:
        - date: 2023-04-01
          status: in-progress
          note: Started.
"""

CASE_STUDY = """\
---
# yaml-language-server: $schema=../schemas/case-study.schema.json
title: Taunton Deane cut missed-bin calls
council: "TAU"   # the council that did the work
date: 2019-01-10
summary: An address-only form replaced phone reports.
patterns: [report-a-missed-bin]
service-area: environmental-and-regulatory
partners:
  # councils that helped
  - HCK
  - TAU
contact:
  role: Waste services digital lead
  email: digital@example.gov.uk
---

## What we did

Built a form. Taunton Deane (TAU) ran it first.
"""

SESSION = """\
---
# yaml-language-server: $schema=../../schemas/session.schema.json
event: UKGovCamp 2026
date: 2026-01-10
title: Can we all stop building our own bin forms?
hosts: [Waste digital team]
councils:
  - TAU  # who took part
  - HCK
id: 1
---

What was discussed.
"""


def write(root: Path, files: dict[str, str], newline: str = "\n") -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.replace("\n", newline).encode("utf-8"))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file in the repository but the register, by path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.parts[len(root.parts)] not in ("data", ".git")}


def assert_no_line_lost(before: dict[str, bytes], after: dict[str, bytes], code: str,
                        dropped: frozenset[str] = frozenset()) -> None:
    """Every line of the original files that does not name `code` is still in the result (indentation aside)."""
    token = re.compile(rf"\b{code}\b")
    result = {line.strip() for text in after.values() for line in text.decode("utf-8").splitlines()}
    for path, text in before.items():
        for n, line in enumerate(text.decode("utf-8").splitlines(), 1):
            if line.strip() and not token.search(line) and line not in dropped:
                assert line.strip() in result, f"{path}:{n} is lost: {line!r}"


# Merging TAU_COUNCIL into SMT_COUNCIL leaves out these lines: the old profile's comment, and the later of the
# two dates the pattern was adopted.
MERGED_AWAY = frozenset({"# Taunton Deane's profile.", "    since: 2023-06-01"})


def run(cli: Cli, root: Path, *args: str) -> Result:
    return cli("--root", str(root), "reorganise", *args)


def assert_valid(cli: Cli, root: Path) -> None:
    result = cli("--root", str(root), "validate")
    assert (result.code, result.err) == (0, ""), result.out
    assert result.out.endswith("no problems.\n")


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planner, "_today", lambda: TODAY)


# Moving the folder


def test_rename_into_a_successor_without_a_folder(repo: Path, cli: Cli) -> None:
    write(repo, {"councils/taunton-deane/council.yml": TAU_COUNCIL,
                 "councils/taunton-deane/declaration.yml": TAU_DECLARATION})
    before = snapshot(repo)
    result = run(cli, repo, "TAU", "--keep-maintainers")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "Taunton Deane (TAU) was replaced by Somerset West and Taunton (SWT) on 2019-04-01, and Somerset West and "
        "Taunton (SWT) by Somerset (SMT) on 2023-04-01.\n"
        "moved councils/taunton-deane/council.yml -> councils/somerset/council.yml\n"
        "    line 3: code: TAU -> SMT\n"
        "    lines 12-15: former: taunton-deane kept, so its links lead here\n"
        "moved councils/taunton-deane/declaration.yml -> councils/somerset/declaration.yml\n"
        "    lines 17-20: history of open-repairs-data: update 2026-01-15 (done) says why it moved\n"
        "    line 30: history of one-login: update 2026-01-15 (paused) says why it moved\n"
        "2 commitments of Taunton Deane are now recorded for Somerset (SMT).\n"
        "Taunton Deane's maintainers (@tdbc-digital) are kept as maintainers of Somerset (SMT) (--keep-maintainers).\n"
        "Check website and declaration-signed in councils/somerset/council.yml: they are still Taunton Deane's.\n"
        "Next: run commons validate, review the changes with git status and git diff, commit them and open a "
        "pull request.\n"
    )
    assert not (repo / "councils" / "taunton-deane").exists()
    assert (repo / "councils" / "somerset" / "council.yml").read_text(encoding="utf-8") == (
        TAU_COUNCIL.replace("code: TAU", "code: SMT")
        + "former:\n  - code: TAU\n    slug: taunton-deane\n    until: 2019-03-31\n")
    why = ("Moved from Taunton Deane when it was replaced by Somerset West and Taunton on 2019-04-01, and Somerset "
           "West and Taunton by Somerset on 2023-04-01 (council reorganisation).")
    assert (repo / "councils" / "somerset" / "declaration.yml").read_text(encoding="utf-8") == (
        TAU_DECLARATION
        .replace("        note: Published weekly.\n",
                 "        note: Published weekly.\n"
                 f"      - date: 2026-01-15\n        status: done\n        note: {why}\n        moved-from: TAU\n")
        .replace('decides."}\n',
                 f'decides."}}\n      - {{date: 2026-01-15, status: paused, note: "{why}", moved-from: TAU}}\n'))
    assert_valid(cli, repo)
    assert_no_line_lost(before, snapshot(repo), "TAU")


def test_merge_into_an_existing_folder_renames_a_clashing_commitment(repo: Path, cli: Cli) -> None:
    write(repo, {"councils/taunton-deane/council.yml": TAU_COUNCIL,
                 "councils/taunton-deane/declaration.yml": TAU_DECLARATION,
                 "councils/somerset/council.yml": SMT_COUNCIL,
                 "councils/somerset/declaration.yml": SMT_DECLARATION})
    before = snapshot(repo)
    result = run(cli, repo, "taunton-deane", "--into", "somerset", "--keep-maintainers")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "Taunton Deane (TAU) was replaced by Somerset West and Taunton (SWT) on 2019-04-01, and Somerset West and "
        "Taunton (SWT) by Somerset (SMT) on 2023-04-01.\n"
        "removed councils/taunton-deane/council.yml (its content is now in councils/somerset/council.yml)\n"
        "removed councils/taunton-deane/declaration.yml (its content is now in councils/somerset/declaration.yml)\n"
        "edited councils/somerset/council.yml\n"
        "    line 6: maintainers: tdbc-digital (from Taunton Deane)\n"
        "    line 10: adopted report-a-missed-bin: since 2023-06-01 -> 2018-11-05 (Taunton Deane's, the earlier)\n"
        "    line 11: adopted report-a-missed-bin: evidence from Taunton Deane\n"
        "    lines 12-17: former: taunton-deane kept, so its links lead here\n"
        "edited councils/somerset/declaration.yml\n"
        "    line 10: open-repairs-data partners: HCK, TAU -> HCK\n"
        "    lines 15-42: 2 commitments, each from councils/taunton-deane/declaration.yml with an update saying why "
        "it moved\n"
        "      id open-repairs-data -> open-repairs-data-taunton-deane (Somerset already has a commitment "
        "open-repairs-data)\n"
        "2 commitments of Taunton Deane are now recorded for Somerset (SMT).\n"
        "Taunton Deane's maintainers (@tdbc-digital) are kept as maintainers of Somerset (SMT) (--keep-maintainers).\n"
        "councils/taunton-deane/council.yml had 1 comment line, not carried into councils/somerset/council.yml: "
        "copy any still worth keeping.\n"
        "Next: run commons validate, review the changes with git status and git diff, commit them and open a "
        "pull request.\n"
    )
    assert not (repo / "councils" / "taunton-deane").exists()
    assert (repo / "councils" / "somerset" / "council.yml").read_text(encoding="utf-8") == (
        SMT_COUNCIL.replace("since: 2023-06-01", "since: 2018-11-05   # the first council to run it\n"
                            "    evidence: https://www.tauntondeane.gov.uk/missed-bin")
        .replace("  - somerset-digital\n", "  - somerset-digital\n  - tdbc-digital\n")
        + "former:\n  - code: TAU\n    slug: taunton-deane\n    until: 2019-03-31\n"
        "    website: https://www.tauntondeane.gov.uk\n    declaration-signed: 2018-09-01\n")
    why = "when it was replaced by Somerset West and Taunton on 2019-04-01, and Somerset West and Taunton by " \
          "Somerset on 2023-04-01 (council reorganisation)."
    assert (repo / "councils" / "somerset" / "declaration.yml").read_text(encoding="utf-8") == (
        SMT_DECLARATION.replace("        - TAU   # before 2019\n", "        # before 2019\n")
        + "    # Taunton Deane's commitments.\n"
        "    - id: open-repairs-data-taunton-deane\n"
        "      title: Publish housing repairs data openly\n"
        "      principles: [3]\n"
        "      status: done\n"
        "      start: 2018-10-01\n"
        "      partners: [HCK]\n"
        "      history:\n"
        "        - date: 2018-10-01\n"
        "          status: in-progress\n"
        "          note: Started with the repairs team.\n"
        "        - date: 2019-02-01\n"
        "          status: done   # published weekly since\n"
        "          note: Published weekly.\n"
        "        - date: 2026-01-15\n"
        "          status: done\n"
        f"          note: Moved from Taunton Deane, where its id was open-repairs-data, {why}\n"
        "          moved-from: TAU\n"
        "    # Paused when the council merged.\n"
        "    - id: one-login\n"
        "      title: One login for council services\n"
        "      principles: [2]\n"
        "      status: paused\n"
        "      start: 2018-12-01\n"
        "      history:\n"
        '        - {date: 2018-12-01, status: in-progress, note: "Procurement started."}\n'
        '        - {date: 2019-03-01, status: paused, note: "Paused until the new council decides."}\n'
        f'        - {{date: 2026-01-15, status: paused, note: "Moved from Taunton Deane {why}", moved-from: TAU}}\n')
    assert_valid(cli, repo)
    # Only the old profile's comment (the output says so) and Somerset's later date are not carried.
    assert_no_line_lost(before, snapshot(repo), "TAU", dropped=MERGED_AWAY)


def test_several_successors(repo: Path, cli: Cli) -> None:
    write(repo, {
        "councils/cumbria/council.yml": TAU_COUNCIL.replace("TAU", "CMA").replace("Taunton Deane", "Cumbria"),
        "councils/cumbria/declaration.yml": TAU_DECLARATION,
        "patterns/report-a-missed-bin.md": (repo / "patterns" / "report-a-missed-bin.md").read_text()
        .replace("councils: [HCK]", "councils: [CMA, HCK]"),
        "case-studies/cumbria-bins.md": CASE_STUDY.replace("TAU", "CMA"),
    })
    result = run(cli, repo, "CMA", "--keep-maintainers")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "Cumbria (CMA) was replaced by Cumberland (CBD) and Westmorland and Furness (WAF) on 2023-04-01.\n"
        "Its folder and commitments go to Cumberland (CBD), the first given; references to it go to Cumberland "
        "(CBD) and Westmorland and Furness (WAF) in lists, to Cumberland (CBD) where there is one.\n"
        "moved councils/cumbria/council.yml -> councils/cumberland/council.yml\n"
        "    line 3: code: CMA -> CBD\n"
        "    lines 12-15: former: cumbria kept, so its links lead here\n"
        "moved councils/cumbria/declaration.yml -> councils/cumberland/declaration.yml\n"
        "    lines 17-20: history of open-repairs-data: update 2026-01-15 (done) says why it moved\n"
        "    line 30: history of one-login: update 2026-01-15 (paused) says why it moved\n"
        "edited case-studies/cumbria-bins.md\n"
        "    line 4: council: CMA -> CBD\n"
        "    line 12: partners: HCK, CMA -> HCK, WAF\n"
        "edited patterns/report-a-missed-bin.md\n"
        "    line 8: councils: CMA, HCK -> CBD, WAF, HCK\n"
        "2 commitments of Cumbria are now recorded for Cumberland (CBD) (the first successor given).\n"
        "Cumbria's maintainers (@tdbc-digital) are kept as maintainers of Cumberland (CBD) (--keep-maintainers).\n"
        "Check website and declaration-signed in councils/cumberland/council.yml: they are still Cumbria's.\n"
        "Next: run commons validate, review the changes with git status and git diff, commit them and open a "
        "pull request.\n"
    )
    text = (repo / "councils" / "cumberland" / "declaration.yml").read_text(encoding="utf-8")
    assert "note: Moved from Cumbria when it was replaced by Cumberland and Westmorland and Furness on 2023-04-01 " \
        "(council reorganisation).\n" in text
    case = (repo / "case-studies" / "cumbria-bins.md").read_text(encoding="utf-8")
    assert 'council: "CBD"   # the council that did the work\n' in case
    assert "  - HCK\n  - WAF\ncontact:\n" in case
    assert "councils: [CBD, WAF, HCK]\n" in (repo / "patterns" / "report-a-missed-bin.md").read_text()
    assert_valid(cli, repo)


def test_the_first_successor_given_gets_the_folder_and_the_redirect(repo: Path, cli: Cli) -> None:
    from commons.content.model import build_catalog
    from commons.content.register import load_register
    from commons.content.validate import validate_repository
    from commons.site.pages import redirect_pages

    write(repo, {"councils/northamptonshire/council.yml":
                 TAU_COUNCIL.replace("TAU", "NTH").replace("Taunton Deane", "Northamptonshire")})
    result = run(cli, repo, "NTH", "--into", "WNT", "NNT", "--keep-maintainers")
    assert result.code == 0, result.err
    assert "moved councils/northamptonshire/council.yml -> councils/west-northamptonshire/council.yml\n" in result.out
    report = validate_repository(repo, keep_entries=True)
    assert report.problems == []
    catalog = build_catalog(report.entries, load_register(repo / "data" / "uk-local-authorities.csv"))
    assert catalog.abolished["northamptonshire"] == ("WNT", "NNT")  # the register alone lists NNT first
    page = next(p for p in redirect_pages(catalog) if p.uri == "councils/northamptonshire/index.html")
    assert 'href="../west-northamptonshire/"' in page.content
    # The council page says whom it took over from (council.html prints `former`).
    assert catalog.councils["WNT"].former == (("Northamptonshire County Council", dt.date(2021, 4, 1)),)
    assert catalog.councils["NNT"].former == ()


def test_a_council_whose_successor_has_its_slug_stays_in_its_folder(repo: Path, cli: Cli) -> None:
    write(repo, {"councils/somerset/council.yml": TAU_COUNCIL.replace("TAU", "SOM")})
    result = run(cli, repo, "SOM", "--keep-maintainers")
    assert result.code == 0, result.err
    assert result.out.splitlines()[1:4] == [
        "edited councils/somerset/council.yml",
        "    line 3: code: SOM -> SMT",
        "    lines 12-15: former: somerset kept, so its links lead here",
    ]
    assert_valid(cli, repo)


# The schema line (commons.content.schema_line)

COUNCIL_LINE = "# yaml-language-server: $schema=../../schemas/council.schema.json"
DECLARATION_LINE = "# yaml-language-server: $schema=../../schemas/commitment.schema.json"


def schema_lines(text: str) -> list[int]:
    """The numbers of the lines that name a schema."""
    return [n for n, line in enumerate(text.splitlines(), 1) if "yaml-language-server" in line]


def test_a_merge_keeps_one_schema_line_in_each_file(repo: Path, cli: Cli) -> None:
    write(repo, {"councils/taunton-deane/council.yml": TAU_COUNCIL,
                 "councils/taunton-deane/declaration.yml": TAU_DECLARATION,
                 "councils/somerset/council.yml": SMT_COUNCIL,
                 "councils/somerset/declaration.yml": SMT_DECLARATION})
    result = run(cli, repo, "TAU")
    assert result.code == 0, result.err
    for name, line in (("council.yml", COUNCIL_LINE), ("declaration.yml", DECLARATION_LINE)):
        text = (repo / "councils" / "somerset" / name).read_text(encoding="utf-8")
        assert schema_lines(text) == [1] and text.startswith(line + "\n"), name
    # The old profile's schema line is not a comment the output asks anyone to copy.
    assert "had 1 comment line, not carried" in result.out
    assert "schema line" not in result.out
    assert_valid(cli, repo)


def test_a_merge_into_files_without_a_schema_line_adds_it(repo: Path, cli: Cli) -> None:
    write(repo, {"councils/taunton-deane/council.yml": TAU_COUNCIL,
                 "councils/taunton-deane/declaration.yml": TAU_DECLARATION,
                 "councils/somerset/council.yml": SMT_COUNCIL.replace(COUNCIL_LINE + "\n", ""),
                 "councils/somerset/declaration.yml": SMT_DECLARATION.replace(DECLARATION_LINE + "\n", "")},
          newline="\r\n")
    result = run(cli, repo, "TAU", "--keep-maintainers")
    assert result.code == 0, result.err
    assert result.out.count("    line 1: schema line for editors added\n") == 2
    for name, line in (("council.yml", COUNCIL_LINE), ("declaration.yml", DECLARATION_LINE)):
        data = (repo / "councils" / "somerset" / name).read_bytes()
        assert data.startswith(line.encode() + b"\r\n") and data.count(b"\n") == data.count(b"\r\n"), name
        assert schema_lines(data.decode()) == [1], name
    # The notes' line numbers count the added line: the maintainer from Taunton Deane is on line 6.
    assert "    line 6: maintainers: tdbc-digital (from Taunton Deane)\n" in result.out
    assert (repo / "councils" / "somerset" / "council.yml").read_text().splitlines()[5] == "  - tdbc-digital"
    assert_valid(cli, repo)


def test_a_moved_file_gets_a_missing_schema_line_and_a_wrong_one_corrected(repo: Path, cli: Cli) -> None:
    write(repo, {"councils/taunton-deane/council.yml": TAU_COUNCIL.replace("../../schemas/", "../schemas/"),
                 "councils/taunton-deane/declaration.yml": TAU_DECLARATION.replace(DECLARATION_LINE + "\n", "")})
    result = run(cli, repo, "TAU", "--keep-maintainers")
    assert result.code == 0, result.err
    assert result.out.splitlines()[1:4] == [
        "moved councils/taunton-deane/council.yml -> councils/somerset/council.yml",
        "    line 1: schema line -> ../../schemas/council.schema.json",
        "    line 3: code: TAU -> SMT",
    ]
    assert "moved councils/taunton-deane/declaration.yml -> councils/somerset/declaration.yml\n" \
           "    line 1: schema line for editors added\n" in result.out
    council = (repo / "councils" / "somerset" / "council.yml").read_text(encoding="utf-8")
    declaration = (repo / "councils" / "somerset" / "declaration.yml").read_text(encoding="utf-8")
    assert council.startswith(COUNCIL_LINE + "\n# Taunton Deane's profile.\ncode: SMT\n")
    assert declaration.startswith(DECLARATION_LINE + "\n# Taunton Deane's commitments.\ncommitments:\n")
    assert schema_lines(declaration) == [1]
    assert_valid(cli, repo)


# References


def test_references_are_rewritten_in_place_keeping_comments(repo: Path, cli: Cli) -> None:
    pattern = (repo / "patterns" / "report-a-missed-bin.md").read_text(encoding="utf-8")
    write(repo, {
        "patterns/report-a-missed-bin.md": pattern.replace("councils: [HCK]", "councils: [HCK, 'TAU']  # owners"),
        "case-studies/taunton-bins.md": CASE_STUDY,
        "sessions/ukgovcamp-2026/bin-forms.md": SESSION,
        "councils/hackney/declaration.yml": (repo / "councils" / "hackney" / "declaration.yml").read_text()
        .replace("    start: 2024-01-08\n", "    start: 2024-01-08\n    partners: [TAU, SMT]  # both\n"),
    })
    before = snapshot(repo)
    result = run(cli, repo, "TAU")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "Taunton Deane (TAU) was replaced by Somerset West and Taunton (SWT) on 2019-04-01, and Somerset West and "
        "Taunton (SWT) by Somerset (SMT) on 2023-04-01.\n"
        "edited case-studies/taunton-bins.md\n"
        "    line 4: council: TAU -> SMT\n"
        "    line 12: partners: HCK, TAU -> HCK\n"
        "edited councils/hackney/declaration.yml\n"
        "    line 9: open-repairs-data partners: TAU, SMT -> SMT\n"
        "edited patterns/report-a-missed-bin.md\n"
        "    line 8: councils: HCK, TAU -> HCK, SMT\n"
        "edited sessions/ukgovcamp-2026/bin-forms.md\n"
        "    line 8: councils: TAU, HCK -> SMT, HCK\n"
        "Next: run commons validate, review the changes with git status and git diff, commit them and open a "
        "pull request.\n"
    )
    after = snapshot(repo)
    changed = {path: [(a, b) for a, b in zip(before[path].decode().splitlines(), after[path].decode().splitlines(),
                                              strict=False) if a != b]
               for path in before if before[path] != after[path]}
    assert changed == {
        "patterns/report-a-missed-bin.md": [("councils: [HCK, 'TAU']  # owners", "councils: [HCK, 'SMT']  # owners")],
        "case-studies/taunton-bins.md": [('council: "TAU"   # the council that did the work',
                                          'council: "SMT"   # the council that did the work'),
                                         # the partner that is now the council itself goes: the lines move up
                                         ("  - TAU", "contact:"), ("contact:", "  role: Waste services digital lead"),
                                         ("  role: Waste services digital lead", "  email: digital@example.gov.uk"),
                                         ("  email: digital@example.gov.uk", "---"), ("---", ""),
                                         ("", "## What we did"), ("## What we did", ""),
                                         ("", "Built a form. Taunton Deane (TAU) ran it first.")],
        "councils/hackney/declaration.yml": [("    partners: [TAU, SMT]  # both", "    partners: [SMT]  # both")],
        "sessions/ukgovcamp-2026/bin-forms.md": [("  - TAU  # who took part", "  - SMT  # who took part")],
    }
    assert_valid(cli, repo)
    assert_no_line_lost(before, after, "TAU")


def test_nothing_to_do(repo: Path, cli: Cli) -> None:
    result = run(cli, repo, "TAU")
    assert (result.code, result.err) == (0, "")
    assert result.out.endswith(
        "Nothing to do: there is no councils/taunton-deane/ folder and no entry refers to TAU.\n")


# Refusals


@pytest.mark.parametrize(("args", "message", "hint"), [
    (["HCK"], "Hackney (HCK) is a current council",
     "only a council the register records as abolished (with an end-date and replaced-by) can be reorganised"),
    (["buckinghamshire"], "Buckinghamshire (BUC) is a current council",
     "the abolished Buckinghamshire County Council is BKM: commons reorganise BKM"),
    (["TAU", "--into", "HCK"],
     "Hackney (HCK) did not replace Taunton Deane (TAU): Taunton Deane (TAU) was replaced by Somerset West and "
     "Taunton (SWT) on 2019-04-01, and Somerset West and Taunton (SWT) by Somerset (SMT) on 2023-04-01",
     "did you mean --into SMT?"),
    (["TAU", "--into", "SWT"],
     "Taunton Deane (TAU) was replaced by Somerset West and Taunton (SWT) on 2019-04-01, and Somerset West and "
     "Taunton (SWT) by Somerset (SMT) on 2023-04-01: Somerset West and Taunton (SWT) is itself abolished",
     "did you mean --into SMT?"),
    (["CMA", "--into", "CBD", "NNT"],
     "North Northamptonshire (NNT) did not replace Cumbria (CMA): Cumbria (CMA) was replaced by Cumberland (CBD) "
     "and Westmorland and Furness (WAF) on 2023-04-01", "did you mean --into CBD WAF?"),
    (["TAUX"], "'TAUX' is not a council in the register", "did you mean TAU (Taunton Deane Borough Council)?"),
    (["taunton"], "'taunton' is not a council in the register", "did you mean TAU (Taunton Deane Borough Council)?"),
    (["TAU", "--into", "nowhere-at-all"], "--into 'nowhere-at-all' is not a council in the register",
     "use a code or slug from data/uk-local-authorities.csv, e.g. TAU or taunton-deane"),
    (["NIR-A"], "Derry (NIR-A) was abolished on 2015-03-31 but the register names no council that replaced it",
     "there is nothing to move it into; remove its folder and references by hand, or correct replaced-by in the "
     "register"),
])
def test_usage_errors_exit_2_with_a_hint(repo: Path, cli: Cli, args: list[str], message: str, hint: str) -> None:
    before = snapshot(repo)
    result = run(cli, repo, *args)
    assert (result.code, result.out) == (2, "")
    assert result.err == (f"commons reorganise: {message}\n    hint: {hint}\n"
                          "Try 'commons reorganise --help'.\n")
    assert snapshot(repo) == before


def test_an_invalid_result_writes_nothing(repo: Path, cli: Cli) -> None:
    write(repo, {"councils/taunton-deane/council.yml": TAU_COUNCIL,
                 "councils/taunton-deane/declaration.yml": TAU_DECLARATION.replace("partners: [HCK]",
                                                                                   "partners: [SWT]")})
    before = snapshot(repo)
    result = run(cli, repo, "TAU", "--keep-maintainers")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "commons reorganise: the result would not be valid, so nothing was written:\n"
        "councils/somerset/declaration.yml:9:16: error[E-ABOLISHED] SWT (Somerset West and Taunton Council) was "
        "abolished on 2023-04-01\n"
        "    hint: use its successor: SMT (Somerset Council); commons reorganise SWT --into SMT moves its folder and "
        "every reference to it at once\n"
        "Fix these (commons validate shows the ones already there), then run the command again.\n"
    )
    assert snapshot(repo) == before


def test_a_commitment_updated_today_is_refused(repo: Path, cli: Cli) -> None:
    write(repo, {"councils/taunton-deane/council.yml": TAU_COUNCIL,
                 "councils/taunton-deane/declaration.yml": TAU_DECLARATION.replace("2019-03-01", "2026-01-15")})
    before = snapshot(repo)
    result = run(cli, repo, "TAU")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "commons reorganise: councils/taunton-deane/declaration.yml:25: commitment 'one-login' already has an "
        "update dated 2026-01-15, and a history has one update a day\n"
        "    hint: run the command again tomorrow\n")
    assert snapshot(repo) == before


# Writing


def test_dry_run_writes_nothing(repo: Path, cli: Cli) -> None:
    write(repo, {"councils/taunton-deane/council.yml": TAU_COUNCIL,
                 "councils/taunton-deane/declaration.yml": TAU_DECLARATION})
    before = snapshot(repo)
    dry = run(cli, repo, "TAU", "--dry-run", "--keep-maintainers")
    assert snapshot(repo) == before
    assert (dry.code, dry.err) == (0, "")
    real = run(cli, repo, "TAU", "--keep-maintainers")
    assert dry.out == (
        "Dry run: nothing was written.\n"
        + real.out.replace("Next: run commons validate, review the changes with git status and git diff, commit "
                           "them and open a pull request.\n",
                           "Run the command again without --dry-run to make these changes.\n"))


def test_crlf_files_keep_crlf_and_a_byte_order_mark(repo: Path, cli: Cli) -> None:
    pattern = (repo / "patterns" / "report-a-missed-bin.md").read_text(encoding="utf-8")
    write(repo, {"councils/taunton-deane/council.yml": TAU_COUNCIL,
                 "councils/taunton-deane/declaration.yml": TAU_DECLARATION,
                 "councils/somerset/council.yml": SMT_COUNCIL,
                 "councils/somerset/declaration.yml": SMT_DECLARATION,
                 "patterns/report-a-missed-bin.md": pattern.replace("councils: [HCK]", "councils: [TAU]")},
          newline="\r\n")
    bom = repo / "patterns" / "report-a-missed-bin.md"
    bom.write_bytes(b"\xef\xbb\xbf" + bom.read_bytes())
    before = snapshot(repo)
    result = run(cli, repo, "TAU", "--keep-maintainers")
    assert result.code == 0, result.err
    after = snapshot(repo)
    assert after["patterns/report-a-missed-bin.md"].startswith(b"\xef\xbb\xbf---\r\n")
    for path in ("councils/somerset/council.yml", "councils/somerset/declaration.yml",
                 "patterns/report-a-missed-bin.md"):
        assert after[path] != before[path]
        assert after[path].count(b"\n") == after[path].count(b"\r\n"), path
    assert b"\r\ncouncils: [SMT]\r\n" in after["patterns/report-a-missed-bin.md"]
    assert_valid(cli, repo)
    assert_no_line_lost(before, after, "TAU", dropped=MERGED_AWAY)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=root,
                          check=True, capture_output=True, text=True).stdout


def test_git_moves_are_renames(repo: Path, cli: Cli) -> None:
    write(repo, {"councils/taunton-deane/council.yml": TAU_COUNCIL,
                 "councils/taunton-deane/declaration.yml": TAU_DECLARATION})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Taunton Deane")
    result = run(cli, repo, "TAU", "--keep-maintainers")
    assert result.code == 0, result.err
    assert result.out.splitlines()[1:5] == [
        "moved councils/taunton-deane/council.yml -> councils/somerset/council.yml (git mv)",
        "    line 3: code: TAU -> SMT",
        "    lines 12-15: former: taunton-deane kept, so its links lead here",
        "moved councils/taunton-deane/declaration.yml -> councils/somerset/declaration.yml (git mv)",
    ]
    assert result.out.endswith("Next: run commons validate, review the changes (the moves are staged; the edits "
                               "are not) with git status and git diff, commit them and open a pull request.\n")
    assert git(repo, "status", "--porcelain").splitlines() == [
        "RM councils/taunton-deane/council.yml -> councils/somerset/council.yml",
        "RM councils/taunton-deane/declaration.yml -> councils/somerset/declaration.yml",
    ]
    git(repo, "add", "-A")
    renames = [line.split("\t") for line in git(repo, "diff", "--cached", "--name-status", "-M").splitlines()]
    assert [(status[0], old, new) for status, old, new in renames] == [
        ("R", "councils/taunton-deane/council.yml", "councils/somerset/council.yml"),
        ("R", "councils/taunton-deane/declaration.yml", "councils/somerset/declaration.yml"),
    ]


def test_git_merge_removes_the_old_files(repo: Path, cli: Cli) -> None:
    write(repo, {"councils/taunton-deane/council.yml": TAU_COUNCIL,
                 "councils/taunton-deane/declaration.yml": TAU_DECLARATION,
                 "councils/somerset/council.yml": SMT_COUNCIL,
                 "councils/somerset/declaration.yml": SMT_DECLARATION})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Taunton Deane and Somerset")
    assert run(cli, repo, "TAU", "--keep-maintainers").code == 0
    assert git(repo, "status", "--porcelain").splitlines() == [
        " M councils/somerset/council.yml",
        " M councils/somerset/declaration.yml",
        "D  councils/taunton-deane/council.yml",
        "D  councils/taunton-deane/declaration.yml",
    ]


def test_only_the_roots_own_repository_is_used(repo: Path, cli: Cli) -> None:
    # A content folder inside another project's checkout is not that project's to stage moves in.
    write(repo, {"councils/taunton-deane/council.yml": TAU_COUNCIL,
                 "councils/taunton-deane/declaration.yml": TAU_DECLARATION})
    outer = repo.parent
    git(outer, "init", "-q")
    git(outer, "add", "-A")
    git(outer, "commit", "-q", "-m", "a project holding a copy of the commons")
    result = run(cli, repo, "TAU", "--keep-maintainers")
    assert result.code == 0, result.err
    assert "(git mv)" not in result.out
    assert git(outer, "diff", "--cached", "--name-status") == ""


def test_former_councils_are_checked_against_the_register(repo: Path, cli: Callable[..., Result]) -> None:
    (repo / "councils" / "somerset").mkdir()
    (repo / "councils" / "somerset" / "council.yml").write_text(
        "# yaml-language-server: $schema=../../schemas/council.schema.json\n"
        "code: SMT\n"
        "maintainers: [somerset-digital]\n"
        "website: https://www.somerset.gov.uk\n"
        "former:\n"
        "  - {code: TAU, slug: taunton-deane, until: 2019-03-31}\n"
        "  - {code: TAU, slug: taunton, until: 2019-03-31}\n"
        "  - {code: HCK, slug: hackney, until: 2019-03-31}\n"
        "  - {code: AYL, slug: aylesbury-vale, until: 2020-03-31}\n", encoding="utf-8")
    result = cli("--root", str(repo), "validate", str(repo / "councils" / "somerset" / "council.yml"))
    assert result.out == (
        "councils/somerset/council.yml:7:23: error[E-VALUE] TAU's slug is 'taunton-deane' (got 'taunton')\n"
        "    hint: use the slug the register gives it: its old page is /councils/taunton-deane/\n"
        "councils/somerset/council.yml:8:12: error[E-UNKNOWN-REF] former council HCK is a current council\n"
        "    hint: list only abolished councils whose folders were merged into this one (commons reorganise "
        "writes them)\n"
        "councils/somerset/council.yml:9:12: error[E-UNKNOWN-REF] former council AYL was not replaced by SMT\n"
        "    hint: list only abolished councils whose folders were merged into this one (commons reorganise "
        "writes them)\n"
        "1 file checked: 3 errors, 0 warnings.\n")
    assert result.code == 1
