"""The built site in a real browser (Debian's Chromium, driven by Playwright): search, filters, keyboard use,
pages without JavaScript, short links and redirects, the printed card, requests, and axe-core.

The site is built once per session from this repository and served on 127.0.0.1 both at `/` and under
`/council-commons/` (as on GitHub Pages). Skipped only when Chromium is missing on a developer's machine;
in CI (when `CI` is set) a missing browser is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, cast
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from commons.content.register import load_register
from site_support import (
    NEEDS_CHROMIUM,
    REGISTER,
    REPO,
    Site,
    SiteServer,
    council_folders,
    entry_page_types,
    front_matter,
    pattern_files,
)

PAGE = 10  # search.js shows the first 10 results, says how many there are in all, and shows 10 more on asking

pytestmark = NEEDS_CHROMIUM

MISSED_BIN = front_matter(REPO / "patterns" / "report-a-missed-bin.md")["title"]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    context.set_default_timeout(15_000)
    p = context.new_page()
    yield p
    context.close()


@pytest.fixture(params=["root", "sub-path"])
def server(request: pytest.FixtureRequest, site: Site) -> SiteServer:
    return site.root if request.param == "root" else site.sub


# ---------------------------------------------------------------------------------------------------------
# Search

STATUS = "#commons-search-status"
FINISHED = r"^(\d+ results?|No results)"


def wait_for_search(page: Page) -> int:
    """Wait until search.js has finished a search; the number of results its status region announces."""
    # The text is taken in the same check that sees it final: a search started by typing may follow.
    text = page.wait_for_function("""re => { const t = document.querySelector('#commons-search-status').textContent;
        return new RegExp(re).test(t) && t; }""", arg=FINISHED).json_value()
    m = re.match(r"(\d+) results?", text)
    return int(m.group(1)) if m else 0


def results(page: Page) -> list[dict[str, str]]:
    """Each result as its kind line, link text and absolute link."""
    found = page.eval_on_selector_all(".commons-search__results > li", """items => items.map(li => ({
        kind: (li.querySelector('.commons-card__kind') || {}).textContent || '',
        title: li.querySelector('a').textContent,
        href: li.querySelector('a').href}))""")
    return cast(list[dict[str, str]], found)


def test_search_finds_the_pattern_and_every_result_is_a_real_page(page: Page, server: SiteServer) -> None:
    page.goto(server.url("search/?q=missed bin"))
    n = wait_for_search(page)
    status = page.locator(STATUS)
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    found = results(page)
    assert n > 0 and len(found) == min(n, PAGE), f"status says {n} results, the list shows {len(found)}"
    assert status.inner_text().startswith(f"{n} result"), status.inner_text()
    assert MISSED_BIN in [r["title"] for r in found], f"{MISSED_BIN!r} not among {[r['title'] for r in found]}"

    for r in found:
        assert r["href"].startswith(server.base), f"result {r['title']!r} links outside the site: {r['href']}"
        response = page.goto(r["href"])
        assert response is not None and response.status == 200, f"{r['href']} -> {response and response.status}"
        assert page.locator("h1").first.inner_text().strip() == r["title"].strip(), r["href"]


def test_show_more_results_adds_the_next_ten_and_moves_focus_to_them(page: Page, site: Site) -> None:
    page.goto(site.sub.url("search/?q=council"))
    n = wait_for_search(page)
    assert n > PAGE, f"the starter site has only {n} results for 'council': choose a commoner word"
    more = page.get_by_role("button", name="Show more results")
    expect(more).to_be_visible()
    first = results(page)
    assert len(first) == PAGE
    assert page.locator(STATUS).inner_text() == f"{n} results for “council”, showing the first {PAGE}."
    more.click()
    page.wait_for_function("n => document.querySelectorAll('.commons-search__results > li').length === n",
                           arg=min(n, 2 * PAGE))
    both = results(page)
    assert both[:PAGE] == first and len({r["href"] for r in both}) == len(both)  # the next ones, none twice
    assert page.evaluate("document.activeElement.href") == both[PAGE]["href"]
    while more.is_visible():
        more.click()
        page.wait_for_timeout(50)
    page.wait_for_function("n => document.querySelectorAll('.commons-search__results > li').length === n", arg=n)
    assert page.locator(STATUS).inner_text() == f"{n} results for “council”."
    assert len({r["href"] for r in results(page)}) == n  # every result once, however fast the clicks
    page.locator("#commons-search-q").fill("")
    page.wait_for_function("() => !document.querySelector('.commons-search__results > li')")
    expect(more).to_be_hidden()


def test_a_search_filter_narrows_the_results(page: Page, site: Site) -> None:
    page.goto(site.sub.url("search/?q=missed bin"))
    before = wait_for_search(page)
    assert any(r["kind"].startswith("Pattern") for r in results(page))

    toggle = page.get_by_role("button", name="Filter results")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".commons-search__filters")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.get_by_label("Type", exact=True).select_option("Case study")
    after = wait_for_search(page)
    expect(toggle).to_have_text("Filter results (1 chosen)")
    found = results(page)
    assert 0 < after < before, f"Type = Case study gave {after} results of {before}"
    assert len(found) == min(after, PAGE)
    assert all(r["kind"].startswith("Case study") for r in found), [r["kind"] for r in found]
    assert "q=missed+bin" in page.url or "q=missed%20bin" in page.url  # the query survives in the address


def offered(page: Page, label: str) -> dict[str, int]:
    """The values a search filter offers, each with the count it shows."""
    texts = page.get_by_label(label, exact=True).evaluate("s => [...s.options].map(o => o.textContent)")
    found = [re.fullmatch(r"(.+) \((\d+)\)", t) for t in texts[1:]]
    assert texts[0] == "All" and all(found), texts
    return {m.group(1): int(m.group(2)) for m in found if m}


def test_filter_counts_are_counts_of_the_querys_results(page: Page, site: Site) -> None:
    page.goto(site.sub.url("search/?q=parking"))
    wait_for_search(page)
    page.get_by_role("button", name="Filter results").click()
    expect(page.get_by_label("Service area", exact=True)).to_be_visible()
    wait_for_search(page)  # the filters load, and the search runs again to count its results by filter
    areas = offered(page, "Service area")
    assert areas and "Adult social care" not in areas, f"searching 'parking' offers {areas}"
    kinds = offered(page, "Type")
    for area, n in areas.items():  # each count is what choosing that value gives, with the query
        page.get_by_label("Service area", exact=True).select_option(area)
        assert wait_for_search(page) == n, f"'{area} ({n})' gave {page.locator(STATUS).inner_text()!r}"
        # Another filter's counts now count within that area; the chosen one still offers its other values.
        within = offered(page, "Type")
        assert sum(within.values()) == n and all(within[k] <= kinds[k] for k in within), (area, within, kinds)
        assert offered(page, "Service area") == areas
    page.get_by_label("Service area", exact=True).select_option("")
    wait_for_search(page)

    page.get_by_label("Words to search for").fill("bins")  # the counts follow the query as it changes
    wait_for_search(page)
    expect(page.locator(STATUS)).to_contain_text("“bins”")
    bins = offered(page, "Service area")
    assert bins and bins != areas and "Environmental and regulatory" in bins, bins
    page.get_by_label("Words to search for").fill("")  # no query: every value of the index, with its total
    expect(page.locator(STATUS)).to_have_text("")
    everything = offered(page, "Service area")
    assert set(areas) | set(bins) <= set(everything), everything
    assert all(everything[a] >= n for a, n in areas.items()), everything


def test_result_excerpts_begin_with_the_pages_own_words(page: Page, site: Site) -> None:
    """Not with its kind and service area ("study · Highways and transport. …"), nor the hidden filter values."""
    page.goto(site.sub.url("search/?q=parking"))
    assert wait_for_search(page) > 0
    shown = page.eval_on_selector_all(".commons-search__results > li", """items => items.map(li => [
        li.querySelector('a').textContent, (li.querySelector('.commons-search__excerpt') || {}).textContent || ''])""")
    assert shown and all(excerpt for _, excerpt in shown), shown
    for title, excerpt in shown:
        assert "·" not in excerpt, f"the excerpt for {title!r} holds the kicker: {excerpt!r}"
    # What Pagefind holds for every entry: its text starts with its title (after a pattern's former names,
    # hidden words that find it), not with its kind or its filter values.
    indexed = page.evaluate("""async base => {
        const pagefind = await import(base + 'pagefind/pagefind.js');
        const kinds = ['Case study', 'Pattern', 'Playbook', 'Session', 'Council'];
        const all = await pagefind.search(null, {filters: {type: {any: kinds}}});
        return Promise.all(all.results.map(async r => { const d = await r.data();
            return [d.url, d.meta.title, d.content, Object.values(d.filters).flat()]; }));
    }""", site.sub.base)
    assert len(indexed) > 400, len(indexed)  # every council too
    for url, title, content, values in indexed:
        assert title in content, f"{url}: its title {title!r} is not in {content[:120]!r}"
        # A label of the facts above an entry is a word apart from its value ("Nation Scotland", not "NationScotland")
        joined = re.search(r"(Nation|Register code|Council|Date|Status|Owned by|Last reviewed|Started)[A-Z0-9]",
                           content)
        assert not joined, f"{url} runs a label into its value: {joined[0]!r} in {content[:200]!r}"
        before = content[:content.index(title)]
        assert len(before) < 80 and not any(v in before for v in values), f"{url} is indexed as {content[:120]!r}"


def test_the_two_search_boxes_have_names_and_labels_of_their_own(page: Page, site: Site) -> None:
    page.goto(site.sub.url("search/"))
    expect(page.locator("#commons-search-filters-toggle")).to_be_visible()
    ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids)), f"ids used twice: {sorted(i for i in ids if ids.count(i) > 1)}"
    boxes = page.get_by_role("searchbox")
    assert boxes.count() == 2, "expected the header's search box and the page's"
    names = [boxes.nth(i).get_attribute("name") for i in range(2)]
    assert names[0] != names[1], f"both search boxes are named {names[0]!r}"
    labels = [boxes.nth(i).evaluate("e => e.labels[0].textContent.trim()") for i in range(2)]
    assert labels[0] != labels[1] and all(labels), labels
    for label in labels:  # and the browser names each box by its own label
        expect(page.get_by_role("searchbox", name=label, exact=True)).to_have_count(1)
    landmarks = page.get_by_role("search")
    assert landmarks.count() == 2
    assert page.get_by_role("search", name="Search and filter", exact=True).count() == 1


@pytest.mark.parametrize("width", [320, 390])
def test_the_search_page_with_its_filters_open_fits_a_phone(browser: Browser, site: Site, width: int) -> None:
    """WCAG 1.4.10 (no sideways scrolling at 320 px) and 1.4.12 (text spacing, at 390 px), filters open and
    the longest service area chosen: the fieldset and its selects used to be as wide as their longest option."""
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=width == 390)
    page = context.new_page()
    page.goto(site.sub.url("search/"))
    page.get_by_role("button", name="Filter results").click()
    area = page.get_by_label("Service area", exact=True)
    expect(area).to_be_visible()
    longest = max(offered(page, "Service area"), key=len)
    area.select_option(longest)
    wait_for_search(page)
    if width == 390:  # the text spacing WCAG 1.4.12 asks a page to survive (a test may add a style; a page may not)
        page.add_style_tag(content="* { line-height: 1.5 !important; letter-spacing: .12em !important;"
                                   " word-spacing: .16em !important; } p { margin-bottom: 2em !important; }")
    wide = page.evaluate("""() => [...document.querySelectorAll('#commons-search *')]
        .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
        .map(e => e.tagName.toLowerCase() + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert not wide, f"at {width} px these reach past the screen: {wide}"
    if width == 320:
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    context.close()


def focused(page: Page) -> dict[str, str]:
    return cast(dict[str, str], page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName.toLowerCase(), id: e.id || '', text: (e.innerText || e.value || '').slice(0, 40),
                label: e.labels && e.labels.length ? e.labels[0].innerText.trim() : '',
                inResults: !!e.closest('.commons-search__results')}; }"""))


def test_search_works_with_the_keyboard_alone(page: Page, site: Site) -> None:
    page.goto(site.sub.url("search/"))
    expect(page.locator("#commons-search-filters-toggle")).to_be_visible()  # Pagefind has started
    path: list[dict[str, str]] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        path.append(focused(page))
        if path[-1]["id"] == "commons-search-q":
            break
    else:
        pytest.fail(f"Tab never reached the search box; focus went {[(f['tag'], f['id']) for f in path]}")

    page.keyboard.type("missed bin")
    page.keyboard.press("Enter")
    n = wait_for_search(page)
    assert n > 0 and MISSED_BIN in [r["title"] for r in results(page)]

    after_box = []
    for _ in range(3):  # the Search button, then "Filter results"
        page.keyboard.press("Tab")
        after_box.append(focused(page))
        if after_box[-1]["id"] == "commons-search-filters-toggle":
            break
    else:
        pytest.fail(f"Tab never reached 'Filter results' after the search box: {after_box}")
    page.keyboard.press("Enter")  # opens the filters; focus stays on the button, and they follow it
    expect(page.locator(".commons-search__filters")).to_be_visible()
    selects = page.eval_on_selector_all(".commons-search__filters select", "els => els.map(e => e.id)")
    assert len(selects) >= 4, f"expected the search filters, found {selects}"
    reached: list[dict[str, str]] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        f = focused(page)
        if f["inResults"]:
            break
        reached.append(f)
    else:
        pytest.fail("Tab never reached the results after the filters")
    reached_selects = [f for f in reached if f["tag"] == "select"]
    assert [f["id"] for f in reached_selects] == selects, f"Tab order after the search box: {reached}"
    for f in reached_selects:
        assert f["label"], f"filter #{f['id']} has no label"
        # The name the browser's accessibility tree gives it is that label.
        combobox = page.get_by_role("combobox", name=f["label"], exact=True)
        assert combobox.count() == 1 and combobox.get_attribute("id") == f["id"], f


# ---------------------------------------------------------------------------------------------------------
# Index pages

def visible_rows(page: Page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.filter(e => !e.hidden && e.offsetParent !== null)"
                                                ".map(e => e.querySelector('a').getAttribute('href'))")
    return cast(list[str], hrefs)


def test_patterns_index_filters_by_service_area(page: Page, site: Site) -> None:
    patterns = pattern_files()
    housing = sorted(p.slug for p in patterns if p.service_area == "housing")
    total = len(patterns)
    assert housing, "the test needs at least one housing pattern"
    page.goto(site.sub.url("patterns/"))
    status = page.locator('[data-commons-count="patterns-list"]')
    expect(status).to_have_text(f"{total} patterns")

    page.locator("#patterns-list-area").select_option("housing")
    expect(status).to_contain_text(f"{len(housing)} of {total} patterns match")
    shown = visible_rows(page, "#patterns-list > li")
    assert sorted(h.rstrip("/").split("/")[-1] for h in shown) == housing

    page.get_by_role("button", name="Clear filters").click()
    expect(status).to_have_text(f"{total} patterns")
    assert len(visible_rows(page, "#patterns-list > li")) == total


def test_councils_index_filters_by_nation_and_membership(page: Page, site: Site) -> None:
    register = load_register(REGISTER)
    current = register.current()
    welsh = {a.slug for a in current if a.nation == "Wales"}
    assert len(welsh) == 22
    folders = set(council_folders())
    page.goto(site.sub.url("councils/"))
    status = page.locator('[data-commons-count="councils-list"]')
    expect(status).to_have_text(f"{len(current)} councils")

    def shown() -> set[str]:
        return {h.rstrip("/").split("/")[-1] for h in visible_rows(page, "#councils-list > tbody > tr")}

    page.locator("#councils-list-nation").select_option("Wales")
    expect(status).to_contain_text(f"{len(welsh)} of {len(current)} councils match")
    assert shown() == welsh

    page.locator("#councils-list-joined").select_option("yes")
    expect(status).to_contain_text(f"{len(welsh & folders)} of {len(current)} councils match")
    assert shown() == welsh & folders

    page.locator("#councils-list-nation").select_option("")
    expect(status).to_contain_text(f"{len(folders)} of {len(current)} councils match")
    assert shown() == folders


def test_index_pages_list_everything_without_javascript(browser: Browser, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.sub.url("patterns/"))
        cards = page.locator("#patterns-list > li")
        assert cards.count() == len(pattern_files())
        assert len(visible_rows(page, "#patterns-list > li")) == len(pattern_files())
        expect(page.locator("form.commons-filter")).to_be_hidden()  # a filter that cannot work is not shown
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------------------
# Links that never break

def test_short_links_and_aliases_redirect_to_the_pattern(page: Page, server: SiteServer) -> None:
    for p in pattern_files():
        for old in [f"p/{p.id}/"] + [f"patterns/{alias}/" for alias in p.aliases]:
            page.goto(server.url(old))
            page.wait_for_url(server.url(f"patterns/{p.slug}/"))
            assert page.locator("h1").first.inner_text() == p.title, old
    assert any(p.aliases for p in pattern_files()), "the test needs a pattern with an alias"


def test_an_abolished_council_redirects_to_its_successor(page: Page, server: SiteServer) -> None:
    register = load_register(REGISTER)
    old = register.by_slug["aylesbury-vale"]
    assert not old.current
    successor = register.by_code[old.replaced_by[0]]
    page.goto(server.url("councils/aylesbury-vale/"))
    page.wait_for_url(server.url(f"councils/{successor.slug}/"))
    assert page.locator("h1").first.inner_text() == successor.name == "Buckinghamshire Council"


# ---------------------------------------------------------------------------------------------------------
# Print

def pdf_pages(pdf: bytes) -> int:
    """Page objects in a PDF: `/Type /Page` not followed by `s` (which would be the page tree)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_a_pattern_prints_as_a_one_page_card_with_its_qr_code(page: Page, site: Site) -> None:
    # The pattern with the most words on its card is the one most likely to spill onto a second page.
    p = max(pattern_files(), key=lambda p: len(p.title) + len(str(front_matter(p.path)["summary"])))
    page.goto(site.sub.url(f"patterns/{p.slug}/"))
    qr = page.locator(".commons-print-card__qr svg")
    expect(qr).to_be_hidden()  # on screen the card is not shown
    page.emulate_media(media="print")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100, box
    assert f"/p/{p.id}/" in (qr.get_attribute("aria-label") or "")
    expect(page.locator(".commons-print-card__title")).to_have_text(p.title)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) == 1, f"the card printed on {pdf_pages(pdf)} pages"


