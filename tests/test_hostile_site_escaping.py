"""The site built past the validator from tests/hostile/site/ (hostile_site.py): the sanitiser and the templates'
escaping hold on their own.

The built HTML holds no handler, script or script address, and Chromium with the Content-Security-Policy
switched off sees nothing run; hostile titles and summaries stay text in the head, in short links and in search
results. Each layer has a control: the same bodies unsanitised do get through here, so a pass means the sanitiser
stopped them; and sanitising any valid entry changes nothing a reader gets. The policy alone:
tests/test_hostile_site_policy.py.
"""

from __future__ import annotations

import dataclasses
import posixpath
from typing import Any

import pytest
from playwright.sync_api import Browser
from selectolax.lexbor import LexborHTMLParser

from browser_parsing import elements, live_handlers, live_script_addresses
from chromium_visit import visit
from commons.content import allowlist, rendered
from commons.content.load import discover, read_entry
from commons.content.validate import check_entry, validate_repository
from hostile_cases import THE_REGISTER
from hostile_site import (
    BODY_PAGES,
    CLEAN_PAGE,
    HEAD_PAGES,
    HOSTILE,
    OTHER_PAGES,
    HostileSite,
    hostile_body,
    unsanitised_page,
)
from site_support import REPO, front_matter

# Elements a contributed body never holds once sanitised.
DANGEROUS_TAGS = frozenset({"script", "iframe", "object", "embed", "form", "base", "meta", "link", "style", "svg",
                            "math", "template", "noscript", "textarea", "input", "button", "select", "frame",
                            "frameset", "applet", "portal", "title"})


def test_validation_refuses_the_hostile_site(hostile_site: HostileSite) -> None:
    """Each file the site is built from is refused, so the build is what lets it through, not the validator."""
    refused = {p.path for p in validate_repository(hostile_site.root).problems if p.is_error}
    hostile = {p.relative_to(HOSTILE / "site").as_posix() for p in (HOSTILE / "site").rglob("*.*")}
    assert sorted(hostile - refused) == []


# ---------------------------------------------------------------------------------------------------------
# The sanitiser alone (with the templates' escaping): built HTML and Chromium without the policy

def scripts(markup: str, page: str) -> list[tuple[str, str, str]]:
    """Each <script>: the site file it loads (or "inline"), its type and id."""
    out = []
    for n in LexborHTMLParser(markup).css("script"):
        src = n.attributes.get("src")
        out.append((posixpath.normpath(posixpath.join(page, src)) if src is not None else "inline",
                    n.attributes.get("type") or "", n.attributes.get("id") or ""))
    return out


@pytest.mark.parametrize("page", BODY_PAGES + HEAD_PAGES + OTHER_PAGES)
def test_a_built_page_holds_no_handler_script_or_script_address(page: str, hostile_site: HostileSite) -> None:
    markup = hostile_site.html(page)
    tree = LexborHTMLParser(markup)
    assert live_handlers(markup) == []
    # the site's own: the files every page loads, and Material's configuration, JSON (which no browser runs)
    assert scripts(markup, page) == scripts(hostile_site.html(CLEAN_PAGE), CLEAN_PAGE)
    assert [n.attributes.get("type") for n in tree.css("script:not([src])")] == ["application/json"]
    content = tree.css_first(".md-content")
    assert content is not None
    assert live_script_addresses(content.html or "") == []
    assert [(n.attributes.get("http-equiv") or "").lower() for n in tree.css("meta[http-equiv]")] == [
        "content-security-policy"]
    assert tree.css("base") == []
    body = tree.css_first(".commons-body")
    if body is not None:
        assert sorted({n.tag or "" for n in elements(body)} & DANGEROUS_TAGS) == []


@pytest.mark.parametrize("page", BODY_PAGES + HEAD_PAGES + OTHER_PAGES)
def test_a_built_page_is_inert_in_chromium_without_the_policy(page: str, hostile_site: HostileSite,
                                                             browser: Browser) -> None:
    seen = visit(browser, hostile_site.server.url(page), policy=False)
    assert seen.everything() == []


@pytest.mark.parametrize("page", BODY_PAGES)
def test_control_unsanitised_the_same_bodies_do_get_through(page: str, hostile_site: HostileSite,
                                                           browser: Browser) -> None:
    """Without the sanitiser (and without the policy) these bodies run or leave script addresses: so the test above
    passing means the sanitiser removed them."""
    raw = unsanitised_page(hostile_site, CLEAN_PAGE, rendered.render(hostile_body(page)), policy=False)
    assert visit(browser, hostile_site.server.url(raw), policy=False).everything() != []


def _structure(markup: str) -> list[tuple[str, ...]]:
    """Elements (tag and sorted attributes) and text, in document order, comments left out and adjacent text joined,
    whitespace-only text dropped: what a reader gets, whatever the serialisation."""
    out: list[tuple[str, ...]] = []
    body = LexborHTMLParser(markup).body
    for node in body.traverse(include_text=True) if body is not None else ():
        tag = node.tag or ""
        if tag == "-text":
            text = node.text_content or ""
            if out and out[-1][0] == "#text":
                out[-1] = ("#text", out[-1][1] + text)
            else:
                out.append(("#text", text))
        elif tag != "body" and not tag.startswith(("-", "_")):
            out.append((tag, *sorted(f"{k}={v or ''}" for k, v in node.attributes.items())))
    return [("#text", " ".join(x[1].split())) if x[0] == "#text" else x for x in out
            if x[0] != "#text" or x[1].strip()]


