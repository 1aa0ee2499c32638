"""Contributed text cannot inject anything into the built site's pages, as the HTML parser reads them.

Every page's <head> starts with the Content-Security-Policy; titles, summaries and headings are printed as
text wherever the theme or our templates print them; the only scripts are the site's own files; only redirect
pages refresh, and only to the site. The pages are those of the hostile copy of the repository
(tests/hostile_copy.py), built once for the session. The same pages in Chromium:
tests/test_site_head_browser.py; Material's templates we override: tests/test_theme_overrides.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from commons.content.register import load_register
from commons.site import csp
from hostile_copy import (
    COMMITMENT,
    ENTRIES,
    FIRST_HEADING,
    HEADING_PAGE,
    HEADINGS,
    S_META,
    SITE_NAME,
    T_SCRIPT,
    TITLED,
    TITLED_PAGE,
    Hostile,
    HostileCopy,
)
from site_support import SUB_PATH, front_matter, pattern_files

# ---------------------------------------------------------------------------------------------------------
# The built site, its pages parsed

@dataclass
class Built:
    root: Path
    dir: Path
    pages: dict[str, LexborHTMLParser] = field(default_factory=dict)  # site-relative URL ("" for home) → tree

    def url_of(self, rel_file: str) -> str:
        return "" if rel_file == "index.html" else rel_file.removesuffix("index.html")


@pytest.fixture(scope="module")
def built(hostile_copy: HostileCopy) -> Built:
    """Every HTML file of the hostile copy's site, parsed (for this module only: the trees are large)."""
    b = Built(hostile_copy.root, hostile_copy.dir)
    for path in sorted(b.dir.rglob("*.html")):
        rel = path.relative_to(b.dir).as_posix()
        b.pages[b.url_of(rel) if rel.endswith("index.html") else rel] = LexborHTMLParser(path.read_text("utf-8"))
    return b


def redirect_pages(root: Path) -> set[str]:
    """Where the site must have a redirect page: short links, patterns' old names, abolished councils."""
    out = set()
    for p in pattern_files(root):
        out |= {f"p/{p.id}/"} | {f"patterns/{alias}/" for alias in p.aliases}
    out |= {f"s/{front_matter(s)['id']}/" for s in (root / "sessions").glob("*/*.md")}
    register = load_register(root / "data" / "uk-local-authorities.csv")
    out |= {f"councils/{a.slug}/" for a in register
            if not a.current and register.by_slug.get(a.slug) is a and register.successors(a.code)}
    return out


