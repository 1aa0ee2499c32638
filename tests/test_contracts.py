"""Contracts (councils/<slug>/contracts.yml): the checks, the Catalog, `commons new contract`, the starter content and
who may change a council's contracts, on real repositories in tmp_path through the real command."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from commons.content.model import build_catalog
from commons.content.register import load_register
from commons.content.validate import validate_repository
from commons.content.vocabulary import SUPPLIERS, SYSTEM_CATEGORIES
from conftest import REGISTER, REPO, Result, make_repository
from test_changes import PullRequest, check

HEAD = "# yaml-language-server: $schema=../../schemas/contract.schema.json\n# Hackney's contracts.\ncontracts:\n"
CONTRACT = """\
  - id: {id}
    system: {system}
    supplier: {supplier}
    product: {product}
    start: {start}
    end: {end}
    open-api: partial
"""


def contract(id: str = "revenues-2021", system: str = "revenues-and-benefits", supplier: str = "Capita",
             product: str = "Academy", start: str = "2021-04-01", end: str = "2099-03-31", more: str = "") -> str:
    return CONTRACT.format(id=id, system=system, supplier=supplier, product=product, start=start, end=end) + more


def repo_with(tmp_path: Path, *contracts: str) -> Path:
    root = make_repository(tmp_path / "repo")
    (root / "councils" / "hackney" / "contracts.yml").write_text(HEAD + "".join(contracts), encoding="utf-8")
    return root


def problems(cli: Callable[..., Result], root: Path) -> tuple[int, list[dict[str, object]]]:
    result = cli("--root", str(root), "validate", "--format", "json")
    return result.code, json.loads(result.out)


def test_a_valid_contracts_file_has_no_problems(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = repo_with(tmp_path, contract(), contract("housing-2022", "housing-management", "Aareon", "QL"))
    assert problems(cli, root) == (0, [])


def test_an_end_before_the_start_is_located_at_the_end(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = repo_with(tmp_path, contract(start="2021-04-01", end="2020-03-31"))
    code, found = problems(cli, root)
    assert code == 1
    assert [(p["code"], p["line"], p["col"], p["message"]) for p in found] == [
        ("E-DATE-ORDER", 9, 10, "end 2020-03-31 is before start 2021-04-01")]


def test_an_extension_must_come_after_the_end(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = repo_with(tmp_path, contract(more="    extension-until: 2099-03-31\n"),
                     contract("later", more="    extension-until: 2100-03-31\n"))
    code, found = problems(cli, root)
    assert code == 1
    assert [(p["code"], p["line"], p["message"]) for p in found] == [
        ("E-DATE-ORDER", 11, "extension-until 2099-03-31 is not after end 2099-03-31")]


def test_a_mistyped_supplier_or_product_is_told_the_nearest(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = repo_with(tmp_path, contract(supplier="capita"), contract("two", supplier="Civica", product="Openrevenue"),
                     contract("three", supplier="Civica", product="Academy"), contract("four", supplier="Acme Systems"))
    code, found = problems(cli, root)
    assert code == 1
    hints = [(p["code"], p["line"], p["hint"]) for p in found]
    assert hints[0][:2] == ("E-UNKNOWN-SUPPLIER", 6) and "did you mean 'Capita'?" in str(hints[0][2])
    assert hints[1][:2] == ("E-UNKNOWN-SUPPLIER", 14) and "did you mean 'OpenRevenues'?" in str(hints[1][2])
    assert hints[2] == ("E-UNKNOWN-SUPPLIER", 21, "Capita sells Academy: check the supplier")
    assert hints[3][:2] == ("E-UNKNOWN-SUPPLIER", 27) and "add it to data/suppliers.yml" in str(hints[3][2])
    assert "did you mean" not in str(hints[3][2])
    assert len(found) == 4


def test_a_contract_id_is_used_once(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = repo_with(tmp_path, contract(), contract(system="libraries", supplier="Civica", product="Spydus"))
    code, found = problems(cli, root)
    assert [(p["code"], p["line"]) for p in found] == [("E-DUPLICATE-ID", 11)]
    assert code == 1


def test_an_ended_contract_is_stale_unless_a_later_one_or_an_extension_follows(tmp_path: Path,
                                                                               cli: Callable[..., Result]) -> None:
    ended = contract("old", start="2015-04-01", end="2020-03-31")
    assert [p["code"] for p in problems(cli, repo_with(tmp_path / "a", ended))[1]] == ["W-CONTRACT-ENDED"]
    # A later contract for the same system is its successor; one for another system is not.
    assert problems(cli, repo_with(tmp_path / "b", ended, contract("new", start="2020-04-01"))) == (0, [])
    other = contract("libraries", "libraries", "Civica", "Spydus")
    assert [p["code"] for p in problems(cli, repo_with(tmp_path / "c", ended, other))[1]] == ["W-CONTRACT-ENDED"]
    # An extension still running keeps it current; an ended one is where the warning points.
    assert problems(cli, repo_with(tmp_path / "d", contract(start="2015-04-01", end="2020-03-31",
                                                             more="    extension-until: 2099-03-31\n"))) == (0, [])
    code, found = problems(cli, repo_with(tmp_path / "e", contract(start="2015-04-01", end="2020-03-31",
                                                                  more="    extension-until: 2021-03-31\n")))
    assert (code, [(p["code"], p["line"]) for p in found]) == (0, [("W-CONTRACT-ENDED", 11)])
    assert cli("--root", str(tmp_path / "e" / "repo"), "validate", "--strict").code == 1


def test_open_api_yes_and_no_may_be_written_unquoted(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = repo_with(tmp_path, contract().replace("open-api: partial", "open-api: yes"),
                     contract("two").replace("open-api: partial", "open-api: no"),
                     contract("three").replace("open-api: partial", "open-api: maybe"))
    code, found = problems(cli, root)
    assert [(p["code"], p["line"]) for p in found] == [("E-ENUM", 24)]
    (root / "councils/hackney/contracts.yml").write_text(
        (root / "councils/hackney/contracts.yml").read_text().replace("maybe", "unknown"))
    report = validate_repository(root, keep_entries=True)
    assert report.errors == 0
    council = build_catalog(report.entries, load_register(REGISTER)).council("HCK")
    assert [c.open_api for c in council.contracts] == ["yes", "no", "unknown"]


def test_the_catalog_hangs_each_contract_on_its_council(tmp_path: Path) -> None:
    more = "    extension-until: 2028-03-31\n    annual-value: 500\n"
    root = repo_with(tmp_path, contract(end="2027-03-31", more=more))
    report = validate_repository(root, keep_entries=True)
    catalog = build_catalog(report.entries, load_register(REGISTER))
    (c,) = catalog.council("HCK").contracts
    assert (c.council, c.key, c.system_label, c.supplier, c.product) == (
        "HCK", "HCK/revenues-2021", "Revenues and benefits", "Capita", "Academy")
    assert (c.end, c.ends, c.annual_value, c.illustrative) == (dt.date(2027, 3, 31), dt.date(2028, 3, 31), 500, False)
    assert catalog.council("ISL").contracts == ()


def test_every_starter_council_has_illustrative_contracts_that_validate() -> None:
    folders = sorted(p for p in (REPO / "councils").iterdir() if (p / "council.yml").is_file())
    assert folders
    for folder in folders:
        data = yaml.safe_load((folder / "contracts.yml").read_text(encoding="utf-8"))
        assert data["contracts"], folder
        for c in data["contracts"]:
            assert c["illustrative"] is True, (folder.name, c["id"])
            assert c["system"] in SYSTEM_CATEGORIES and c["product"] in SUPPLIERS[c["supplier"]]
    report = validate_repository(REPO, [f"councils/{f.name}/contracts.yml" for f in folders])
    assert report.problems == []


def test_the_editor_schema_lists_the_categories_from_data() -> None:
    schema = json.loads((REPO / "schemas" / "contract.schema.json").read_text(encoding="utf-8"))
    text = json.dumps(schema)
    assert all(f'"{slug}"' in text for slug in SYSTEM_CATEGORIES)
    listed = yaml.safe_load((REPO / "data" / "system-categories.yml").read_text(encoding="utf-8"))
    assert [i["slug"] for i in listed] == list(SYSTEM_CATEGORIES)


NEW = ("new", "contract", "--council", "HCK", "--system", "libraries", "--supplier", "Civica", "--product", "Spydus",
       "--start", "2021-04-01", "--end", "2099-03-31")


def test_new_contract_adds_to_the_file_and_keeps_its_comments(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = repo_with(tmp_path, contract())
    result = cli("--root", str(root), *NEW)
    assert (result.code, result.out.splitlines()[0]) == (0, "wrote councils/hackney/contracts.yml")
    text = (root / "councils/hackney/contracts.yml").read_text(encoding="utf-8")
    assert text.startswith(HEAD + contract())
    added = yaml.safe_load(text)["contracts"][1]
    assert added == {"id": "libraries-2021", "system": "libraries", "supplier": "Civica", "product": "Spydus",
                     "start": dt.date(2021, 4, 1), "end": dt.date(2099, 3, 31), "open-api": "unknown"}
    assert problems(cli, root) == (0, [])
    again = cli("--root", str(root), *NEW)
    assert again.code == 1 and "already has a contract with id 'libraries-2021'" in again.err


def test_new_contract_writes_a_new_file_whole(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = make_repository(tmp_path / "repo")
    assert cli("--root", str(root), *NEW, "--open-api", "yes", "--extension-until", "2100-03-31").code == 0
    text = (root / "councils/hackney/contracts.yml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/contract.schema.json"
    assert yaml.safe_load(text)["contracts"][0]["extension-until"] == dt.date(2100, 3, 31)
    assert problems(cli, root) == (0, [])


@pytest.mark.parametrize(("change", "code", "said"), [
    (("--supplier", "Civca"), 1, "did you mean 'Civica'?"),
    (("--product", "Spydos"), 1, "did you mean 'Spydus'?"),
    (("--system", "lending"), 2, "invalid choice"),
    (("--end", "31/03/2099"), 2, "--end date as YYYY-MM-DD"),
    (("--council", "XXX"), 1, "not a council in the register"),
])
def test_new_contract_refuses_what_it_cannot_write(tmp_path: Path, cli: Callable[..., Result], change: tuple[str, str],
                                                   code: int, said: str) -> None:
    root = make_repository(tmp_path / "repo")
    args = list(NEW)
    args[args.index(change[0]) + 1] = change[1]
    result = cli("--root", str(root), *args)
    assert result.code == code and said in result.err
    assert "Traceback" not in result.err
    assert not (root / "councils/hackney/contracts.yml").exists()


def test_a_councils_contracts_belong_to_that_council(tmp_path: Path, cli: Callable[..., Result]) -> None:
    pr = PullRequest(tmp_path / "repo")
    pr.write("councils/hackney/contracts.yml", HEAD + contract())
    pr.commit("Hackney's contracts", "someone-else")
    outsider = check(cli, pr, "someone-else")
    assert outsider.code == 3
    assert "needs approval from @hackney-digital (maintainers of Hackney)" in outsider.out
    assert "changes the tooling" not in outsider.out
    assert check(cli, pr, "hackney-digital").code == 0
