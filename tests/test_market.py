"""`commons market` and the procurement windows (commons.analysis.market), on real repositories in tmp_path and on
the repository's own starter content, through the real command."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from commons.analysis.market import add_months, windows
from commons.content.model import build_catalog
from commons.content.register import load_register
from commons.content.validate import validate_repository
from conftest import COUNCIL, REGISTER, REPO, Result, make_repository

TODAY = "2026-12-01"
FOLDERS = {"HCK": "hackney", "ISL": "islington", "LDS": "leeds"}


def contract(id: str, end: str, system: str = "revenues-and-benefits", supplier: str = "Capita",
             extension: str = "") -> str:
    more = f"    extension-until: {extension}\n" if extension else ""
    return (f"  - id: {id}\n    system: {system}\n    supplier: {supplier}\n    start: 2015-04-01\n    end: {end}\n"
            f"{more}    open-api: unknown\n")


def market_repo(tmp_path: Path, contracts: dict[str, list[str]]) -> Path:
    """A repository whose councils (by code) hold these contracts, each council with one maintainer."""
    root = make_repository(tmp_path / "repo")
    for code, items in contracts.items():
        folder = root / "councils" / FOLDERS[code]
        folder.mkdir(parents=True, exist_ok=True)
        if code != "HCK":
            (folder / "council.yml").write_text(
                COUNCIL.replace("HCK", code).replace("hackney-digital", f"{FOLDERS[code]}-digital")
                .replace("https://hackney.gov.uk", f"https://www.{FOLDERS[code]}.gov.uk"), encoding="utf-8")
        (folder / "contracts.yml").write_text(
            "# yaml-language-server: $schema=../../schemas/contract.schema.json\ncontracts:\n" + "".join(items),
            encoding="utf-8")
    return root


def market(cli: Callable[..., Result], root: Path, *more: str) -> list[dict[str, Any]]:
    result = cli("--root", str(root), "market", "--today", TODAY, "--format", "json", *more)
    assert (result.code, result.err) == (0, "")
    found: list[dict[str, Any]] = json.loads(result.out)
    return found


def test_contracts_ending_within_twelve_months_make_a_window(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = market_repo(tmp_path, {"HCK": [contract("rb", "2027-03-31")], "ISL": [contract("rb", "2028-03-30")],
                                  "LDS": [contract("rb", "2028-03-31", supplier="Civica")]})
    # Leeds ends exactly a year after Hackney: not within the same twelve months, and alone after that.
    assert market(cli, root) == [{"category": "revenues-and-benefits", "from": "2027-03-31", "to": "2028-03-30",
                                  "councils": [{"code": "HCK", "supplier": "Capita", "end": "2027-03-31"},
                                               {"code": "ISL", "supplier": "Capita", "end": "2028-03-30"}]}]


def test_extensions_count_and_ended_contracts_do_not(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = market_repo(tmp_path, {
        "HCK": [contract("rb", "2025-03-31", extension="2027-06-30")],
        "ISL": [contract("rb", "2027-09-30")],
        "LDS": [contract("old", "2026-06-30", extension="2026-11-30"), contract("new", "2031-03-31")],
    })
    found = market(cli, root)
    assert [(w["from"], w["to"], [c["code"] for c in w["councils"]]) for w in found] == [
        ("2027-06-30", "2027-09-30", ["HCK", "ISL"])]
    assert found[0]["councils"][0]["end"] == "2027-06-30"


def test_one_council_alone_is_no_window_and_categories_are_apart(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = market_repo(tmp_path, {
        "HCK": [contract("rb", "2027-03-31"), contract("rb2", "2027-04-30")],
        "ISL": [contract("lib", "2027-05-31", "libraries", "Civica")],
    })
    assert market(cli, root) == []
    text = cli("--root", str(root), "market", "--today", TODAY)
    assert (text.code, text.out) == (0, "No procurement windows: no two councils' contracts for one kind of system "
                                        "end within the same twelve months (contracts ending 2026-12-01 to "
                                        "2031-12-01).\n")


def test_within_and_category_choose_what_counts(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = market_repo(tmp_path, {
        "HCK": [contract("rb", "2027-03-31"), contract("lib", "2030-01-31", "libraries", "Civica")],
        "ISL": [contract("rb", "2027-06-30"), contract("lib", "2030-02-28", "libraries", "Civica")],
    })
    assert [w["category"] for w in market(cli, root)] == ["revenues-and-benefits", "libraries"]
    assert [w["category"] for w in market(cli, root, "--within", "24")] == ["revenues-and-benefits"]
    assert [w["category"] for w in market(cli, root, "--category", "libraries")] == ["libraries"]
    assert [w["category"] for w in market(cli, root, "--category", "Libraries")] == ["libraries"]


@pytest.mark.parametrize(("args", "said"), [
    (("--category", "librarys"), "did you mean --category libraries?"),
    (("--within", "0"), "--within must be a number of months from 1 to 1200"),
    (("--today", "1 Dec 2026"), "--today must be a date written YYYY-MM-DD"),
])
def test_usage_errors_say_what_to_type(repo: Path, cli: Callable[..., Result], args: tuple[str, str],
                                       said: str) -> None:
    result = cli("--root", str(repo), "market", *args)
    assert result.code == 2 and said in result.err and "Traceback" not in result.err


def test_content_that_does_not_validate_stops_the_report(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = market_repo(tmp_path, {"HCK": [contract("rb", "2027-03-31", supplier="Capitta")]})
    result = cli("--root", str(root), "market")
    assert result.code == 1
    assert "error[E-UNKNOWN-SUPPLIER] 'Capitta' is not a supplier" in result.out


def test_text_and_markdown_name_the_maintainers_to_ask(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = market_repo(tmp_path, {"HCK": [contract("rb", "2027-03-31")], "ISL": [contract("rb", "2027-06-30")]})
    text = cli("--root", str(root), "market", "--today", TODAY).out.splitlines()
    assert text[2] == "Revenues and benefits: 2 councils could buy together, contracts ending 2027-03-31 to 2027-06-30"
    assert text[3] == "  HCK Hackney: Capita, ends 2027-03-31; ask @hackney-digital"
    assert text[-1] == "How to buy together: playbooks/buy-a-system-together-with-other-councils.md"
    assert (REPO / "playbooks" / "buy-a-system-together-with-other-councils.md").is_file()
    md = cli("--root", str(root), "market", "--today", TODAY, "--format", "markdown").out
    assert "| Hackney (HCK) | Capita | 2027-03-31 |" in md
    assert "@hackney-digital" not in md  # named, escaped, never an @mention that notifies them


def test_add_months_keeps_to_the_end_of_a_short_month() -> None:
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)
    assert add_months(dt.date(2027, 11, 15), 3) == dt.date(2028, 2, 15)


def test_the_starter_content_has_at_least_two_procurement_windows(cli: Callable[..., Result]) -> None:
    found = market(cli, REPO)
    assert len(found) >= 2
    for w in found:
        codes = {c["code"] for c in w["councils"]}
        assert len(codes) >= 2
        start, end = dt.date.fromisoformat(str(w["from"])), dt.date.fromisoformat(str(w["to"]))
        assert start <= end < add_months(start, 12)
    # The same windows as the analysis computes from the Catalog, in the same order.
    report = validate_repository(REPO, keep_entries=True)
    catalog = build_catalog(report.entries, load_register(REGISTER), dt.date.fromisoformat(TODAY))
    assert [(w.category, w.start.isoformat()) for w in windows(catalog, dt.date.fromisoformat(TODAY))] == [
        (w["category"], w["from"]) for w in found]
