"""check-pr's sentences for a change to a council's contracts.yml (issue 17), on real git repositories: a contract
added or removed, its end date, extension, supplier or other fields changed, each named by its kind of system and
supplier as the market page names it, with every contributed value escaped."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import golden_comments
from conftest import make_repository
from markdown_checks import assert_only_safe_markdown, rendered

CONTRACTS_FILE = "councils/hackney/contracts.yml"
HEAD = "# yaml-language-server: $schema=../../schemas/contract.schema.json\ncontracts:\n"
HOUSING = """\
  - id: housing-management-2022
    system: housing-management
    supplier: NEC Software Solutions
    product: Housing
    start: 2022-10-01
    end: 2027-03-31
    open-api: partial
"""
CRM = """\
  - id: crm-2023
    system: crm-and-contact-centre
    supplier: Salesforce
    product: Service Cloud
    start: 2023-04-01
    end: 2029-03-31
    open-api: 'yes'
"""


class Change:
    """A commons on `main` with Hackney's contracts, and a pull request branch `pr` that changes them."""

    def __init__(self, root: Path, contracts: str | None):
        self.root = make_repository(root)
        files = dict(golden_comments.BASE_FILES)
        if contracts is not None:
            files[CONTRACTS_FILE] = contracts
        for rel, text in files.items():
            self.write(rel, text)
        self.git("init", "--quiet", "--initial-branch=main")
        self.git("add", "--all")
        self.git("commit", "--quiet", "-m", "The base branch")
        self.git("checkout", "--quiet", "-b", "pr")

    def git(self, *args: str) -> None:
        env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
               "GIT_AUTHOR_NAME": "hackney-digital", "GIT_AUTHOR_EMAIL": "hackney-digital@example.org",
               "GIT_COMMITTER_NAME": "ci", "GIT_COMMITTER_EMAIL": "ci@example.org"}
        subprocess.run(["git", "-C", str(self.root), *args], check=True, capture_output=True, env=env)

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def check(self, contracts: str | None) -> tuple[list[str], str, int]:
        """The pull request that leaves contracts.yml holding `contracts` (None: deletes it): the lines of "What
        will change on the site", the whole comment and the exit code."""
        if contracts is None:
            self.git("rm", "--quiet", CONTRACTS_FILE)
        else:
            self.write(CONTRACTS_FILE, contracts)
        self.git("add", "--all")
        self.git("commit", "--quiet", "--allow-empty", "-m", "The pull request")
        comment, _, code = golden_comments.check(self.root, "hackney-digital")
        self.git("update-ref", "refs/heads/main", "HEAD")  # merged: the next change starts from it
        section = comment.split("### What will change on the site\n\n", 1)[1].split("\n\n", 1)[0]
        return section.splitlines(), comment, code


def test_a_changed_end_date_reads_as_the_issue_says(tmp_path: Path) -> None:
    change = Change(tmp_path / "repo", HEAD + HOUSING + CRM)
    lines, comment, code = change.check(HEAD + HOUSING.replace("end: 2027-03-31", "end: 2028-03-31") + CRM)
    assert lines == ["- Hackney — housing management contract with *NEC Software Solutions*: ends 31 March 2028 "
                     "(was 31 March 2027)."]
    assert code == 0
    # The pages to look at: the council's page, which lists its contracts, and the market page.
    assert "[councils/hackney/](" in comment and "[market/](" in comment and "procurement windows" in comment


def test_a_contract_added_says_its_supplier_product_and_dates(tmp_path: Path) -> None:
    change = Change(tmp_path / "repo", None)
    lines, _, code = change.check(HEAD + HOUSING.replace("    open-api", "    extension-until: 2028-03-31\n"
                                                         "    open-api"))
    assert lines == ["- Hackney — new housing management contract with *NEC Software Solutions* (*Housing*): "
                     "from 1 October 2022, ends 31 March 2027 (extension until 31 March 2028)."]
    assert code == 0


