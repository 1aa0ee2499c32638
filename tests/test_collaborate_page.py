"""The Work together page (/collaborate/) and api/v1/collaborate.json (issue 16), read from real builds: a copy of
the repository with councils' open commitments about burial bookings added (paraphrased; one of them hostile),
a done one that must not appear, and two councils already partners in pest control, built with the real
`commons build`; and the starter site (the session `site` fixture), where the page shows real opportunities.
The page and the open data agree; filters work with JavaScript and everything shows without it; `commons serve`
shows the page again after an edit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from commons.analysis.neighbours import MINIMUM
from commons.site.serve import Incremental
from site_support import NEEDS_CHROMIUM, SUB_PATH, Site, SiteServer, copy_repository, one, words
from test_exports import documented_fields, exported_fields
from test_sources_page import commons

HOSTILE_TITLE = 'Online booking of cemetery burials <b id="pwned">for funeral directors</b> & "masons" {{ 7 * 7 }}'
# council folder -> commitments appended to its declaration.yml (id, title, statuses in order, partners)
ADDED: dict[str, list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]] = {
    "hackney": [("burial-bookings", "Let funeral directors book burials and cremations online",
                 ("planned", "in-progress"), ())],
    "leeds": [("cemetery-bookings", HOSTILE_TITLE, ("planned",), ())],
    "cardiff": [("book-a-burial", "Book a burial online for funeral directors, in Welsh or English",
                 ("in-progress",), ())],
    "kent": [("burial-bookings-done", "Funeral directors book burials and cremations online",
              ("in-progress", "done"), ())],
    "manchester": [("pest-control-bookings", "Book a pest control treatment online for rats and wasps",
                    ("in-progress",), ("BST",))],
    "bristol": [("pest-control-visits", "Let residents book pest control visits for rats and wasps online",
                 ("planned",), ())],
}
BURIALS = {"HCK/burial-bookings", "LDS/cemetery-bookings", "CRF/book-a-burial"}


def _yaml(text: str) -> str:
    return json.dumps(text)  # JSON strings are YAML strings


def _commitments(items: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]) -> str:
    out = []
    for cid, title, statuses, partners in items:
        out.append(f"  - id: {cid}\n    title: {_yaml(title)}\n    principles: [1]\n    start: 2026-03-02\n")
        if partners:
            out.append(f"    partners: [{', '.join(partners)}]\n")
        out.append("    history:\n")
        for month, status in enumerate(statuses, 3):
            out.append(f"      - date: 2026-{month:02d}-02\n        status: {status}\n"
                       f"        note: {_yaml('Work with funeral directors and bereavement services: ' + title)}\n")
    return "".join(out)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repository(tmp_path_factory.mktemp("collaborate") / "repo")
    for folder, items in ADDED.items():
        path = root / "councils" / folder / "declaration.yml"
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + _commitments(items), encoding="utf-8")
    code, out = commons("--root", str(root), "build")
    assert code == 0, out
    return root / "site"


def tree(site_dir: Path) -> HTMLParser:
    return HTMLParser((site_dir / "collaborate" / "index.html").read_text(encoding="utf-8"))


def shown(page: HTMLParser) -> list[dict[str, Any]]:
    """The opportunities as the page shows them: id, area, regions and each council's commitment."""
    out = []
    for o in page.css("section[data-opportunity]"):
        rows = []
        for li in o.css("li[data-council]"):
            commitment = one(li, ".commons-opportunity__commitment a")
            rows.append({"code": li.attributes["data-council"], "href": commitment.attributes["href"],
                         "title": commitment.text(), "status": words(one(li, ".commons-tag")),
                         "ask": [a.attributes["href"] for a in li.css(".commons-opportunity__ask a")]})
        out.append({"id": one(o, "h3").attributes["id"], "area": o.attributes["data-area"],
                    "regions": (o.attributes["data-region"] or "").split("|"), "councils": rows})
    return out


def published(site_dir: Path) -> list[dict[str, Any]]:
    doc = json.loads((site_dir / "api" / "v1" / "collaborate.json").read_text(encoding="utf-8"))
    assert doc["version"] == "1" and doc["count"] == len(doc["items"])
    items: list[dict[str, Any]] = doc["items"]
    return items