# ---------------------------------------------------------------------------------------------------------
# Nothing is fetched from anywhere else

def test_no_request_leaves_the_site(page: Page, site: Site) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site.sub.url(""))
    page.goto(site.sub.url(f"patterns/{pattern_files()[0].slug}/"))
    page.goto(site.sub.url("search/?q=missed bin"))
    assert wait_for_search(page) > 0
    page.wait_for_load_state("networkidle")
    assert any("/pagefind/" in u for u in requests), "the search page made no Pagefind requests"
    # data: and blob: URLs are made in the page itself; they are not network requests.
    away = [u for u in requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"]
    assert not away, f"requests left the site: {away}"


# ---------------------------------------------------------------------------------------------------------
# axe-core

def _council_without_folder() -> str:
    register = load_register(REGISTER)
    folders = set(council_folders())
    return str(min(a.slug for a in register.current() if a.slug not in folders))


AXE_PAGES = {
    **entry_page_types(),
    "council with a folder": "councils/hackney/",
    "council without a folder": f"councils/{_council_without_folder()}/",
    "dashboard": "dashboard/",
    "work together": "collaborate/",
    "search with results": "search/?q=bins",
    "404": "there-is-no-page-here/",
}


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, n.get("target", []))) for n in v["nodes"][:4]]
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} nodes] e.g. {targets}"
                     f"\n    {v.get('helpUrl', '')}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_finds_no_violations(page: Page, site: Site, name: str) -> None:
    url = site.sub.url(AXE_PAGES[name])
    response = page.goto(url)
    assert response is not None
    assert response.status == (404 if name == "404" else 200), f"{url} -> {response.status}"
    if name == "search with results":
        assert wait_for_search(page) > 0
        page.get_by_role("button", name="Filter results").click()  # the filters are checked open
        expect(page.locator(".commons-search__filters select").first).to_be_visible()
    result = Axe().run(page)
    violations = result.response["violations"]
    assert result.violations_count == 0, f"axe found {len(violations)} violations on {name} ({url}):\n" + \
        describe(violations)