def test_a_contract_removed_says_when_it_was_to_end(tmp_path: Path) -> None:
    change = Change(tmp_path / "repo", HEAD + HOUSING + CRM)
    lines, _, _ = change.check(HEAD + CRM)
    assert lines == ["- Hackney — removes the housing management contract with *NEC Software Solutions* (ending "
                     "31 March 2027)."]


def test_a_new_supplier_names_both(tmp_path: Path) -> None:
    change = Change(tmp_path / "repo", HEAD + HOUSING)
    lines, _, code = change.check(HEAD + HOUSING.replace("NEC Software Solutions", "Civica")
                                  .replace("product: Housing", "product: CX"))
    assert lines == ["- Hackney — housing management contract, now with *Civica* (was with *NEC Software "
                     "Solutions*): product *CX* (was *Housing*)."]
    assert code == 0


def test_an_extension_added_changed_and_taken_away(tmp_path: Path) -> None:
    extended = HEAD + HOUSING.replace("    open-api", "    extension-until: 2029-03-31\n    open-api")
    change = Change(tmp_path / "repo", HEAD + HOUSING)
    assert change.check(extended)[0] == [
        "- Hackney — housing management contract with *NEC Software Solutions*: extension until 31 March 2029 "
        "(was none)."]
    assert change.check(extended.replace("2029-03-31", "2030-03-31"))[0] == [
        "- Hackney — housing management contract with *NEC Software Solutions*: extension until 31 March 2030 "
        "(was 31 March 2029)."]
    assert change.check(HEAD + HOUSING)[0] == [
        "- Hackney — housing management contract with *NEC Software Solutions*: no extension (was until 31 March "
        "2030)."]


def test_other_fields_are_said_in_words_and_a_reordering_changes_nothing(tmp_path: Path) -> None:
    change = Change(tmp_path / "repo", HEAD + HOUSING + CRM)
    lines, _, _ = change.check(HEAD + CRM.replace("open-api: 'yes'", "open-api: partial\n    annual-value: 290000\n"
                                                  "    data-standards: [BS7666]") + HOUSING)
    assert lines == ["- Hackney — CRM and contact centre contract with *Salesforce*: £290,000 a year (was not "
                     "given); open API: yes → partly; data standards (adds *BS7666*)."]
    assert change.check(HEAD + HOUSING + CRM.replace("open-api: 'yes'", "open-api: partial\n    annual-value: "
                                                     "290000\n    data-standards: [BS7666]"))[0] == [
        "- Hackney's contracts: no change the site shows."]


def test_contracts_that_cannot_be_told_apart_remove_nothing(tmp_path: Path) -> None:
    change = Change(tmp_path / "repo", HEAD + HOUSING + CRM)
    lines, comment, code = change.check(HEAD + HOUSING.replace("  - id: housing-management-2022\n    system",
                                                                    "  - system") + CRM)
    [line] = lines
    assert line.startswith("- Hackney's contracts: could not tell them apart")
    assert "removes" not in comment
    assert code == 1  # the validator says the id is missing


HOSTILE = "@mallory [x](https://evil.example) <img src=x> #12 **b**"  # under SHORT: quoted whole


@pytest.mark.parametrize("field", ["supplier", "product", "system", "end"])
def test_every_contributed_value_stays_plain_text(tmp_path: Path, field: str) -> None:
    change = Change(tmp_path / "repo", HEAD + HOUSING)
    old = {"supplier": "NEC Software Solutions", "product": "Housing", "system": "housing-management",
           "end": "2027-03-31"}[field]
    lines, comment, code = change.check(HEAD + HOUSING.replace(f"{field}: {old}", f"{field}: '{HOSTILE}'"))
    assert code == 1
    assert_only_safe_markdown(comment, mentions=["hackney-digital"])  # the base names its maintainers
    [line] = lines
    text = rendered(line).text()
    assert HOSTILE in text.replace("\u200b", "")  # read as written, every character of it
