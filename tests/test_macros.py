"""The macros of the maintainers' pages (commons.site.macros): what they print from the Catalog, that they escape
what contributors wrote, that a maintainer's mistake stops the build, and that they run on no contributed text."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from commons.cli import main
from commons.content.model import Catalog
from commons.content.vocabulary import COMMITMENT_STATUSES
from commons.site.macros import MacroError, Macros, renders_macros
from commons.site.templating import long_date
from conftest import REPO, Site
from site_support import build_into, copy_repository


def macros_at(catalog: Catalog, page_url: str) -> Macros:
    return Macros(catalog, lambda: page_url)


def hrefs(markup: str) -> list[str]:
    return [a.attributes.get("href") or "" for a in LexborHTMLParser(markup).css("a")]


# ---------------------------------------------------------------------------------------------------------
# What each macro prints

def test_counts_are_the_catalogs(starter_catalog: Catalog) -> None:
    m = macros_at(starter_catalog, "")
    assert m.count("patterns") == len(starter_catalog.patterns) > 0
    assert m.count("case-studies") == len(starter_catalog.case_studies) > 0
    assert m.count("playbooks") == len(starter_catalog.playbooks) > 0
    assert m.count("sessions") == len(starter_catalog.sessions) > 0
    assert m.count("commitments") == len(starter_catalog.commitments) > 0
    # councils taking part, not every council in the register
    assert m.count("councils") == len(starter_catalog.contributing_councils) < len(starter_catalog.councils)


@pytest.mark.parametrize("page_url, prefix", [("", ""), ("about/", "../"), ("contribute/fields/", "../../")])
def test_links_are_relative_to_the_page_they_are_on(starter_catalog: Catalog, page_url: str, prefix: str) -> None:
    slug, pattern = next(iter(starter_catalog.patterns.items()))
    link = macros_at(starter_catalog, page_url).entry_link("pattern", slug)
    assert hrefs(link) == [f"{prefix}patterns/{slug}/"]
    assert LexborHTMLParser(link).css_first("a").text() == pattern.title


def test_an_entry_is_found_by_any_of_its_names(starter_catalog: Catalog) -> None:
    m = macros_at(starter_catalog, "")
    council = starter_catalog.contributing_councils[0]
    assert hrefs(m.entry_link("council", council.code)) == hrefs(m.entry_link("council", council.slug)) \
        == [f"councils/{council.slug}/"]
    session_key = next(iter(starter_catalog.sessions))
    assert hrefs(m.entry_link("session", session_key)) == [f"sessions/{session_key}/"]
    if starter_catalog.aliases:  # a former name still reaches the pattern
        former, slug = next(iter(starter_catalog.aliases.items()))
        assert hrefs(m.entry_link("pattern", former)) == [f"patterns/{slug}/"]


def test_contributed_text_is_escaped(starter_catalog: Catalog) -> None:
    slug, pattern = next(iter(starter_catalog.patterns.items()))
    hostile = '<img src=x onerror="alert(1)"> & "quoted"'
    catalog = dataclasses.replace(starter_catalog, patterns={
        **starter_catalog.patterns, slug: dataclasses.replace(pattern, title=hostile)})
    link = macros_at(catalog, "").entry_link("pattern", slug)
    assert "<img" not in link and "&lt;img" in link
    assert LexborHTMLParser(link).css_first("a").text() == hostile


def test_latest_entries_are_newest_first_and_as_many_as_asked(starter_catalog: Catalog) -> None:
    listed = LexborHTMLParser(macros_at(starter_catalog, "").latest_entries("case-studies", 3)).css("li")
    newest = sorted(starter_catalog.case_studies.values(), key=lambda c: (c.date, c.title), reverse=True)[:3]
    assert [li.text() for li in listed] == [c.title for c in newest]
    assert macros_at(starter_catalog, "").latest_entries("case-studies", 0).count("<li>") == 0


def test_a_councils_commitments_table(starter_catalog: Catalog) -> None:
    council = max(starter_catalog.contributing_councils, key=lambda c: len(c.commitments))
    table = LexborHTMLParser(macros_at(starter_catalog, "contribute/").commitments_table(council.slug))
    rows = table.css("tbody tr")
    assert len(rows) == len(council.commitments) > 1
    for row, cm in zip(rows, council.commitments, strict=True):
        cells = [td.text() for td in row.css("td")]
        assert cells[0] == cm.title and cells[1] == COMMITMENT_STATUSES[cm.status]
        assert cells[3].startswith(long_date(cm.last_update.date) + ": ")
        assert hrefs(row.html or "") == [f"../councils/{council.slug}/#{cm.id}"]
    assert table.css_first("caption").text().startswith(council.name)


def test_statuses_read_as_a_sentence(starter_catalog: Catalog) -> None:
    words = [label.lower() for label in COMMITMENT_STATUSES.values()]
    assert macros_at(starter_catalog, "").statuses("commitment") == ", ".join(words[:-1]) + " or " + words[-1]


@pytest.mark.parametrize("call, says", [
    (lambda m: m.count("pages"), "no kind of entry called 'pages'"),
    (lambda m: m.entry_link("pattern", "no-such-pattern"), "there is no pattern 'no-such-pattern'"),
    (lambda m: m.entry_link("patterns", "report-a-missed-bin"), "no kind of entry called 'patterns'"),
    (lambda m: m.commitments_table("nowhere"), "'nowhere' is not a council taking part"),
    (lambda m: m.statuses("playbook"), "not 'playbook'"),
])
def test_a_mistake_says_what_exists(starter_catalog: Catalog, call, says: str) -> None:  # type: ignore[no-untyped-def]
    m = macros_at(starter_catalog, "")
    with pytest.raises(MacroError, match=re.escape(says)) as raised:
        call(m)
    assert raised.value.hint, "a macro's error must say what to write instead"
    assert m.problems == [raised.value], "the build finds the error here even though mkdocs-macros swallows it"


def test_only_pages_that_opt_in_use_macros(tmp_path: Path) -> None:
    opted = tmp_path / "opted.md"
    opted.write_text("---\ntitle: A\nrender_macros: true\n---\n\nText\n", encoding="utf-8")
    not_opted = tmp_path / "not.md"
    not_opted.write_text("---\ntitle: B\n---\n\nrender_macros: true\n", encoding="utf-8")  # in the body, not meta
    assert renders_macros(str(opted)) and not renders_macros(str(not_opted)) and not renders_macros(None)
    using = {p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs").rglob("*.md") if renders_macros(str(p))}
    assert {"index.md", "about.md", "contribute/index.md"} <= using


# ---------------------------------------------------------------------------------------------------------
# On the built site

def _article_text(site: Site, page: str) -> str:
    tree = LexborHTMLParser((site.dir / page).read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", tree.css_first("article").text(separator=" "))


def test_the_maintainers_pages_show_the_catalog(site: Site) -> None:
    """The counts on the built pages are the Catalog of the real repository, counted from its files."""
    patterns = len(list((REPO / "patterns").glob("*.md")))
    case_studies = len(list((REPO / "case-studies").glob("*.md")))
    about = _article_text(site, "about/index.html")
    assert f"holds {patterns} patterns, {case_studies} case studies" in about
    dashboard = _article_text(site, "dashboard/index.html")
    councils = len([d for d in (REPO / "councils").iterdir() if (d / "declaration.yml").is_file()])
    assert f"{councils} councils record their" in dashboard
    contribute = (site.dir / "contribute" / "index.html").read_text(encoding="utf-8")
    assert "Local Digital Declaration commitments</caption>" in contribute and "../councils/hackney/#" in contribute
    for page in ("index.html", "about/index.html", "dashboard/index.html"):
        assert "{{" not in _article_text(site, page), f"{page} shows an unrendered macro"
    assert "Entries are never run as templates: {{ … }} shows as typed" in _article_text(site, "contribute/index.html")


def test_a_maintainers_typo_stops_the_build_and_keeps_the_last_site(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_repository(tmp_path / "repo")
    about = root / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8").replace('count("playbooks")', 'count("playbook")'),
                     encoding="utf-8")
    site_dir = root / "site"
    site_dir.mkdir()
    (site_dir / "index.html").write_text("the last good site", encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "docs/about.md: there is no kind of entry called 'playbook'" in err
    assert "use one of: patterns, case-studies, playbooks" in err
    assert "Traceback" not in err
    assert (site_dir / "index.html").read_text(encoding="utf-8") == "the last good site"


def test_contributed_text_never_runs_the_macros(tmp_path: Path, starter_catalog: Catalog) -> None:
    """An entry's body, and a commitment's note that a macro shows on a maintainers' page, print as typed."""
    root = copy_repository(tmp_path / "repo")
    call = '{{ count("patterns") }}'
    counted = str(len(starter_catalog.patterns))
    entry = next((root / "patterns").glob("*.md"))
    entry.write_text(entry.read_text(encoding="utf-8") + f"\n\nSee {call} here.\n", encoding="utf-8")
    hackney = next(c for c in starter_catalog.contributing_councils if c.slug == "hackney")
    note = hackney.commitments[0].last_update.note  # the latest update: commitments_table shows it
    declaration = root / "councils" / "hackney" / "declaration.yml"
    text = declaration.read_text(encoding="utf-8")
    assert text.count(note) == 1, "the note to change must be written once"
    declaration.write_text(text.replace(note, f"Counted {call} times."), encoding="utf-8")
    site_dir = build_into(tmp_path / "site", root=root)

    page = html.unescape((site_dir / "patterns" / entry.stem / "index.html").read_text(encoding="utf-8"))
    assert f"See {call} here." in page and f"See {counted} here." not in page
    contribute = html.unescape((site_dir / "contribute" / "index.html").read_text(encoding="utf-8"))
    assert f"Counted {call} times." in contribute and f"Counted {counted} times." not in contribute
