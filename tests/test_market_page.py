"""The /market/ page (issue 17) and the contracts on council pages, read from real builds: the starter site (the
session `site` fixture) and a copy of the repository whose contracts carry hostile notes, built with the real
`commons build`. The windows shown are `commons market --format json`'s for the day the page says; every chart's
table holds the figures the chart draws, and both agree with the open data (`api/v1/contracts.json`); screenshots
at 1280 and 390 px go to /tmp/shots17/."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from commons.analysis.market import add_months
from commons.content.vocabulary import SYSTEM_CATEGORIES
from conftest import REPO, Cli
from site_support import NEEDS_CHROMIUM, SUB_PATH, Site, SiteServer, copy_repository, one, words
from test_sources_page import commons

SHOTS = Path("/tmp/shots17")
# A note the validator lets through (its tags are on the allowlist for bodies) that would still be markup, a link,
# an entity turned back into a tag and a template expression if the page printed it as it is.
HOSTILE_NOTE = ('</td></tr></table><b id="pwned">bold</b> <a href="https://evil.example/">a link</a> '
                "&lt;script&gt;window.pwned=1&lt;/script&gt; {{ 7 * 7 }} @council-commons/all")
# Hackney's revenues and benefits contract is in a window in the starter content.
HACKNEY_NOTE = "    notes: Council tax, business rates and housing benefit, with the online account for residents.\n"


def tree(site_dir: Path, path: str = "market/index.html") -> HTMLParser:
    return HTMLParser((site_dir / path).read_text(encoding="utf-8"))


def shown_day(page: HTMLParser) -> str:
    return one(page, ".commons-market-asof time").attributes["datetime"] or ""


def shown_windows(page: HTMLParser) -> list[dict[str, Any]]:
    """The windows as the page shows them, in the shape of `commons market --format json` (categories by label)."""
    found = []
    for section in page.css("section.commons-window"):
        heading = one(section, "h3")
        start, finish = (t.attributes["datetime"] for t in heading.css("time"))
        councils = [{"code": tr.attributes["data-council"],
                     "supplier": words(one(tr, ".commons-window__supplier")),
                     "end": one(tr, "time").attributes["datetime"]} for tr in section.css("tbody tr")]
        found.append({"category": words(heading).split(":")[0], "from": start, "to": finish, "councils": councils})
    return found


def charts_and_tables(page: HTMLParser) -> list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]]:
    """Each chart's id, the figures its narrow drawing names ("label: n" on each bar), and its table's first two
    columns, read from the HTML."""
    out = []
    for figure in page.css("figure.commons-chart"):
        svg = one(figure, "svg.commons-chart__svg--narrow")
        drawn = [tuple(t.text().rsplit(": ", 1)) for t in svg.css("rect > title")]
        region = figure.next
        while region is not None and region.tag != "div":
            region = region.next
        assert region is not None and "commons-chart-table" in (region.attributes.get("class") or "")
        rows = [(words(one(tr, "th")), words(one(tr, "td"))) for tr in region.css("tbody tr")]
        out.append((one(svg, "title").attributes["id"] or "", drawn, rows))
    return out


def contracts_export(site_dir: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads((site_dir / "api" / "v1" / "contracts.json").read_text("utf-8"))["items"]
    return items


def test_the_windows_shown_are_commons_markets_for_the_same_day(site: Site, cli: Cli) -> None:
    page = tree(site.dir)
    day = shown_day(page)
    result = cli("--root", str(REPO), "market", "--format", "json", "--today", day)
    assert (result.code, result.err) == (0, "")
    expected = [{**w, "category": SYSTEM_CATEGORIES[w["category"]]} for w in json.loads(result.out)]
    assert len(expected) >= 2, "the starter content has procurement windows to show"
    assert shown_windows(page) == expected


def test_each_window_names_the_maintainers_to_ask_and_links_the_playbook(site: Site) -> None:
    page = tree(site.dir)
    for tr in page.css("section.commons-window tbody tr"):
        council = one(tr, "th a").attributes["href"] or ""
        profile = (site.dir / "market" / council / "index.html").resolve()
        assert profile.is_file(), council
        maintainers = [a.text() for a in tree(profile.parent, "index.html").css(".commons-facts a[href^='https://github.com/']")]
        asked = [a.text() for a in tr.css("a[href^='https://github.com/']")]
        assert asked and asked == maintainers, (council, asked, maintainers)
    playbook = [a.attributes["href"] or "" for a in page.css(".commons-market-playbook a")]
    assert playbook and (site.dir / "market" / playbook[0] / "index.html").resolve() == \
        (site.dir / "playbooks" / "buy-a-system-together-with-other-councils" / "index.html").resolve()


def test_every_table_holds_the_figures_its_chart_draws(site: Site) -> None:
    found = charts_and_tables(tree(site.dir))
    assert len(found) >= 5, "the timeline and a chart for each kind of system with running contracts"
    for chart, drawn, rows in found:
        assert drawn, f"{chart} draws nothing"
        # Every bar is in the table with its number; the timeline's table also lists the quarters with none.
        assert set(drawn) <= set(rows), (chart, drawn, rows)
        assert all(n == "0" for row in set(rows) - set(drawn) for n in row[1:]), (chart, rows)


def test_the_figures_agree_with_the_open_data(site: Site) -> None:
    """Counted again from api/v1/contracts.json: councils by supplier in each kind of system (a council's contract
    ending last), the open APIs among them, and the contracts ending in each quarter of the timeline."""
    page = tree(site.dir)
    today = dt.date.fromisoformat(shown_day(page))
    running = [k for k in contracts_export(site.dir) if dt.date.fromisoformat(k["ends"]) >= today]
    for section in page.css("section.commons-market-category"):
        system = one(section, "h3").attributes["id"]
        latest: dict[str, dict[str, Any]] = {}
        for k in sorted((k for k in running if k["system"] == system), key=lambda k: k["ends"]):
            latest[k["council"]] = k
        table = {words(one(tr, "th")): words(one(tr, "td")) for tr in section.css("tbody tr")}
        assert table == {s: str(n) for s, n in Counter(k["supplier"] for k in latest.values()).items()}, system
        open_api = sum(k["open_api"] == "yes" for k in latest.values())
        assert f"{open_api} of {len(latest)} with an open API" in words(section), system
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarters = [add_months(first, 3 * i) for i in range(20)]
    ending = Counter(q for k in running for q in quarters
                     if q <= dt.date.fromisoformat(k["ends"]) < add_months(q, 3))
    timeline = next(rows for chart, _, rows in charts_and_tables(page) if chart.startswith("endings"))
    assert [int(n) for _, n in timeline] == [ending[q] for q in quarters]
    assert sum(ending.values()) > 0


def test_every_figure_made_from_examples_says_it_is_illustrative(site: Site) -> None:
    page = tree(site.dir)
    items = contracts_export(site.dir)
    assert any(k["illustrative"] for k in items), "the starter contracts are illustrative"
    assert "Illustrative." in words(one(page, ".commons-illustrative"))
    for node in [*page.css("section.commons-market-category h3"), *page.css("section.commons-window h3")]:
        assert words(node).endswith("(illustrative)"), words(node)
    for caption in page.css("figure.commons-chart figcaption"):
        assert "illustrative" in words(caption), words(caption)


def test_a_council_page_lists_its_contracts(site: Site) -> None:
    items = [k for k in contracts_export(site.dir) if k["council"] == "HCK"]
    assert items
    section = tree(site.dir, "councils/hackney/index.html")
    heading = one(section, "h2#contracts")
    assert words(heading) == "Contracts for its systems (illustrative)"
    rows = [[words(c) for c in tr.css("th, td")]
            for tr in section.css("div[aria-label=\"Hackney's contracts, table\"] tbody tr")]
    labels = {"yes": "Yes", "partial": "Partly", "no": "No", "unknown": "Not known"}
    assert [r[0].removesuffix(" (illustrative)") for r in rows] == [k["system_label"] for k in items]
    for row, k in zip(rows, items, strict=True):
        assert row[1] == (f"{k['supplier']}: {k['product']}" if k["product"] else k["supplier"])
        assert row[4] == labels[k["open_api"]]
        assert (row[3] == "None") == (k["extension_until"] is None)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository whose Hackney revenues and benefits contract (in a window) has a hostile note,
    built with the real command."""
    root = copy_repository(tmp_path_factory.mktemp("market-hostile") / "repo")
    path = root / "councils" / "hackney" / "contracts.yml"
    text = path.read_text(encoding="utf-8")
    assert HACKNEY_NOTE in text
    path.write_text(text.replace(HACKNEY_NOTE, f"    notes: {json.dumps(HOSTILE_NOTE)}\n"), encoding="utf-8")
    code, out = commons("--root", str(root), "build")
    assert code == 0, out
    return root / "site"


