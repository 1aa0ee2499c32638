"""The /sources/ page and `api/v1/sources.json`: a copy of the repository with two councils' own repositories
(real git repositories in tmp_path, `--allow-local-paths`), one good and one whose newest commit is refused,
`commons sources update` and `commons build` run for real; what the page and the export say is read from the
built site. Also the page with no sources, and screenshots at 1280 and 390 px."""

from __future__ import annotations

import contextlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from commons.cli import main
from commons.sources.config import read_lock
from site_support import SUB_PATH, SiteServer, copy_repository
from test_sources import COUNCIL, DECLARATION, commit, git, list_sources, make_source

YORK_COUNCIL = COUNCIL.replace("SHF", "YOR").replace("sheffield-digital", "york-digital") \
    .replace("sheffield.gov.uk", "york.gov.uk")
# A field whose name is markup and an @mention: the refusal quotes it, and the page must print it as text.
HOSTILE_KEY = "<img src=x onerror=alert(1)>@council-commons/maintainers"
HOSTILE_COUNCIL = YORK_COUNCIL + f'"{HOSTILE_KEY}": 1\n'


def commons(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = main(list(args))
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
    return code, out.getvalue()


@dataclass(frozen=True)
class Built:
    root: Path
    site: Path
    good: Path  # Sheffield's repository
    bad: Path  # York's
    good_commit: str  # York's last good commit, which the site keeps showing
    refused: str  # York's newest commit, refused


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("sources-page")
    root = copy_repository(tmp / "repo")
    good = make_source(tmp / "sheffield")
    bad = make_source(tmp / "york", {"council.yml": YORK_COUNCIL, "declaration.yml": DECLARATION})
    list_sources(root, {"council": "SHF", "url": str(good)}, {"council": "YOR", "url": str(bad), "ref": "main"})
    code, out = commons("sources", "--root", str(root), "update", "--allow-local-paths")
    assert code == 0, out
    good_commit = git(bad, "rev-parse", "HEAD")
    refused = commit(bad, {"council.yml": HOSTILE_COUNCIL})
    code, out = commons("sources", "--root", str(root), "update", "--allow-local-paths")
    assert code == 1, out
    code, out = commons("build", "--root", str(root))
    assert code == 0, out
    return Built(root, root / "site", good, bad, good_commit, refused)


def page(site: Path) -> HTMLParser:
    return HTMLParser((site / "sources" / "index.html").read_text(encoding="utf-8"))


def section(tree: HTMLParser, code: str) -> Any:
    found = tree.css_first(f"section#{code}")
    assert found is not None, code
    return found


def words(node: Any) -> str:
    return re.sub(r"\s+", " ", node.text())


def test_a_good_source_is_shown_up_to_date_with_its_pin(built: Built) -> None:
    shf = section(page(built.site), "SHF")
    text = words(shf)
    head = git(built.good, "rev-parse", "HEAD")
    assert "Sheffield City Council" in shf.css_first("h2").text()
    assert shf.css_first("h2 a").attributes["href"] == "../councils/sheffield/"
    assert "Up to date." in text and "Not up to date" not in text
    assert head[:7] in text and str(built.good) in text
    pin = read_lock(built.root)["SHF"]
    assert pin.checked and "Last checked: " in text and "never" not in text
    assert shf.css_first(".commons-source__problems") is None


def test_a_refused_source_says_what_is_wrong_where_in_their_repository_and_since_when(built: Built) -> None:
    yor = section(page(built.site), "YOR")
    text = words(yor)
    pin = read_lock(built.root)["YOR"]
    assert pin.failure is not None and pin.commit == built.good_commit
    assert f"Not up to date: {pin.failure.reason}." in text
    assert f"The site has shown the older version, {built.good_commit[:7]}, since" in text
    assert f"in {built.refused[:7]}, in the council's repository" in text
    # The problem is on the line of council.yml that holds the hostile field, counted from the file itself.
    line = HOSTILE_COUNCIL.splitlines().index(f'"{HOSTILE_KEY}": 1') + 1
    items = [words(li) for li in yor.css(".commons-source__problems li")]
    assert any(i.startswith(f"council.yml, line {line}: ") for i in items), items


def test_hostile_text_from_a_source_is_printed_as_text(built: Built) -> None:
    html = (built.site / "sources" / "index.html").read_text(encoding="utf-8")
    yor = section(page(built.site), "YOR")
    assert yor.css("img") == [] and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;@council-commons/maintainers" in html
    assert HOSTILE_KEY in words(yor)  # shown as the words it is, not dropped


def test_the_export_has_the_same(built: Built) -> None:
    doc = json.loads((built.site / "api" / "v1" / "sources.json").read_text(encoding="utf-8"))
    items = {i["council"]: i for i in doc["items"]}
    assert doc["count"] == 2 and set(items) == {"SHF", "YOR"}
    shf, yor = items["SHF"], items["YOR"]
    lock = read_lock(built.root)
    assert shf["up_to_date"] is True and shf["status"] == "up to date" and shf["problems"] == []
    assert shf["commit"] == git(built.good, "rev-parse", "HEAD") and shf["failing_since"] is None
    assert shf["checked"] == lock["SHF"].checked and shf["committed"] == lock["SHF"].committed
    assert shf["url"] == str(built.good) and shf["ref"] == "main" and shf["path"] == ""
    assert yor["up_to_date"] is False and yor["commit"] == built.good_commit
    assert yor["refused_commit"] == built.refused and yor["failing_since"] == lock["YOR"].failure.since  # type: ignore[union-attr]
    assert yor["status"] == lock["YOR"].failure.reason  # type: ignore[union-attr]
    hostile = [p for p in yor["problems"] if HOSTILE_KEY in p["message"]]
    assert hostile and hostile[0]["file"] == "council.yml" and hostile[0]["in_source"] is True
    assert isinstance(hostile[0]["line"], int) and hostile[0]["code"].startswith("E-")
    index = json.loads((built.site / "api" / "v1" / "index.json").read_text(encoding="utf-8"))
    assert {"url": "api/v1/sources.json", "count": 2}.items() <= \
        next(i for i in index["items"] if i["url"] == "api/v1/sources.json").items()


def test_docs_data_lists_exactly_the_exported_fields(built: Built) -> None:
    from test_exports import documented_fields, exported_fields

    doc = json.loads((built.site / "api" / "v1" / "sources.json").read_text(encoding="utf-8"))
    assert documented_fields()["api/v1/sources.json"] == exported_fields(doc["items"])


def test_the_page_is_in_the_navigation(built: Built) -> None:
    home = HTMLParser((built.site / "index.html").read_text(encoding="utf-8"))
    assert any(a.attributes.get("href") == "sources/" for a in home.css("nav a"))


def test_with_no_sources_the_page_says_how_a_council_can_keep_its_own(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    code, out = commons("build", "--root", str(root))
    assert code == 0, out
    tree = page(root / "site")
    text = words(tree.css_first("article"))
    assert "No council keeps its records in its own repository yet" in text and "sources.yml" in text
    links = [a.attributes.get("href") or "" for a in tree.css("article a")]
    assert any(link.endswith("/CONTRIBUTING.md#keeping-your-records-in-your-own-repository") for link in links)
    assert json.loads((root / "site" / "api" / "v1" / "sources.json").read_text(encoding="utf-8"))["items"] == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_reflows_and_is_photographed(built: Built, browser: Any, width: int) -> None:
    server = SiteServer(built.site, SUB_PATH)  # under the base path, as GitHub Pages serves it
    tab = browser.new_page(viewport={"width": width, "height": 900})
    try:
        assert tab.goto(server.url("sources/")).status == 200
        assert tab.locator("section#YOR .commons-source__problems").is_visible()
        assert tab.locator("section#SHF").get_by_text("Up to date.").is_visible()
        # Nothing is wider than the screen: at 390 px the facts and the problems wrap.
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        tab.screenshot(path=str(built.root.parent / f"sources-{width}.png"), full_page=True)
    finally:
        tab.close()
        server.close()