def _keys(items: list[dict[str, Any]]) -> list[set[str]]:
    return [{c["commitment"] for c in o["councils"]} for o in items]


def test_the_councils_booking_burials_are_one_opportunity(built: Path) -> None:
    groups = _keys(published(built))
    assert BURIALS in groups, groups
    assert not any(g & BURIALS and g != BURIALS for g in groups)


def test_done_work_and_partners_are_not_opportunities(built: Path) -> None:
    keys = set().union(*_keys(published(built)))
    assert "KEN/burial-bookings-done" not in keys  # done
    assert not keys & {"MAN/pest-control-bookings", "BST/pest-control-visits"}  # already partners
    page = (built / "collaborate" / "index.html").read_text(encoding="utf-8")
    assert "burial-bookings-done" not in page and "pest-control" not in page


def test_the_page_shows_what_the_open_data_publishes(built: Path) -> None:
    items, page = published(built), shown(tree(built))
    assert [o["id"] for o in page] == [o["id"] for o in items]
    labels = {"planned": "Planned", "in-progress": "In progress"}
    for seen, item in zip(page, items, strict=True):
        assert seen["area"] == (item["service_area"] or "other")
        assert sorted(set(seen["regions"])) == sorted({c["region"] for c in item["councils"]}, key=str.lower)
        assert [r["code"] for r in seen["councils"]] == [c["code"] for c in item["councils"]]
        for r, c in zip(seen["councils"], item["councils"], strict=True):
            assert r["href"] == f"../{c['url']}" and r["title"] == c["title"]
            assert r["status"] == labels[c["status"]]
            assert r["ask"] == [f"https://github.com/{m}" for m in c["maintainers"]]
        assert item["councils"][0]["lead"] and all(c["score"] >= MINIMUM for c in item["councils"][1:])


def test_each_commitment_links_to_its_section_of_its_councils_page(built: Path) -> None:
    for o in shown(tree(built)):
        for r in o["councils"]:
            folder, anchor = r["href"].removeprefix("../").split("#")
            council = HTMLParser((built / folder / "index.html").read_text(encoding="utf-8"))
            assert council.css_first(f"section.commons-commitment h3[id='{anchor}'], [id='{anchor}']") is not None, \
                r["href"]


def test_opportunities_are_by_service_area_and_reachable_without_javascript(built: Path) -> None:
    page = tree(built)
    areas = page.css("section[data-area-section]")
    assert [words(one(a, "h2")) for a in areas] == [words(a) for a in page.css("nav.commons-collaborate__jump a")]
    for a in areas:
        assert {o.attributes["data-area"] for o in a.css("section[data-opportunity]")} == \
            {(one(a, "h2").attributes["id"] or "").removeprefix("area-")}
    # By region: every opportunity is listed under each of its councils' regions
    regions = {words(one(li, "strong")): {x.attributes["href"] for x in li.css("a")}
               for li in page.css("details.commons-collaborate__regions li")}
    for o in shown(page):
        for region in o["regions"]:
            assert f"#{o['id']}" in regions[region], (o["id"], region)
    form = page.css_first("form[data-commons-collaborate]")
    assert form is not None and "hidden" in form.attributes  # shown by collaborate.js only
    areas_offered = [o.attributes["value"] for o in page.css("#opportunities-area option")][1:]
    assert areas_offered == [(one(a, "h2").attributes["id"] or "").removeprefix("area-") for a in areas]


def test_a_hostile_title_is_printed_as_text(built: Path) -> None:
    html = (built / "collaborate" / "index.html").read_text(encoding="utf-8")
    page = tree(built)
    assert page.css("#pwned") == []
    titles = [r["title"] for o in shown(page) for r in o["councils"]]
    assert HOSTILE_TITLE in titles  # the words as written: nothing became markup, nothing ran
    assert "49" not in " ".join(titles)
    assert '<b id="pwned">' not in html
    assert HOSTILE_TITLE in [c["title"] for o in published(built) for c in o["councils"]]


def test_docs_data_lists_exactly_the_published_fields(built: Path) -> None:
    assert documented_fields()["api/v1/collaborate.json"] == exported_fields(published(built))


