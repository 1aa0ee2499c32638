"""A council's own repository may hold its contracts.yml: checked as a folder's is (its contracts are its
council's), refused with its place in the source repository when wrong, and counted by `commons market` with
the commons' own councils. Real git repositories in tmp_path, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from commons.sources.config import read_lock
from conftest import Cli
from test_sources import COUNCIL, DECLARATION, git, list_sources, make_source, update

TODAY = "2026-12-01"


def contracts(*items: tuple[str, str, str]) -> str:
    return "contracts:\n" + "".join(
        f"  - id: {cid}\n    system: revenues-and-benefits\n    supplier: {supplier}\n    start: 2015-04-01\n"
        f"    end: {end}\n    open-api: unknown\n" for cid, supplier, end in items)


def test_a_sources_contracts_are_pinned_and_in_the_market_with_the_commons_own(cli: Cli, repo: Path,
                                                                              tmp_path: Path) -> None:
    (repo / "councils" / "hackney" / "contracts.yml").write_text(
        contracts(("revenues-2015", "Capita", "2027-03-31")), encoding="utf-8")
    folder = make_source(tmp_path / "sheffield", {"council.yml": COUNCIL, "declaration.yml": DECLARATION,
                                                   "contracts.yml": contracts(("rb-2015", "Civica", "2027-09-30"))})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 0
    assert "contracts.yml" in read_lock(repo)["SHF"].files
    done = cli("--root", str(repo), "market", "--today", TODAY, "--format", "json")
    assert done.code == 0, done.out + done.err
    windows = json.loads(done.out)
    assert [[c["code"] for c in w["councils"]] for w in windows] == [["HCK", "SHF"]]
    assert windows[0]["councils"][1] == {"code": "SHF", "supplier": "Civica", "end": "2027-09-30"}


def test_a_wrong_contract_in_a_source_is_refused_at_its_line_there(cli: Cli, repo: Path, tmp_path: Path) -> None:
    bad = contracts(("rb-2015", "Civica", "2014-01-01"))  # ends before it starts
    folder = make_source(tmp_path / "sheffield", {"council.yml": COUNCIL, "declaration.yml": DECLARATION,
                                                   "contracts.yml": bad})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 1
    pin = read_lock(repo)["SHF"]
    short = git(folder, "rev-parse", "--short=7", "HEAD")
    assert pin.commit == "" and pin.failure is not None
    assert any(p.startswith(f"{folder}@{short}:contracts.yml:6:") and "error[" in p for p in pin.failure.problems), \
        pin.failure.problems


def test_contracts_without_a_council_yml_are_refused(cli: Cli, repo: Path, tmp_path: Path) -> None:
    folder = make_source(tmp_path / "sheffield", {"contracts.yml": contracts(("rb-2015", "Civica", "2027-09-30"))})
    list_sources(repo, {"council": "SHF", "url": str(folder)})
    assert update(cli, repo).code == 1
    problems = read_lock(repo)["SHF"].failure.problems  # type: ignore[union-attr]
    assert any(":contracts.yml: error[E-REQUIRED] the source has contracts.yml but no council.yml" in p
               for p in problems), problems
