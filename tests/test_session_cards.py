"""Sessions' short links and printed cards, the pattern card's printed short link, and the council page's links
to edit its commitments (issue 14, items 8 and 10).

Expected values are read from the content files and mkdocs.yml here, independently of the code under test; the
site is the real repository's, built once per test session and served under its base path (site_support).
There is no QR decoder among the dependencies, so a card's code is checked to be the qr module's code of the
link the test works out itself, and to be the very code the pattern's own card prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect
from selectolax.lexbor import LexborHTMLParser, LexborNode

from commons.cli import main
from commons.site import qr
from site_support import (
    NEEDS_CHROMIUM,
    REPO,
    Site,
    council_folders,
    current_councils,
    front_matter,
    pattern_files,
)

MKDOCS = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_URL = MKDOCS["site_url"].rstrip("/") + "/"
EDIT = f"{MKDOCS['extra']['commons']['repository']}/edit/{MKDOCS['extra']['commons']['branch']}/"
# What a card has to fit in on A4, in CSS pixels: 210 x 297 mm less Material's page margins (@page, 25 mm a side).
A4_PRINT_WIDTH, A4_PRINT_HEIGHT = 605, 934


@dataclass(frozen=True)
class SessionFile:
    path: Path
    id: int
    title: str
    date: str
    patterns: tuple[str, ...]

    @property
    def page(self) -> str:
        return f"sessions/{self.path.parent.name}/{self.path.stem}/"


def session_files() -> list[SessionFile]:
    out = []
    for path in sorted((REPO / "sessions").glob("*/*.md")):
        meta = front_matter(path)
        out.append(SessionFile(path, int(meta["id"]), str(meta["title"]), str(meta["date"]),
                               tuple(meta.get("patterns") or ())))
    assert out, "the repository has no sessions"
    return out


def busiest_session() -> SessionFile:
    """The session whose card has the most to print: most patterns, then the longest title."""
    return max(session_files(), key=lambda s: (len(s.patterns), len(s.title)))


def short_link(pattern_id: int) -> str:
    return f"{SITE_URL}p/{pattern_id}/"


def svg_of(markup: str) -> str | None:
    """An SVG as the HTML parser serialises it, to compare with one read from a page."""
    svg = LexborHTMLParser(markup).css_first("svg")
    return svg.html if svg is not None else None


def text(node: LexborNode | None) -> str:
    assert node is not None
    return node.text()


def html(site: Site, page: str) -> LexborHTMLParser:
    return LexborHTMLParser((site.dir / page / "index.html").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------------------
# Session numbers (no browser)

SESSION = """\
---
# yaml-language-server: $schema=../../schemas/session.schema.json
id: {id}
event: UKGovCamp 2026
date: 2026-01-24
title: {title}
hosts: [Waste digital team, Hackney]
patterns: [report-a-missed-bin]
---