# Everything else the site's Markdown makes and a valid entry may hold, added to each starter entry (most of
# which are plain prose): aligned table columns, a titled link, footnotes, an admonition, a code block with a
# language, a definition list, an image from elsewhere, and the text-level HTML contributors may write.
VALID_EXTRAS = """

| Step | Time |
|:-----|-----:|
| Report | 1 minute |

A note[^n], a [link](https://www.hackney.gov.uk/bins "Bin collections") and <kbd>Tab</kbd> for the
<abbr title="Unique Property Reference Number">UPRN</abbr>, <q cite="https://example.org/">quoted</q>.

[^n]: Its text.

!!! warning "Check first"
    Check the round data.

```python
x = 1
```

Round
: The streets a crew collects from in one day.

![The form](https://www.hackney.gov.uk/form.png)

<details><summary>More</summary>Hidden text.</details>
"""


def test_sanitising_a_valid_entry_changes_nothing() -> None:
    checked = 0
    for cand in discover(REPO)[0]:
        entry, problems = read_entry(REPO, cand)
        if entry is None or not entry.ctype.markdown:
            continue
        entry = dataclasses.replace(entry, body=entry.body + VALID_EXTRAS)
        problems = problems + check_entry(entry, THE_REGISTER, None, render_all=True)[0]
        assert [p for p in problems if p.is_error] == [], "the entry is not valid, so it tests nothing"
        markup = rendered.render(entry.body)
        assert _structure(allowlist.sanitise(markup)) == _structure(markup), cand.path
        checked += 1
    assert checked >= 20, f"only {checked} starter entries"


# ---------------------------------------------------------------------------------------------------------
# Titles and summaries (class 3, see test_hostile_fields.py) that get past validation are text: in the head,
# in short links and in search results

@pytest.mark.parametrize("policy", [False, True], ids=["without the policy", "with the policy"])
@pytest.mark.parametrize("page", HEAD_PAGES)
def test_title_and_summary_stay_text_in_the_head(page: str, policy: bool, hostile_site: HostileSite,
                                                 browser: Browser) -> None:
    meta = front_matter(HOSTILE / "site" / f"{page.rstrip('/')}.md")
    tree = LexborHTMLParser(hostile_site.html(page))
    assert tree.head is not None
    assert [n.text() for n in tree.head.css("title")] == [f"{meta['title']} - Council Commons"]
    assert [n.attributes.get("content") for n in tree.head.css('meta[name="description"]')] == [meta["summary"]]
    assert [(n.attributes.get("http-equiv") or "").lower() for n in tree.css("meta[http-equiv]")] == [
        "content-security-policy"]
    assert tree.css("base") == []

    shown: dict[str, str] = {}

    def read_head(p: Any) -> None:
        shown["title"] = p.title()
        shown["description"] = p.eval_on_selector('meta[name="description"]', "m => m.content")
        shown["heading"] = p.locator("article h1").first.inner_text()

    seen = visit(browser, hostile_site.server.url(page), policy=policy, act=read_head)
    assert seen.everything() == []
    assert shown == {"title": f"{meta['title']} - Council Commons", "description": meta["summary"],
                     "heading": meta["title"]}


@pytest.mark.parametrize("page", HEAD_PAGES)
def test_the_short_link_of_a_hostile_title_names_it_as_text_and_goes_only_to_its_page(
        page: str, hostile_site: HostileSite, browser: Browser) -> None:
    meta = front_matter(HOSTILE / "site" / f"{page.rstrip('/')}.md")
    short = f"p/{meta['id']}/"
    tree = LexborHTMLParser(hostile_site.html(short))
    assert [n.text() for n in tree.css("title")] == [f"Short link: /{short} → {meta['title']} - Council Commons"]
    refreshes = [n.attributes.get("content") or "" for n in tree.css("meta[http-equiv]")
                 if (n.attributes.get("http-equiv") or "").lower() == "refresh"]
    assert refreshes == [f"0; url=../../{page}"]
    context = browser.new_context()
    dialogs: list[str] = []
    try:
        p = context.new_page()
        p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        p.goto(hostile_site.server.url(short))
        p.wait_for_url(hostile_site.server.url(page))
        assert p.evaluate("() => window.__pwned") is None
    finally:
        context.close()
    assert dialogs == []


def test_a_search_listing_hostile_titles_shows_them_as_text(hostile_site: HostileSite, browser: Browser) -> None:
    titles = {front_matter(HOSTILE / "site" / f"{p.rstrip('/')}.md")["title"] for p in HEAD_PAGES}
    shown: list[str] = []

    def search(page: Any) -> None:
        page.wait_for_function("() => /^(\\d+ results?|No results)/.test("
                               "document.querySelector('#commons-search-status').textContent)")
        shown.extend(page.eval_on_selector_all(".commons-search__results > li a", "as => as.map(a => a.textContent)"))

    seen = visit(browser, hostile_site.server.url("search/?q=Bins"), act=search)
    assert seen.everything() == []
    assert titles <= {s.strip() for s in shown}, shown
