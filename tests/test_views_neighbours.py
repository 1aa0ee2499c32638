"""Who else is doing this (issue 16) on the council and pattern pages, read from real builds of a small commons made
here: four councils with paraphrased commitments about missed bins ("Report a missed bin", "Tell us your bin wasn't
emptied", one of them hostile), one about blue badges that must not be matched with them, a council that has adopted
the missed-bin pattern, a near-duplicate pattern and a case study that describes the same work without naming it.
Built with the real `commons build`; then `commons serve`'s session, where editing one council's commitment changes
what another council's page says, exactly as a full build of the edited files would."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from commons.content.model import Adoption, Catalog
from commons.site import workers
from commons.site.serve import Incremental
from commons.site.views.neighbour_lists import USING, commitment_neighbours
from conftest import REGISTER, REPO
from site_support import build_into
from test_sources_page import commons

HOSTILE = 'Let residents report a missed bin collection <b id="pwned">without signing in</b> & {{ 7 * 7 }}'

PATTERN = """\
---
# yaml-language-server: $schema=../schemas/pattern.schema.json
id: {id}
title: {title}
summary: {summary}
service-area: {area}
status: live
councils: [{owner}]
related: []
last-reviewed: 2026-06-01
---

## Problem

{problem}

## Solution

A short form that starts from the resident's address.

## Evidence

Fewer calls to the contact centre.

## Considerations

### Accessibility

Works with a keyboard and a screen reader.

### Data protection

Stores only what the service needs.
"""

CASE_STUDY = """\
---
# yaml-language-server: $schema=../schemas/case-study.schema.json
title: {title}
council: {council}
date: 2026-02-02
summary: {summary}
patterns: [{patterns}]
service-area: {area}
outcomes:
  - measure: Calls to the contact centre
    before: 100
    after: 60
    unit: calls a week
    period: 2025-26 against 2024-25
    illustrative: true
contact:
  role: Digital lead
  email: digital@{council_slug}.example
---

## What we did

{summary}

## What happened

The figures are illustrative.

## What we learned