What was discussed.
"""


def test_session_numbers_are_unique_and_a_new_session_takes_the_next_free_one(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = repo / "sessions" / "ukgovcamp-2026"
    folder.mkdir(parents=True)
    (folder / "bin-forms.md").write_text(SESSION.format(id=7, title="Bin forms"), encoding="utf-8")
    (folder / "uprn.md").write_text(SESSION.format(id=7, title="UPRN"), encoding="utf-8")
    # Checked on its own, as a pull request's file is: the other session's number is still known.
    assert main(["--root", str(repo), "validate", str(folder / "uprn.md")]) == 1
    out = capsys.readouterr().out
    assert "sessions/ukgovcamp-2026/uprn.md:3:5: error[E-DUPLICATE-ID] session number 7 is already used by " \
           "sessions/ukgovcamp-2026/bin-forms.md" in out, out
    assert "hint: the next free session number is 8" in out, out

    (folder / "uprn.md").unlink()
    assert main(["--root", str(repo), "new", "session", "UPRN or it did not happen", "--event", "UKGovCamp 2026",
                 "--date", "2026-01-24", "--host", "Data architect, Leeds"]) == 0
    capsys.readouterr()
    assert front_matter(folder / "uprn-or-it-did-not-happen.md")["id"] == 8
    assert main(["--root", str(repo), "validate"]) == 0, capsys.readouterr().out


# ---------------------------------------------------------------------------------------------------------
# What the built pages say (no browser)

def test_a_session_card_lists_its_patterns_each_with_the_qr_code_of_its_short_link(site: Site) -> None:
    for s in session_files():
        card = html(site, s.page).css_first("aside.commons-print-card--session")
        assert card is not None, s.page
        assert text(card.css_first(".commons-print-card__title")) == s.title
        items = card.css(".commons-print-card__patterns > li")
        by_slug = {p.slug: p for p in pattern_files()}
        assert [text(i.css_first(".commons-print-card__pattern")) for i in items] == \
               [by_slug[slug].title for slug in s.patterns], s.page
        for item, slug in zip(items, s.patterns, strict=True):
            link = short_link(by_slug[slug].id)
            svg = item.css_first("svg")
            assert svg is not None and svg.html == svg_of(qr.draw(link, f"QR code for {link}")), (s.page, slug)
            # The same code as the pattern's own card, which people already scan.
            own = html(site, f"patterns/{slug}/").css_first(".commons-print-card__qr svg")
            assert own is not None and own.html == svg.html
            assert text(item.css_first(".commons-print-card__link")) == link.removeprefix("https://")
        assert f"{SITE_URL.removeprefix('https://')}s/{s.id}/" in card.text()


def test_the_session_page_shows_its_short_link(site: Site) -> None:
    s = busiest_session()
    links = [a for a in html(site, s.page).css("dl.commons-facts a") if a.text() == f"{SITE_URL}s/{s.id}/"]
    assert len(links) == 1 and links[0].attributes["href"] == f"../../../s/{s.id}/"


def test_a_council_page_links_update_these_commitments_to_its_declaration(site: Site) -> None:
    with_commitments = [p.parent.name for p in sorted((REPO / "councils").glob("*/declaration.yml"))
                        if (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("commitments")]
    assert with_commitments
    for slug in with_commitments:
        links = {a.text(): a.attributes["href"] for a in html(site, f"councils/{slug}/").css("a")}
        assert links["Update these commitments on GitHub"] == f"{EDIT}councils/{slug}/declaration.yml", slug
        assert links[next(t for t in links if t.endswith("profile on GitHub"))] == f"{EDIT}councils/{slug}/council.yml"
    # A council with no folder in the commons has nothing to edit yet (its page says how to start one).
    without = next(r["gov-uk-slug"] for r in current_councils() if r["gov-uk-slug"] not in council_folders())
    assert "Update these commitments on GitHub" not in html(site, f"councils/{without}/").text()


def test_a_commitments_history_is_newest_first_and_numbered_as_in_the_file(site: Site) -> None:
    """Newest first is what people read; `<ol reversed>` numbers it down to 1, so update 1 is the first in
    declaration.yml and an update keeps its number when later ones are added."""
    checked = 0
    for path in sorted((REPO / "councils").glob("*/declaration.yml")):
        page = html(site, f"councils/{path.parent.name}/")
        for cm in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("commitments") or []:
            section = page.css_first(f'section[aria-labelledby="{cm["id"]}"]')
            assert section is not None, cm["id"]
            history = section.css_first("ol.commons-history")
            assert history is not None and "reversed" in history.attributes and "start" not in history.attributes
            items = history.css("li")
            assert all("value" not in li.attributes for li in items)
            times = [li.css_first("time") for li in items]
            shown = [t.attributes["datetime"] if t is not None else None for t in times]
            assert shown == [str(u["date"]) for u in reversed(cm["history"])], cm["id"]
            checked += len(shown) > 1
    assert checked, "no commitment with two updates to check the order of"


# ---------------------------------------------------------------------------------------------------------
# In Chromium

@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    context.set_default_timeout(15_000)
    p = context.new_page()
    yield p
    context.close()


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@NEEDS_CHROMIUM
def test_every_sessions_short_link_goes_to_its_page_under_the_base_path(page: Page, site: Site) -> None:
    for s in session_files():
        page.goto(site.sub.url(f"s/{s.id}/"))
        page.wait_for_url(site.sub.url(s.page))
        expect(page.locator("h1").first).to_have_text(s.title)


@NEEDS_CHROMIUM
def test_a_session_prints_as_a_one_page_card(page: Page, site: Site) -> None:
    s = busiest_session()
    assert len(s.patterns) >= 3, "the starter content should have a session with several patterns"
    page.goto(site.sub.url(s.page))
    codes = page.locator(".commons-print-card--session .commons-print-card__qr svg")
    expect(codes.first).to_be_hidden()  # on screen the card is not shown, the page is
    page.emulate_media(media="print")
    expect(codes).to_have_count(len(s.patterns))
    for i in range(len(s.patterns)):
        box = codes.nth(i).bounding_box()
        # At least 2 cm (96 px to the inch), what a phone reads from arm's length (a pattern's own card has 6 cm).
        assert box and box["width"] >= 2 / 2.54 * 96 and box["height"] >= 2 / 2.54 * 96, box
    expect(page.locator("h1").first).to_be_hidden()  # only the card prints
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf_pages(pdf) == 1, f"the card printed on {pdf_pages(pdf)} pages"
    # The print styles promise one page for up to five patterns: the same card with its first pattern repeated.
    page.eval_on_selector(".commons-print-card__patterns", """list => {
        while (list.children.length < 5) list.appendChild(list.children[0].cloneNode(true)); }""")
    expect(codes).to_have_count(5)
    assert pdf_pages(page.pdf(format="A4")) == 1, "a card with five patterns printed on more than one page"
    # Six do not fit: the card then breaks between patterns, never through one, onto a second page.
    page.eval_on_selector(".commons-print-card__patterns", "list => list.appendChild(list.children[0].cloneNode(true))")
    assert pdf_pages(page.pdf(format="A4")) == 2


def _one_line(page: Page, selector: str) -> list[str]:
    """What is wrong with each printed link matching `selector`: its text takes more than one line, or runs past
    its card's padding (measured on the text itself: a block's own box is as wide as its card whatever it holds)."""
    return cast(list[str], page.eval_on_selector_all(selector, """links => links.flatMap(link => {
        const text = document.createRange();
        text.selectNodeContents(link);
        const lines = new Set([...text.getClientRects()].map(r => Math.round(r.top)));
        const card = link.closest('.commons-print-card');
        const edge = card.getBoundingClientRect().right - parseFloat(getComputedStyle(card).paddingRight);
        const box = text.getBoundingClientRect(), out = [];
        if (lines.size !== 1) out.push(`${link.textContent} takes ${lines.size} lines`);
        if (box.right > edge + 0.5) out.push(`${link.textContent} runs past its card (${box.right} > ${edge})`);
        return out;
    })"""))


@NEEDS_CHROMIUM
def test_printed_short_links_are_one_unbroken_line_at_the_cards_print_width(page: Page, site: Site) -> None:
    page.set_viewport_size({"width": A4_PRINT_WIDTH, "height": A4_PRINT_HEIGHT})
    page.emulate_media(media="print")
    # The longest printed links: the highest pattern number, and the session with the most patterns.
    longest = max(pattern_files(), key=lambda p: (len(str(p.id)), len(p.title)))
    page.goto(site.sub.url(f"patterns/{longest.slug}/"))
    link = page.locator(".commons-print-card__link")
    expect(link).to_have_text(f"{SITE_URL.removeprefix('https://')}p/{longest.id}/")
    assert _one_line(page, ".commons-print-card__link") == []
    page.goto(site.sub.url(busiest_session().page))
    expect(page.locator(".commons-print-card--session .commons-print-card__link").first).to_be_visible()
    assert _one_line(page, ".commons-print-card__link") == []