def test_a_hostile_note_is_printed_as_text(hostile: Path) -> None:
    html = (hostile / "market" / "index.html").read_text(encoding="utf-8")
    page = tree(hostile)
    assert page.css("#pwned") == [] and page.css("article a[href^='https://evil.example']") == []
    assert "&lt;b id=&#34;pwned&#34;&gt;bold&lt;/b&gt;" in html or "&lt;b id=&quot;pwned&quot;&gt;" in html
    rows = [tr for tr in page.css("section.commons-window tbody tr") if tr.attributes.get("data-council") == "HCK"]
    notes = [tr.css("td")[-1].text() for tr in rows]
    assert HOSTILE_NOTE in notes, notes  # shown whole, as the words it is: nothing closed the table or ran
    assert "49" not in " ".join(notes)


@NEEDS_CHROMIUM
@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_is_photographed_under_the_base_path(site: Site, browser: Any, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    server = SiteServer(site.dir, SUB_PATH)
    tab = browser.new_page(viewport={"width": width, "height": 900})
    try:
        for path, name in (("market/", "market"), ("councils/hackney/", "council-contracts")):
            assert tab.goto(server.url(path)).status == 200
            assert tab.evaluate("document.documentElement.scrollWidth") <= width
            if name == "market":
                assert tab.locator("section.commons-window").first.is_visible()
                tab.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
            else:
                tab.locator("#contracts").scroll_into_view_if_needed()
                tab.screenshot(path=str(SHOTS / f"{name}-{width}.png"))
    finally:
        tab.close()
        server.close()