- Start from the address.
"""

PATTERNS = {
    "report-a-missed-bin": dict(id=1, title="Report a missed bin without an account", owner="HCK",
                                area="environmental-and-regulatory",
                                summary="Residents report a missed collection in a minute with only their address.",
                                problem="Residents cannot tell whether their bin was missed or is still to come."),
    "missed-collection-form": dict(id=2, title="Tell the council your bin was not collected", owner="ISL",
                                   area="environmental-and-regulatory",
                                   summary="Residents say their bin wasn't emptied, with only their address.",
                                   problem="People phone to say their bin was missed and wait on hold."),
    "apply-for-a-blue-badge": dict(id=3, title="Apply for or renew a blue badge", owner="KEN", area="adult-social-care",
                                   summary="Disabled people apply for a parking permit online with help along the way.",
                                   problem="The paper form for a disabled parking badge is long and often returned."),
}
CASE_STUDIES = {
    # Describes the missed-bin work without naming the pattern: "Possibly related case studies".
    "bristol-missed-bins": dict(title="Bristol lets residents report a missed bin without signing in", council="BST",
                                council_slug="bristol", patterns="", area="environmental-and-regulatory",
                                summary="Residents tell us their bin wasn't emptied in a minute, with only their "
                                        "address."),
    # Names it: already under "Case studies that used it", so not listed as possibly related.
    "leeds-missed-bins": dict(title="Leeds lets residents report a missed bin without an account", council="LDS",
                              council_slug="leeds", patterns="report-a-missed-bin", area="environmental-and-regulatory",
                              summary="Residents report a missed bin collection with only their address."),
    "kent-blue-badges": dict(title="Kent moved blue badge applications online", council="KEN", council_slug="kent",
                             patterns="apply-for-a-blue-badge", area="adult-social-care",
                             summary="Disabled people apply for a blue badge online with help along the way."),
}
# council folder -> (code, adopted patterns (slug, since), commitments (id, title, status, patterns, partners))
COUNCILS: dict[str, tuple[str, list[tuple[str, str]], list[tuple[str, str, str, str, str]]]] = {
    "hackney": ("HCK", [], [("missed-bins", "Report a missed bin", "in-progress", "report-a-missed-bin", ""),
                            ("open-spending", "Publish our spending over 500 pounds as open data", "done", "", "")]),
    "islington": ("ISL", [], [("bins-not-emptied", "Tell us your bin wasn't emptied", "planned", "", "")]),
    "manchester": ("MAN", [], [("missed-bins-without-signing-in", HOSTILE, "in-progress", "report-a-missed-bin",
                                "")]),
    "kent": ("KEN", [("apply-for-a-blue-badge", "2022-01-10")],
             [("blue-badges-online", "Apply for a blue badge online", "in-progress", "apply-for-a-blue-badge", "")]),
    "leeds": ("LDS", [("report-a-missed-bin", "2022-04-04")],
              [("school-admissions", "Coordinate in-year school admissions", "in-progress", "", "")]),
    "bristol": ("BST", [], []),
}


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _council_files(folder: str) -> dict[str, str]:
    code, adopted, commitments = COUNCILS[folder]
    council = (f"# yaml-language-server: $schema=../../schemas/council.schema.json\ncode: {code}\n"
               f"maintainers:\n  - {folder}-digital\nwebsite: https://www.{folder}.gov.uk\n")
    if adopted:
        council += "adopted:\n" + "".join(f"  - pattern: {slug}\n    since: {since}\n" for slug, since in adopted)
    files = {f"councils/{folder}/council.yml": council}
    if commitments:
        text = "# yaml-language-server: $schema=../../schemas/commitment.schema.json\ncommitments:\n"
        for cid, title, status, patterns, partners in commitments:
            text += (f"  - id: {cid}\n    title: {_yaml(title)}\n    principles: [1]\n    start: 2026-01-05\n"
                     f"    patterns: [{patterns}]\n    partners: [{partners}]\n    history:\n"
                     f"      - date: 2026-01-05\n        status: {status}\n"
                     f"        note: {_yaml('We set out to ' + title)}\n")
        files[f"councils/{folder}/declaration.yml"] = text
    return files


def make_commons(root: Path) -> Path:
    """The small commons of this module, with what a build needs beside its content."""
    for name in ("docs", "schemas", "scripts"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "data").mkdir()
    shutil.copyfile(REGISTER, root / "data" / REGISTER.name)
    for folder in ("playbooks", "sessions"):
        (root / folder).mkdir()
    files: dict[str, str] = {f"patterns/{slug}.md": PATTERN.format(**p) for slug, p in PATTERNS.items()}
    files |= {f"case-studies/{slug}.md": CASE_STUDY.format(**cs) for slug, cs in CASE_STUDIES.items()}
    for folder in COUNCILS:
        files |= _council_files(folder)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_commons(tmp_path_factory.mktemp("neighbours") / "repo")
    code, out = commons("--root", str(root), "build")
    assert code == 0, out
    return root / "site"


def page(site: Path, path: str) -> HTMLParser:
    return HTMLParser((site / path / "index.html").read_text(encoding="utf-8"))


def one(tree: HTMLParser, selector: str) -> Any:
    node = tree.css_first(selector)
    assert node is not None, f"nothing on the page matches {selector}"
    return node


def words(node: Any) -> str:
    return " ".join(node.text().split())


def commitment_block(tree: HTMLParser, commitment_id: str) -> dict[str, list[str]]:
    """The "Also working on this" and "Already using" items under one commitment, as the reader sees them."""
    section = tree.css_first(f'section[aria-labelledby="{commitment_id}"]')
    assert section is not None, f"no section for {commitment_id}"
    out: dict[str, list[str]] = {}
    for h in section.css(".commons-neighbours h4"):
        ul = h.next
        while ul is not None and ul.tag != "ul":
            ul = ul.next
        assert ul is not None
        out[words(h)] = [words(li) for li in ul.css("li")]
    return out


def links(tree: HTMLParser, selector: str) -> list[tuple[str, str]]:
    node = tree.css_first(selector)
    return [] if node is None else [(words(a), a.attributes.get("href") or "") for a in node.css("a")]


# --- Council pages ------------------------------------------------------------------------------------------


def test_a_commitment_lists_the_other_councils_doing_the_same_thing_and_not_the_rest(built: Path) -> None:
    hackney = page(built, "councils/hackney")
    block = commitment_block(hackney, "missed-bins")
    also = block["Also working on this"]
    # Islington's and Manchester's paraphrases are found; Kent's blue badges, Leeds's admissions and Hackney's own
    # other commitment are not.
    assert len(also) == 2, also
    assert {a.split(":")[0] for a in also} == {"Islington", "Manchester"}
    assert any(a.startswith("Islington: Tell us your bin wasn't emptied Planned (") for a in also), also
    assert not any(name in " ".join(also) for name in ("Kent", "Leeds", "Hackney", "spending", "blue badge"))
    section = one(hackney, 'section[aria-labelledby="missed-bins"]')
    hrefs = [a.attributes.get("href") for a in section.css(".commons-neighbours a")]
    assert "../islington/#bins-not-emptied" in hrefs and "../manchester/#missed-bins-without-signing-in" in hrefs
    # Leeds has adopted the pattern the commitment names: "Already using", linked to its page.
    assert block["Already using"] == ["Report a missed bin without an account: Leeds (since April 2022)"]
    assert "../leeds/" in hrefs
    # The linked sections exist on the other councils' pages.
    assert page(built, "councils/islington").css_first('[id="bins-not-emptied"]') is not None


def test_the_match_is_mutual_and_a_commitment_with_none_shows_no_block(built: Path) -> None:
    islington = commitment_block(page(built, "councils/islington"), "bins-not-emptied")
    found = [a.split(":")[0] for a in islington["Also working on this"]]
    assert found[0] == "Hackney" and not {"Kent", "Leeds", "Islington"} & set(found), found
    assert "Already using" not in islington  # it names no pattern
    hackney = page(built, "councils/hackney")
    assert commitment_block(hackney, "open-spending") == {}
    assert commitment_block(page(built, "councils/kent"), "blue-badges-online") == {}, "nobody else does blue badges"


def test_contributed_titles_are_printed_as_text(built: Path) -> None:
    html = (built / "councils" / "hackney" / "index.html").read_text(encoding="utf-8")
    tree = HTMLParser(html)
    assert tree.css_first("#pwned") is None and "<b id=" not in html
    also = commitment_block(tree, "missed-bins")["Also working on this"]
    assert any(HOSTILE in a for a in also), also  # shown as written, markup and braces included
    assert "{{ 7 * 7 }}" in words(tree.css_first('section[aria-labelledby="missed-bins"]'))


def test_councils_like_this_one_share_its_type_or_region_and_say_why(built: Path) -> None:
    hackney = page(built, "councils/hackney")
    # Islington is a London borough in London with a similar commitment; Manchester has one too but is neither;
    # Kent and Leeds do nothing like it.
    assert links(hackney, "#like-this-one + p + ul") == [("Islington", "../islington/")]
    assert words(hackney.css_first("#like-this-one + p + ul")) == (
        "Islington: 1 similar commitment; also a London borough in London")
    assert page(built, "councils/kent").css_first("#like-this-one") is None
    # Manchester's only match is a London borough: neither its type nor its region.
    assert page(built, "councils/manchester").css_first("#like-this-one") is None


# --- Pattern pages ------------------------------------------------------------------------------------------


def test_a_pattern_shows_its_likely_duplicate_and_the_case_study_that_does_not_name_it(built: Path) -> None:
    bins = page(built, "patterns/report-a-missed-bin")
    assert [t for t, _ in links(bins, "#similar + p + ul")] == ["Tell the council your bin was not collected"]
    assert words(bins.css_first("#similar + p + ul")).endswith("(very close match)")
    assert "A very close match may be the same pattern" in words(bins.css_first("#similar + p"))
    studies = words(bins.css_first("#possibly-related-case-studies + p + ul"))
    assert studies.startswith("Bristol lets residents report a missed bin without signing in, City of Bristol (")
    assert "Leeds" not in studies and "Kent" not in studies  # Leeds's names the pattern; Kent's is about badges
    assert "Leeds lets residents" in words(bins.css_first("#case-studies + ul"))
    badges = page(built, "patterns/apply-for-a-blue-badge")
    assert badges.css_first("#similar") is None and badges.css_first("#possibly-related-case-studies") is None


def test_the_lists_are_left_out_of_the_search_index(built: Path) -> None:
    hackney = page(built, "councils/hackney")
    for node in hackney.css(".commons-neighbours"):
        assert "data-pagefind-ignore" in node.attributes
    assert "data-pagefind-ignore" in one(hackney, "#like-this-one").parent.attributes
    bins = page(built, "patterns/report-a-missed-bin")
    assert "data-pagefind-ignore" in one(bins, "#similar").parent.attributes


# --- commons serve ------------------------------------------------------------------------------------------


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Incremental:
    monkeypatch.setenv(workers.PROCESSES_VARIABLE, "1")
    site = Incremental(make_commons(tmp_path / "repo"), tmp_path / "site")
    site.full_build()
    return site


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _hackney(site: Incremental) -> str:
    return (site.site_dir / "councils" / "hackney" / "index.html").read_text(encoding="utf-8")


def test_serve_updates_another_councils_page_when_a_commitment_changes(session: Incremental, tmp_path: Path) -> None:
    rel = "councils/islington/declaration.yml"
    before = commitment_block(HTMLParser(_hackney(session)), "missed-bins")["Also working on this"]
    assert any("Tell us your bin wasn't emptied" in a for a in before)

    _edit(session.root / rel, "title: \"Tell us your bin wasn't emptied\"",
          "title: \"Tell us your bin wasn't emptied, and we check the crew's round\"")
    session.rebuild([rel])
    also = commitment_block(HTMLParser(_hackney(session)), "missed-bins")["Also working on this"]
    assert any("Tell us your bin wasn't emptied, and we check the crew's round" in a for a in also), also
    # Byte for byte the page a full build of the edited files makes.
    full = build_into(tmp_path / "full", root=session.root)
    assert _hackney(session) == (full / "councils" / "hackney" / "index.html").read_text(encoding="utf-8")

    # Now about something else entirely: Islington leaves Hackney's list and its "Councils like this one".
    _edit(session.root / rel, "Tell us your bin wasn't emptied, and we check the crew's round",
          "Publish the register of taxi licences")
    session.rebuild([rel])
    html = HTMLParser(_hackney(session))
    assert [a.split(":")[0] for a in commitment_block(html, "missed-bins")["Also working on this"]] == ["Manchester"]
    assert html.css_first("#like-this-one") is None


def test_serve_updates_already_using_when_another_council_adopts_the_pattern(session: Incremental) -> None:
    rel = "councils/kent/council.yml"
    _edit(session.root / rel, "adopted:\n", "adopted:\n  - pattern: report-a-missed-bin\n    since: 2025-03-03\n")
    session.rebuild([rel])
    using = commitment_block(HTMLParser(_hackney(session)), "missed-bins")["Already using"]
    assert using == ["Report a missed bin without an account: Leeds (since April 2022), Kent (since March 2025)"]
    assert re.search(r'href="\.\./kent/"', _hackney(session))



# --- The view, on the starter content -----------------------------------------------------------------------


def test_already_using_names_the_earliest_adopters_and_links_to_the_rest(starter_catalog: Catalog) -> None:
    """A pattern adopted by more councils than the list holds: the earliest USING (not the commitment's own
    council), then "and N more" linking to the pattern's list of every council using it."""
    c = starter_catalog
    cm = next(cm for cm in c.commitments if cm.patterns)
    slug = cm.patterns[0]
    others = [code for code, council in c.councils.items() if code != cm.council][:USING + 2]
    adopted = [Adoption(code, slug, dt.date(2020 + i % 3, 1 + i, 1)) for i, code in enumerate(others)]
    adopted.append(Adoption(cm.council, slug, dt.date(2019, 1, 1)))  # its own: never "already using"
    p = dataclasses.replace(c.patterns[slug], adopters=tuple(adopted))
    c = dataclasses.replace(c, patterns={**c.patterns, slug: p})

    using = commitment_neighbours(c, None, cm).using[0]
    expected = sorted(adopted[:-1], key=lambda a: (a.since, c.councils[a.council].short_name))[:USING]
    assert [(link.text, since) for link, since in using.councils] == [
        (c.councils[a.council].short_name, a.since) for a in expected]
    assert using.more == "and 2 more"
    assert using.more_link is not None and using.more_link.url == f"patterns/{slug}/#adopters"
    assert commitment_neighbours(c, None, cm).also == ()  # no neighbours given: nobody else listed


def test_serve_updates_the_status_another_council_shows(session: Incremental) -> None:
    """A status is not what the neighbours compare, so a new update moves no row: the pages listing the
    commitment are rebuilt all the same."""
    rel = "councils/islington/declaration.yml"
    path = session.root / rel
    path.write_text(path.read_text(encoding="utf-8") + "      - date: 2026-03-02\n        status: in-progress\n"
                    "        note: Building it with the waste service.\n", encoding="utf-8")
    session.rebuild([rel])
    also = commitment_block(HTMLParser(_hackney(session)), "missed-bins")["Also working on this"]
    assert "Islington: Tell us your bin wasn't emptied In progress (very close match)" in also, also
