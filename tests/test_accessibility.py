"""WCAG 2.2 AA criteria that axe-core does not check, measured in real Chromium on every page type of the starter
site at 1280, 390 and 320 CSS px, and on the index pages of a 5,000-entry site. How each is measured is in
tests/wcag_support.py.

What is measured, and against which criterion:

- 1.4.10 Reflow: no sideways scroll at 320 and 390 px (`scrollWidth` of the document ≤ the viewport width); a table
  wider than the screen scrolls in its own region, labelled (its caption or the heading before it) and a Tab stop
  only while it actually scrolls (also after the window is resized).
- 1.4.12 Text spacing: with line height 1.5, paragraph spacing 2em, letter spacing 0.12em and word spacing 0.16em
  set, at 390 px, no sideways scroll and nothing that hides its overflow cuts its own text off.
- 2.1.1 / 2.4.7 / 2.4.11 / 1.4.11: every Tab stop of the whole page (the walk goes on until focus leaves the page)
  is on screen and not hidden when focused, and shows a focus indicator (outline, box-shadow or background that
  appears on focus) of at least 3:1 against the colour next to it. Colours are read by painting them on a
  canvas, so any CSS colour syntax is compared as sRGB bytes.
- 2.4.1 Bypass blocks: the first Tab stop is a link to the main content; following it focuses the main content,
  whose top is then below the sticky header.
- 2.4.2 Page titled: no "X - X", the 404 is "Page not found - …", no two pages of the whole built site share a
  title (redirects included).
- 2.5.8 Target size (minimum): links and buttons at least 24×24 px, or spaced so that a 24 px circle on each
  touches no other target; inline links in running text (a paragraph, list item or cell with text besides its
  links, even only commas) are the criterion's inline exception; a list item holding only a link is not.
- 1.4.1 Use of colour: each status segment of a chart has a pattern fill (the same one as its legend key) or a
  text label naming its status next to it.
- axe-core stays at zero violations at phone widths too (tests/test_site_browser.py runs it at the default width).
- The 5,000-entry site's index pages: no sideways scroll at 320 px; at 1280 and 390 px the skip link, the first
  BIG_TAB_STOPS Tab stops, the table regions and axe (at 390 px); no two of the site's own pages share a title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from site_support import NEEDS_CHROMIUM, Site, SiteServer, entry_page_types
from wcag_support import (
    NARROW,
    PHONE,
    SITE_NAME,
    TAB_STOPS,
    TEXT_SPACING,
    WIDE,
    axe_violations,
    clipped_content,
    colour_only_statuses,
    contrast,
    open_menu,
    open_page,
    sideways_overflow,
    skip_link_problem,
    small_targets,
    tab_stop_problems,
    table_region_problems,
    title_problems,
    walk_tab_stops,
)

pytestmark = NEEDS_CHROMIUM

PAGES = {
    **entry_page_types(),
    "council with commitments": "councils/hackney/",
    "dashboard": "dashboard/",
    "market": "market/",  # charts, and tables of procurement windows wider than a phone
    "work together": "collaborate/",  # opportunities, a filter form and a disclosure
    "search with filters open": "search/?q=bins",
    "field reference": "contribute/fields/",  # generated Markdown tables, wider than a phone
    "contribute": "contribute/",  # a maintainers' page with the commitments_table macro
    "404": "there-is-no-page-here/",
}
# The index pages of the 5,000-entry site (tests/conftest.py: big_site), and how far into each the Tab walk goes:
# past the header, the navigation, the filters and the first cards (the whole of one is thousands of stops).
BIG_PAGES = {
    "home": "",
    "patterns index": "patterns/",
    "case studies index": "case-studies/",
    "councils index": "councils/",
    "dashboard": "dashboard/",
    "search": "search/?q=bins",
}
BIG_TAB_STOPS = 40
# axe reads every node: over 10 s on a page of 5,000 cards, so it reads the first 100 of a list of repeated items
# and the page around them. The case studies index is the patterns index's template with other cards, and the
# dashboard's charts are the starter site's with bigger numbers: both are left to the starter site's axe tests.
BIG_AXE = ("home", "patterns index", "councils index", "search")
BIG_AXE_CONTEXT = {"exclude": [[".commons-cards > li:nth-child(n+101)"], ["#councils-list tbody tr:nth-child(n+101)"],
                               [".commons-search__results > li:nth-child(n+101)"]]}
ENTRY_FOLDERS = ("patterns/", "case-studies/", "playbooks/", "sessions/")


@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[Page]:
    """One browser page for the module, sized per test."""
    context = browser.new_context()
    context.set_default_timeout(15_000)
    p = context.new_page()
    yield p
    context.close()


@pytest.fixture(scope="module")
def spaced_tab(browser: Browser) -> Iterator[Page]:
    """A browser page that may take a test's style sheet (the site's policy refuses inline styles)."""
    context = browser.new_context(bypass_csp=True)
    context.set_default_timeout(15_000)
    p = context.new_page()
    yield p
    context.close()


def test_contrast_is_wcags_formula() -> None:
    white, black = (255.0, 255.0, 255.0, 1.0), (0.0, 0.0, 0.0, 1.0)
    assert contrast(white, black) == pytest.approx(21)
    assert contrast((255, 191, 71, 1), white) == pytest.approx(1.64, abs=0.01)  # the issue's #ffbf47 on white
    assert contrast((138, 59, 0, 1), (23, 23, 23, 1)) == pytest.approx(2.32, abs=0.01)  # #8a3b00 on #171717
    assert contrast((11, 12, 12, 1), (255, 221, 0, 1)) == pytest.approx(14.55, abs=0.01)  # GOV.UK: black on yellow
    assert contrast((0, 0, 0, 0.0), white) == pytest.approx(1)


# ---------------------------------------------------------------------------------------------------------
# 1.4.10 Reflow, 1.4.12 Text spacing, tables in their own regions

@pytest.mark.parametrize("width", [NARROW, PHONE])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_sideways_scroll(tab: Page, site: Site, name: str, width: int) -> None:
    open_page(tab, site.sub, PAGES[name], width, name)
    problem = sideways_overflow(tab)
    assert not problem, f"{name} at {width} px scrolls sideways: {problem}"


@pytest.mark.parametrize("name", list(PAGES))
def test_text_spacing_loses_nothing_on_a_phone(spaced_tab: Page, site: Site, name: str) -> None:
    open_page(spaced_tab, site.sub, PAGES[name], PHONE, name)
    spaced_tab.add_style_tag(content=TEXT_SPACING)
    spaced_tab.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    problems = [p for p in [sideways_overflow(spaced_tab)] if p] + clipped_content(spaced_tab)
    assert not problems, f"{name} at {PHONE} px with WCAG 1.4.12's text spacing:\n  " + "\n  ".join(problems[:20])


@pytest.mark.parametrize("name", list(PAGES))
def test_tables_scroll_in_labelled_regions_that_are_tab_stops_only_when_they_scroll(
        tab: Page, site: Site, name: str) -> None:
    open_page(tab, site.sub, PAGES[name], WIDE, name)
    problems = [f"at {WIDE} px: {p}" for p in table_region_problems(tab)]
    tab.set_viewport_size({"width": PHONE, "height": 844})  # resized, not reloaded: the regions are measured again
    tab.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    problems += [f"resized to {PHONE} px: {p}" for p in table_region_problems(tab)]
    assert not problems, f"{name}:\n  " + "\n  ".join(problems[:20])


def test_the_field_reference_tables_scroll_on_a_phone_and_fit_a_wide_screen(tab: Page, site: Site) -> None:
    """The case the region rules are for: Markdown tables wider than a phone, named after their headings."""
    def regions(width: int) -> list[tuple[str, str | None]]:
        open_page(tab, site.sub, PAGES["field reference"], width)
        return [(r.get_attribute("aria-label") or "", r.get_attribute("tabindex"))
                for r in tab.locator("[role=region]:has(table)").all()]
    phone, wide = regions(PHONE), regions(WIDE)
    headings = tab.locator("article h2").all_inner_texts()
    assert [label for label, _ in phone] == [f"{h.strip()}, table" for h in headings][:len(phone)] and phone
    assert {t for _, t in phone} == {"0"}, f"at {PHONE} px every table scrolls and is a Tab stop: {phone}"
    assert {t for _, t in wide} == {None}, f"at {WIDE} px no table scrolls, so none is a Tab stop: {wide}"


@pytest.mark.parametrize("path", ["market/", "councils/hackney/"])
def test_the_contract_tables_are_labelled_rows_on_a_phone(tab: Page, site: Site, path: str) -> None:
    """The procurement windows and a council's contracts: on a phone each row is a block whose cells say their
    column, so nothing scrolls sideways; on a wide screen they are tables again, with no labels repeated."""
    script = """() => [...document.querySelectorAll('table.commons-table--stacked')].map(t => ({
      scrolls: t.parentElement.scrollWidth > t.parentElement.clientWidth + 1,
      display: getComputedStyle(t).display,
      labels: [...t.querySelectorAll('td[data-label]')].filter(td => td.textContent.trim())
        .map(td => getComputedStyle(td, '::before').content)}))"""
    open_page(tab, site.sub, path, PHONE)
    phone = tab.evaluate(script)
    assert phone, f"{path} has no contract table"
    for table in phone:
        assert table["display"] == "block" and not table["scrolls"], f"{path} at {PHONE} px: {table}"
        assert table["labels"] and all(c.strip('"').endswith(": ") for c in table["labels"]), table["labels"][:5]
    open_page(tab, site.sub, path, WIDE)
    for table in tab.evaluate(script):
        assert table["display"] == "table" and set(table["labels"]) <= {"none", "normal"}, f"{path} at {WIDE} px"


def test_every_cell_of_the_councils_table_says_something(tab: Page, site: Site) -> None:
    open_page(tab, site.sub, "councils/", WIDE)
    empty = tab.evaluate("""() => [...document.querySelectorAll('#councils-list tbody tr')]
      .filter(tr => [...tr.cells].some(c => !c.textContent.trim())).map(tr => tr.cells[0].textContent.trim())""")
    assert not empty, f"{len(empty)} councils have empty cells, e.g. {empty[:5]}"


@pytest.mark.parametrize("width", [NARROW, PHONE])
def test_the_site_name_is_shown_whole_on_a_phone(tab: Page, site: Site, width: int) -> None:
    """Material cuts the header's site name to "C…" on a phone; it must show whole (wrapping), before and after the
    page scrolls past its heading (where Material swaps in the page's title)."""
    open_page(tab, site.sub, PAGES["pattern"], width)
    shown = """() => { const e = document.querySelector('.md-header__topic:first-child .md-ellipsis');
      const r = e.getBoundingClientRect();
      const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
      const opaque = parseFloat(getComputedStyle(e.parentElement).opacity) > 0;
      return {text: e.textContent.trim(), cut: e.scrollWidth > e.clientWidth + 1, width: Math.round(r.width),
              seen: !!hit && (hit === e || e.contains(hit)) && opaque}; }"""
    for when in ("at the top", "scrolled"):
        if when == "scrolled":
            tab.mouse.wheel(0, 1500)
            tab.wait_for_timeout(600)  # Material's swap of the two titles takes 400 ms
        name = tab.evaluate(shown)
        assert name["text"] == SITE_NAME and not name["cut"] and name["seen"], f"at {width} px, {when}: {name}"


# ---------------------------------------------------------------------------------------------------------
# Every Tab stop visible, with a focus indicator of at least 3:1; a skip link first

@pytest.mark.parametrize("width", [WIDE, PHONE])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_tab_stop_is_visible_with_a_focus_indicator(tab: Page, site: Site, name: str, width: int) -> None:
    open_page(tab, site.sub, PAGES[name], width, name)
    stops, ended = walk_tab_stops(tab)
    assert ended, f"{name} at {width} px: focus was still on the page after {TAB_STOPS} Tab stops"
    assert len(stops) >= 3, f"{name} at {width} px: only {len(stops)} Tab stops"
    problems = tab_stop_problems(stops)
    assert not problems, f"{name} at {width} px, {len(problems)} of {len(stops)} Tab stops:\n  " + \
        "\n  ".join(problems)


def test_the_menu_opens_from_the_keyboard_on_a_phone(tab: Page, site: Site) -> None:
    """2.1.1: at 390 px the navigation sits behind a Menu control, which must be a Tab stop that opens it."""
    open_page(tab, site.sub, "", PHONE)
    stops, _ = walk_tab_stops(tab, 12)
    menu = [s for s in stops if re.search(r"menu|navigation", s["what"], re.I)]
    assert menu, "no Menu control among the first 12 Tab stops at 390 px: " + "; ".join(s["what"] for s in stops)


@pytest.mark.parametrize("width", [WIDE, PHONE])
@pytest.mark.parametrize("name", list(PAGES))
def test_skip_link_moves_focus_to_the_main_content(tab: Page, site: Site, name: str, width: int) -> None:
    open_page(tab, site.sub, PAGES[name], width, name)
    problem = skip_link_problem(tab)
    assert not problem, f"{name} at {width} px: {problem}"


# ---------------------------------------------------------------------------------------------------------
# 2.4.2 Page titled

def test_titles_are_unique_and_descriptive(tab: Page, site: Site) -> None:
    titles = {}
    for name, path in PAGES.items():
        open_page(tab, site.sub, path, WIDE, name)
        titles[name] = tab.title()
    problems = title_problems(titles)
    assert not problems, "\n".join(problems)


def built_titles(site_dir: Path) -> dict[str, str]:
    """Every page of a built site (its address) → its <title>, as the browser shows it (entities decoded)."""
    import html

    found = {}
    for path in sorted(site_dir.rglob("*.html")):
        head = path.read_bytes()[:20_000].decode("utf-8", "replace")
        m = re.search(r"<title>(.*?)</title>", head, re.S)
        url = path.relative_to(site_dir).as_posix().removesuffix("index.html")
        found["home" if url == "" else "404" if url == "404.html" else url] = \
            " ".join(html.unescape(m.group(1)).split()) if m else ""
    return found


def test_no_two_pages_of_the_site_share_a_title(site: Site) -> None:
    titles = built_titles(site.dir)
    moved = [t for t in titles.values() if t.startswith(("Moved: ", "Short link: "))]
    assert len(moved) >= 10, f"the starter site has redirects to tell apart; found {len(moved)}"
    problems = title_problems(titles)
    assert not problems, f"{len(problems)} problems in {len(titles)} pages:\n" + "\n".join(problems[:30])


# ---------------------------------------------------------------------------------------------------------
# 2.5.8 Target size (minimum)

@pytest.mark.parametrize("width", [WIDE, PHONE])
@pytest.mark.parametrize("name", list(PAGES))
def test_targets_are_at_least_24_px(tab: Page, site: Site, name: str, width: int) -> None:
    open_page(tab, site.sub, PAGES[name], width, name)
    problems = small_targets(tab)
    assert not problems, f"{name} at {width} px, {len(problems)} small targets:\n  " + "\n  ".join(problems[:20])


def test_targets_in_the_open_menu_are_at_least_24_px(tab: Page, site: Site) -> None:
    open_page(tab, site.sub, "", PHONE)
    open_menu(tab)
    problems = small_targets(tab)
    assert not problems, f"the open menu at {PHONE} px, {len(problems)} small targets:\n  " + \
        "\n  ".join(problems[:20])


# ---------------------------------------------------------------------------------------------------------
# 1.4.1 Use of colour: chart statuses

@pytest.mark.parametrize("name", ["dashboard", "council with commitments"])
def test_chart_statuses_are_not_told_by_colour_alone(tab: Page, site: Site, name: str) -> None:
    open_page(tab, site.sub, PAGES[name], WIDE, name)
    assert tab.locator("figure svg").count() > 0, f"{name} has no charts"
    problems = colour_only_statuses(tab)
    assert not problems, f"{name}: {len(problems)} status segments by colour alone:\n  " + "\n  ".join(problems[:20])


# ---------------------------------------------------------------------------------------------------------
# axe-core at phone widths

@pytest.mark.parametrize("width", [PHONE, NARROW])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations_on_a_phone(tab: Page, site: Site, name: str, width: int) -> None:
    open_page(tab, site.sub, PAGES[name], width, name)
    found = axe_violations(tab)
    assert not found, f"axe on {name} at {width} px:\n{found}"


# ---------------------------------------------------------------------------------------------------------
# The index pages of a 5,000-entry site

@pytest.mark.parametrize("width", [NARROW, PHONE, WIDE])
@pytest.mark.parametrize("name", list(BIG_PAGES))
def test_the_index_pages_of_a_5000_entry_site(tab: Page, big_site: SiteServer, name: str, width: int) -> None:
    """At 320 px no sideways scroll; at 390 and 1280 px the skip link, the first Tab stops and the table regions;
    axe at 390 px (BIG_AXE)."""
    open_page(tab, big_site, BIG_PAGES[name], width, name)
    if width == NARROW:
        problem = sideways_overflow(tab)
        assert not problem, f"{name} of the 5,000-entry site at {width} px scrolls sideways: {problem}"
        return
    problems = [p for p in [skip_link_problem(tab)] if p] + table_region_problems(tab)
    stops, _ = walk_tab_stops(tab, BIG_TAB_STOPS)
    assert len(stops) >= 3, f"{name} at {width} px: only {len(stops)} Tab stops"
    problems += tab_stop_problems(stops)
    if width == PHONE and name in BIG_AXE:
        problems += [found for found in [axe_violations(tab, BIG_AXE_CONTEXT)] if found]
    assert not problems, f"{name} of the 5,000-entry site at {width} px:\n  " + "\n  ".join(problems[:20])


def test_the_5000_entry_sites_pages_have_titles_of_their_own(big_site: SiteServer) -> None:
    """Every page's title is descriptive; the site's own pages (indexes, councils, redirects, the rest) never share
    one. Entries may: their titles are their contributors' (the generated commons has case studies of one council
    that are called the same), and their addresses tell them apart."""
    titles = built_titles(big_site.site_dir)
    assert len(titles) > 5000
    entries = {url for url, title in titles.items() if url.startswith(ENTRY_FOLDERS) and url not in ENTRY_FOLDERS
               and not title.startswith(("Moved: ", "Short link: "))}
    problems = title_problems({url: title for url, title in titles.items() if url not in entries})
    problems += [p for p in title_problems({url: titles[url] for url in entries}) if " share the title " not in p]
    assert not problems, f"{len(problems)} problems in {len(titles)} pages:\n" + "\n".join(problems[:30])
