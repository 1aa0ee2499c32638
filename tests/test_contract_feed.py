"""The feed's new and changed contracts (issue 17), dated from a real git history made in tmp_path: a contract is
new on the day the commit that added it landed and changed on the day of the last commit that changed it, not
whenever another contract in its council's file changed."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from commons.site.contract_history import contract_dates
from commons.site.exports import write_all
from commons.site.feed import TAG, feed_entries
from commons.site.state import build_state
from conftest import make_repository

ATOM = "{http://www.w3.org/2005/Atom}"
PATH = "councils/hackney/contracts.yml"
HEAD = "# yaml-language-server: $schema=../../schemas/contract.schema.json\ncontracts:\n"
HOUSING = """\
  - id: housing-management-2022
    system: housing-management
    supplier: NEC Software Solutions
    product: Housing
    start: 2022-10-01
    end: 2029-09-30
    open-api: partial
"""
CRM = """\
  - id: crm-2023
    system: crm-and-contact-centre
    supplier: Salesforce
    start: 2023-04-01
    end: 2029-03-31
    open-api: 'yes'
    notes: Calls & web chat.
"""


def _commit(root: Path, day: str, text: str | None) -> None:
    if text is None:
        (root / PATH).unlink()
    else:
        (root / PATH).write_text(text, encoding="utf-8")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_AUTHOR_DATE": f"{day}T12:00:00Z",
           "GIT_COMMITTER_DATE": f"{day}T12:00:00Z"}
    for args in (["init", "--quiet", "--initial-branch=main"], ["add", "--all"], ["commit", "--quiet", "-m", day]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def _history(tmp_path: Path) -> Path:
    root = make_repository(tmp_path / "repo")
    _commit(root, "2026-01-05", HEAD + HOUSING)
    _commit(root, "2026-02-10", HEAD + HOUSING + CRM)  # adds the CRM contract; housing unchanged
    _commit(root, "2026-03-02", HEAD + HOUSING.replace("2029-09-30", "2030-09-30") + CRM)  # housing extended
    _commit(root, "2026-03-20", HEAD + CRM + HOUSING.replace("2029-09-30", "2030-09-30"))  # reordered only
    return root


def test_each_contract_is_dated_by_its_own_changes(tmp_path: Path) -> None:
    root = _history(tmp_path)
    dates = contract_dates(root)
    housing, crm = dates[(PATH, "housing-management-2022")], dates[(PATH, "crm-2023")]
    assert (housing.added, housing.changed) == (dt.date(2026, 1, 5), dt.date(2026, 3, 2))
    assert (crm.added, crm.changed) == (dt.date(2026, 2, 10), dt.date(2026, 2, 10))


def test_the_feed_says_new_and_changed_contracts_and_links_to_their_row(tmp_path: Path) -> None:
    root = _history(tmp_path)
    state = build_state(root)
    entries = {e.id: e for e in feed_entries(state)}
    housing = entries[f"{TAG}contracts/HCK/housing-management-2022"]
    crm = entries[f"{TAG}contracts/HCK/crm-2023"]
    assert (housing.title, housing.updated) == ("Contract changed: Hackney, Housing management (NEC Software "
                                                "Solutions)", dt.date(2026, 3, 2))
    assert housing.summary == "Housing from NEC Software Solutions. Ends 30 September 2030."
    assert housing.link == "councils/hackney/#contract-housing-management-2022"
    assert (crm.title, crm.updated) == ("New contract: Hackney, CRM and contact centre (Salesforce)",
                                        dt.date(2026, 2, 10))
    # Without the market views (the bench's comparison), no contract is in it.
    assert not [e for e in feed_entries(state, contracts=False) if e.category == "contract"]
    # Written as Atom: well formed, with both in it.
    site = tmp_path / "site"
    write_all(site, state)
    feed = ET.parse(site / "feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert housing.title in titles and crm.title in titles


def test_a_file_deleted_and_written_again_is_new_again(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo")
    _commit(root, "2026-01-05", HEAD + HOUSING)
    _commit(root, "2026-02-01", None)
    _commit(root, "2026-02-20", HEAD + HOUSING)
    found = contract_dates(root)[(PATH, "housing-management-2022")]
    assert (found.added, found.changed) == (dt.date(2026, 2, 20), dt.date(2026, 2, 20))


def test_outside_git_a_contract_is_dated_by_its_start(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo")
    (root / PATH).write_text(HEAD + HOUSING, encoding="utf-8")
    assert contract_dates(root) == {}
    [entry] = [e for e in feed_entries(build_state(root)) if e.category == "contract"]
    assert entry.updated == dt.date(2022, 10, 1)
