"""`commons from-issue --form record-a-contract` (issue 17): a contract added to, or replaced in, a council's
contracts.yml, validated in a copy first; every other line of the council's file kept; problems said for the
form with nothing written. Bodies are in tests/issue-bodies/record-a-contract/, run in a real git clone of this
repository's content through the real command line."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
import yaml

from commons.content.schema import CONTENT_FOLDERS
from conftest import Cli
from markdown_checks import assert_only_safe_markdown
from test_from_issue import REPO, body, changed, from_issue, git, validates

FORM = "record-a-contract"
HACKNEY = "councils/hackney/contracts.yml"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding this repository's register and content, committed (as test_from_issue's)."""
    root = tmp_path_factory.mktemp("from-issue-contract") / "base"
    (root / "data").mkdir(parents=True)
    shutil.copyfile(REPO / "data" / "uk-local-authorities.csv", root / "data" / "uk-local-authorities.csv")
    for top in CONTENT_FOLDERS:
        shutil.copytree(REPO / top, root / top)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "content")
    return root


@pytest.fixture
def clone(base: Path, tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    git(tmp_path, "clone", "-q", str(base), str(root))
    return root


def _contracts(root: Path, rel: str = HACKNEY) -> dict[str, dict]:
    return {c["id"]: c for c in yaml.safe_load((root / rel).read_text(encoding="utf-8"))["contracts"]}


def _diff(before: str, after: str) -> tuple[list[str], list[str]]:
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    return ([x[1:] for x in lines if x.startswith("-") and not x.startswith("---")],
            [x[1:] for x in lines if x.startswith("+") and not x.startswith("+++")])


def test_a_new_contract_is_appended_and_nothing_else_moves(cli: Cli, clone: Path) -> None:
    before = (clone / HACKNEY).read_text(encoding="utf-8")
    result, summary, title = from_issue(cli, clone, FORM, body(FORM, "complete"))
    assert result.code == 0, result.out + result.err
    assert changed(clone) == [HACKNEY]
    validates(cli, clone, [HACKNEY])
    after = (clone / HACKNEY).read_text(encoding="utf-8")
    removed, added = _diff(before, after)
    assert removed == [] and after.startswith(before.rstrip("\n"))  # comments and the other contracts kept
    new = _contracts(clone)["libraries-2024"]  # the ID made from the system and the start year
    assert (new["supplier"], new["product"], new["annual-value"], new["open-api"]) == ("Axiell", "Quria", 48500,
                                                                                         "yes")
    assert new["data-standards"] == ["BIC", "EDItEUR ONIX"] and "illustrative" not in new
    assert "Hackney — new libraries contract with *Axiell*, ending 31 March 2029, extension until 31 March " \
        "2031 (ID <code>libraries-2024</code>" in summary
    assert title == "New contract for Hackney: libraries (Axiell)\n"


def test_a_contract_named_by_its_id_is_replaced_whole(cli: Cli, clone: Path) -> None:
    before = (clone / HACKNEY).read_text(encoding="utf-8")
    others = {k: v for k, v in _contracts(clone).items() if k != "housing-management-2022"}
    result, summary, title = from_issue(cli, clone, FORM, body(FORM, "update"))
    assert result.code == 0, result.out + result.err
    validates(cli, clone, [HACKNEY])
    contracts = _contracts(clone)
    assert list(contracts) == _ids(before)  # the same contracts, in the same order
    changed_one = contracts["housing-management-2022"]
    assert changed_one["extension-until"].isoformat() == "2031-09-30"
    assert "illustrative" not in changed_one and "notice" not in changed_one  # the answers are the whole contract
    assert {k: v for k, v in contracts.items() if k != "housing-management-2022"} == others
    removed, added = _diff(before, (clone / HACKNEY).read_text(encoding="utf-8"))
    assert all(line.startswith("    ") for line in removed + added)  # only that contract's own lines
    assert "Hackney — changes the housing management contract with *NEC Software Solutions*" in summary
    assert title.startswith("Contract change for Hackney: housing management")


def _ids(text: str) -> list[str]:
    return [c["id"] for c in yaml.safe_load(text)["contracts"]]


def test_an_id_made_for_a_new_contract_that_is_taken_is_a_problem(cli: Cli, clone: Path) -> None:
    result, comment, _ = from_issue(cli, clone, FORM, body(FORM, "taken-id"))
    assert result.code == 1 and changed(clone) == []
    assert "*Contract: ID*" in result.out and "housing-management-2022" in result.out
    assert "to change it, give that ID here" in result.out


def test_problems_are_said_for_the_form_with_nothing_written(cli: Cli, clone: Path) -> None:
    result, comment, title = from_issue(cli, clone, FORM, body(FORM, "problems"))
    assert result.code == 1 and changed(clone) == [] and title == ""
    lines = result.out.splitlines()
    assert any(line.startswith("- *Contract: supplier*: ") and "did you mean 'Axiell'" in line for line in lines), \
        result.out
    assert any(line.startswith("- *Contract: end*: ") and "before start" in line for line in lines), result.out


def test_a_council_without_contracts_gets_its_file(cli: Cli, clone: Path) -> None:
    (clone / HACKNEY).unlink()
    result, _, _ = from_issue(cli, clone, FORM, body(FORM, "complete"))
    assert result.code == 0, result.out
    text = (clone / HACKNEY).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/contract.schema.json\n")
    assert list(_contracts(clone)) == ["libraries-2024"]
    validates(cli, clone, [HACKNEY])


def test_hostile_answers_are_refused_and_escaped(cli: Cli, clone: Path) -> None:
    result, comment, _ = from_issue(cli, clone, FORM, body(FORM, "hostile"))
    assert result.code == 1 and changed(clone) == []
    assert "*Contract: supplier*" in result.out
    assert_only_safe_markdown(comment)
    assert "<img" not in comment and "](https://evil" not in comment