def directives(policy: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        assert name not in out, f"{name} twice in {policy!r}"
        out[name] = sources
    return out


def head_elements(tree: LexborHTMLParser) -> list[LexborNode]:
    assert tree.head is not None
    return [n for n in tree.head.iter() if not (n.tag or "-").startswith("-")]  # not text or comments


def _in_svg(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None and parent.tag != "svg":
        parent = parent.parent
    return parent is not None


def _node(tree: LexborHTMLParser, selector: str) -> LexborNode:
    node = tree.css_first(selector)
    assert node is not None, f"no {selector}"
    return node


HEADER_TITLE = '[data-md-component="header-topic"] .md-ellipsis'


def text(node: LexborNode | None) -> str:
    assert node is not None
    return " ".join(node.text().split())


# ---------------------------------------------------------------------------------------------------------
# The pages as the HTML parser reads them

def test_the_policy_is_strict_and_first_in_every_head(built: Built) -> None:
    d = directives(csp.POLICY)
    assert d["script-src"] == ["'self'", "'wasm-unsafe-eval'"], "scripts from the site only, and Pagefind's wasm"
    assert d["object-src"] == ["'none'"] and d["base-uri"] == ["'none'"] and d["form-action"] == ["'self'"]
    assert d["default-src"] in (["'none'"], ["'self'"])
    for name, sources in d.items():
        assert not {"'unsafe-eval'", "'strict-dynamic'", "*", "http:", "https:", "blob:"} & set(sources), name
        assert all(s.startswith("'") or s == "data:" for s in sources), f"{name} names a host: {sources}"
        assert "data:" not in sources or name in ("img-src", "font-src"), name
    assert "'unsafe-inline'" not in d["script-src"] + d["default-src"]
    assert not {"frame-ancestors", "report-uri", "sandbox"} & set(d), "ignored in a <meta>"

    wrong = []
    for url, tree in built.pages.items():
        first = head_elements(tree)[:2]
        if [(n.tag, n.attributes) for n in first] != [("meta", {"charset": "utf-8"}), (
                "meta", {"http-equiv": "Content-Security-Policy", "content": csp.POLICY})]:
            wrong.append(url)
        elif len(tree.css('meta[http-equiv="Content-Security-Policy"]')) != 1:
            wrong.append(url)
    assert len(built.pages) > 500
    assert not wrong, f"{len(wrong)} pages do not start their <head> with the policy: {wrong[:20]}"


SCRIPTS = re.compile(r"assets/(javascripts/bundle\.[0-9a-f]{8}\.min\.js|material-head\.js|material-content\.js"
                     r"|commons\.js|search\.js|collaborate\.js)")


def test_the_only_scripts_are_the_sites_own(built: Built) -> None:
    base = f"http://site{SUB_PATH}"
    found = []
    for url, tree in built.pages.items():
        for script in tree.css("script"):
            src, attrs = script.attributes.get("src"), script.attributes
            if src is None:
                if attrs == {"id": "__config", "type": "application/json"}:
                    assert set(json.loads(script.text())) >= {"base", "features"}, url
                    continue
                found.append(f"{url}: inline {(script.html or '')[:120]}")
                continue
            path = urlsplit(urljoin(base + url, src or "")).path
            rel = path.removeprefix(SUB_PATH) if path.startswith(SUB_PATH) else path
            if not SCRIPTS.fullmatch(rel) or script.text().strip() or not (built.dir / rel).is_file():
                found.append(f"{url}: {(script.html or '')[:120]}")
        for tag in ("iframe", "frame", "object", "embed", "base", "style", "portal"):
            found += [f"{url}: <{tag}>" for _ in tree.css(tag)]
    assert not found, f"{len(found)} scripts or elements that are not the site's own:\n" + "\n".join(found[:30])


def test_no_element_has_an_event_handler_or_a_script_address(built: Built) -> None:
    found = []
    for url, tree in built.pages.items():
        for node in tree.css("*"):
            for name, value in node.attributes.items():
                live = name.startswith("on") or name == "srcdoc" or (
                    name in ("href", "src", "action", "formaction", "xlink:href", "poster", "data")
                    and bool(re.match(r"\s*(javascript|vbscript|data):", value or "", re.I)))
                if live:
                    found.append(f"{url}: <{node.tag} {name}={value!r}>")
    assert not found, f"{len(found)} live attributes:\n" + "\n".join(found[:30])


def test_only_redirect_pages_refresh_and_only_to_the_site(built: Built) -> None:
    refreshing, wrong = set(), []
    for url, tree in built.pages.items():
        for meta in tree.css("meta[http-equiv]"):
            kind = (meta.attributes["http-equiv"] or "").lower()
            if kind == "content-security-policy":
                continue
            if kind != "refresh":
                wrong.append(f"{url}: http-equiv={kind!r}")
                continue
            refreshing.add(url)
            m = re.fullmatch(r"0; url=(\.\.?/[a-z0-9/.-]*/)", meta.attributes.get("content") or "")
            target = urljoin(f"http://site{SUB_PATH}{url}", m.group(1)) if m else ""
            rel = target.removeprefix(f"http://site{SUB_PATH}")
            if not m or rel == target or rel not in built.pages or built.pages[rel].css("meta[http-equiv=refresh]"):
                wrong.append(f"{url}: refresh {meta.attributes.get('content')!r}")
        if len(tree.css('meta[name="description"]')) > 1:
            wrong.append(f"{url}: two descriptions")
    assert not wrong, "\n".join(wrong[:30])
    assert refreshing == redirect_pages(built.root)


def _expected_description(root: Path, h: Hostile) -> str:
    return h.summary or f"{front_matter(root / h.path)['event']}: {h.title}"


@pytest.mark.parametrize("h", ENTRIES, ids=lambda h: h.path)
def test_an_entrys_title_and_summary_are_its_text_exactly(built: Built, h: Hostile) -> None:
    tree = built.pages[h.url]
    titles = tree.css("head > title")
    assert len(titles) == 1 and all(_in_svg(t) for t in tree.css("title") if t not in titles)
    assert titles[0].text() == f"{h.title} - {SITE_NAME}"
    described = tree.css('meta[name="description"]')
    assert [m.attributes.get("content") for m in described] == [_expected_description(built.root, h)]
    assert text(tree.css_first("article h1")) == " ".join(h.title.split())
    assert text(tree.css_first(HEADER_TITLE)) == " ".join(h.title.split())
    if h.path.startswith("patterns/"):  # its short link and its old name redirect, saying where to
        for old in (f"p/{front_matter(built.root / h.path)['id']}/", f"patterns/{Path(h.path).stem}-before/"):
            moved = text(built.pages[old].css_first("head > title"))
            kind = "Short link" if old.startswith("p/") else "Moved"
            assert moved == " ".join(f"{kind}: /{old} → {h.title} - {SITE_NAME}".split())


def test_a_title_from_the_first_heading_reads_as_the_heading(built: Built) -> None:
    tree = built.pages[HEADING_PAGE.removesuffix(".md") + "/"]
    heading = text(tree.css_first("article h1"))
    assert heading == " ".join(HEADINGS[h] for h in FIRST_HEADING)
    assert text(tree.css_first("head > title")) == f"{heading} - {SITE_NAME}"
    assert text(tree.css_first(HEADER_TITLE)) == heading
    # In the navigation, and as the next page's "previous" in the footer.
    assert heading in [text(a) for a in tree.css(".md-nav--primary a.md-nav__link")]
    titled = built.pages[TITLED_PAGE.removesuffix(".md") + "/"]
    assert text(titled.css_first(".md-footer__link--prev .md-ellipsis")) == heading


def test_a_page_titled_by_its_front_matter_shows_that_title_as_text(built: Built) -> None:
    tree = built.pages[TITLED_PAGE.removesuffix(".md") + "/"]
    assert _node(tree, "head > title").text() == f"{TITLED} - {SITE_NAME}"
    assert _node(tree, "article h1").text() == TITLED
    assert _node(tree, 'meta[name="description"]').attributes["content"] == S_META
    path = [text(a) for a in tree.css(".md-path__link")]
    assert len(path) == 2 and "window.pwned" in path[1], path  # the hostile section's name, as text


@pytest.mark.parametrize("url", [h.url for h in ENTRIES] + [HEADING_PAGE.removesuffix(".md") + "/"])
def test_the_table_of_contents_reads_as_the_headings(built: Built, url: str) -> None:
    tree = built.pages[url]
    ids = {text(h): h.attributes["id"] for h in tree.css("article h2[id]")}
    toc = {a.attributes["href"]: text(a) for a in tree.css(".md-nav--secondary a.md-nav__link")}
    missing = [shown for shown in HEADINGS.values() if shown not in ids]
    assert not missing, f"{url} does not show these headings as written: {missing} (it has {list(ids)})"
    assert {shown: toc.get(f"#{ids[shown]}") for shown in HEADINGS.values()} == {s: s for s in HEADINGS.values()}


def test_a_commitments_text_is_shown_as_text(built: Built) -> None:
    tree = built.pages["councils/hackney/"]
    assert text(tree.css_first(f'h3[id="{COMMITMENT["id"]}"]')) == " ".join(T_SCRIPT.split())
    history = tree.css_first(f'section[aria-labelledby="{COMMITMENT["id"]}"] .commons-history')
    assert COMMITMENT["note"] in text(history)