def test_the_starter_site_shows_real_opportunities(site: Site) -> None:
    items = published(site.dir)
    assert items, "the starter content has councils doing the same work"
    assert [o["id"] for o in shown(tree(site.dir))] == [o["id"] for o in items]
    index = json.loads((site.dir / "api" / "v1" / "index.json").read_text(encoding="utf-8"))["items"]
    assert {"url": "api/v1/collaborate.json", "count": len(items)}.items() <= next(
        f for f in index if f["url"] == "api/v1/collaborate.json").items()


@NEEDS_CHROMIUM
def test_the_filters_hide_what_does_not_match_and_say_how_many(built: Path, browser: Any) -> None:
    server = SiteServer(built, SUB_PATH)
    tab = browser.new_page(viewport={"width": 390, "height": 900})
    try:
        items = published(built)
        assert tab.goto(server.url("collaborate/")).status == 200
        assert tab.locator("form[data-commons-collaborate]").is_visible()
        burial = next(o for o in items if {c["commitment"] for c in o["councils"]} == BURIALS)
        tab.select_option("#opportunities-region", "Wales")
        wales = [o["id"] for o in items if any(c["region"] == "Wales" for c in o["councils"])]
        assert burial["id"] in wales
        visible = tab.locator("section[data-opportunity]:visible h3").evaluate_all("hs => hs.map(h => h.id)")
        assert visible == wales
        status = tab.locator("[data-commons-count='opportunities']").text_content() or ""
        assert status == (f"{len(wales)} of {len(items)} opportunities match the filters" if len(wales) < len(items)
                          else f"{len(items)} opportunities")
        assert "region=Wales" in tab.url  # a filtered list can be shared
        area = burial["service_area"] or "other"
        tab.select_option("#opportunities-area", area)
        both = [o for o in wales if o in {x["id"] for x in items if (x["service_area"] or "other") == area}]
        assert tab.locator("section[data-opportunity]:visible h3").evaluate_all("hs => hs.map(h => h.id)") == both
        assert tab.locator("section[data-area-section]:visible").count() == 1
        tab.goto(server.url("collaborate/?region=London"))  # the address chooses too
        london = [o["id"] for o in items if any(c["region"] == "London" for c in o["councils"])]
        assert tab.locator("section[data-opportunity]:visible h3").evaluate_all("hs => hs.map(h => h.id)") == london
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        tab.close()
        server.close()


@NEEDS_CHROMIUM
def test_without_javascript_every_opportunity_shows(built: Path, browser: Any) -> None:
    server = SiteServer(built, SUB_PATH)
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        assert tab.goto(server.url("collaborate/")).status == 200
        assert not tab.locator("form[data-commons-collaborate]").is_visible()
        assert tab.locator("section[data-opportunity]:visible").count() == len(published(built))
    finally:
        context.close()
        server.close()


def test_commons_serve_takes_a_group_off_the_page_when_one_names_the_other_as_partner(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Bristol's and Manchester's missed-bin commitments (starter content) are an opportunity until Manchester
    names Bristol as a partner on it: the serve session's rebuild after that edit shows the page without it."""
    tmp = tmp_path_factory.mktemp("collaborate-serve")
    session = Incremental(copy_repository(tmp / "repo"), tmp / "site")
    session.full_build()
    group = {"BST/tell-us-your-bin-was-not-emptied", "MAN/missed-bins-without-signing-in"}
    page = session.site_dir / "collaborate" / "index.html"

    def shown_groups() -> list[set[str]]:
        return [{f"{r['code']}/{r['href'].split('#')[1]}" for r in o["councils"]}
                for o in shown(HTMLParser(page.read_text(encoding="utf-8")))]

    assert group in shown_groups()
    declaration = session.root / "councils" / "manchester" / "declaration.yml"
    text = declaration.read_text(encoding="utf-8")
    entry = "  - id: missed-bins-without-signing-in\n"
    assert entry in text
    declaration.write_text(text.replace(entry, entry + "    partners: [BST]\n"), encoding="utf-8")
    session.rebuild(["councils/manchester/declaration.yml"])
    assert not any(g & group for g in shown_groups())
