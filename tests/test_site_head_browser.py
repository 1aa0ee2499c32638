"""Contributed text cannot run or redirect anything in real Chromium, and the Content-Security-Policy refuses
any other script while search, filters and every kind of page still work.

The pages are those of the hostile copy of the repository (tests/hostile_copy.py), built once for the session
and served under the base path the site was built for. The same pages as the HTML parser reads them:
tests/test_site_head.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, Request, Route

from commons.site import csp
from hostile_copy import ENTRIES, HEADING_PAGE, T_SCRIPT, TITLED_PAGE, HostileCopy
from site_support import NEEDS_CHROMIUM, REPO

pytestmark = NEEDS_CHROMIUM

# Runs before anything on every page, outside the page's policy: reports each refusal in the console,
# which outlives a redirect page.
WATCH = """document.addEventListener('securitypolicyviolation', e => console.log('commons-test violation: '
    + e.effectiveDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));"""


@dataclass
class Watched:
    page: Page
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    @property
    def violations(self) -> list[str]:
        return [m for m in self.console if m.startswith("commons-test violation")]

    def visit(self, url: str, settle: bool = True) -> None:
        """Open `url`; with `settle`, wait until nothing is fetched for half a second (so a redirect has happened)."""
        self.page.goto(url)
        if settle:
            self.page.wait_for_load_state("networkidle")

    def unharmed(self) -> None:
        assert not self.dialogs, f"dialogs opened: {self.dialogs}"
        assert self.page.evaluate("typeof window.pwned") == "undefined", self.page.evaluate("window.pwned")
        assert not self.outside, f"requests left the site: {self.outside}"


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    c = browser.new_context()
    c.set_default_timeout(15_000)
    c.add_init_script(WATCH)
    yield c
    c.close()


@pytest.fixture
def watched(context: BrowserContext) -> Iterator[Watched]:
    w = Watched(context.new_page())

    def dialog(d: Dialog) -> None:
        w.dialogs.append(d.message)
        d.dismiss()

    def request(r: Request) -> None:
        if urlsplit(r.url).hostname != "127.0.0.1":
            w.outside.append(r.url)

    w.page.on("console", lambda m: w.console.append(m.text))
    w.page.on("dialog", dialog)
    w.page.on("request", request)
    yield w
    w.page.close()


def _first(root: Path, folder: str, pattern: str = "*.md") -> str:
    return min((root / folder).glob(pattern)).relative_to(root / folder).with_suffix("").as_posix()


PAGE_TYPES = {
    "home": "",
    "pattern": "patterns/report-a-missed-bin/",
    "case study": f"case-studies/{_first(REPO, 'case-studies')}/",
    "playbook": f"playbooks/{_first(REPO, 'playbooks')}/",
    "session": f"sessions/{_first(REPO, 'sessions', '*/*.md')}/",
    "council": "councils/hackney/",
    "patterns index": "patterns/",
    "councils index": "councils/",
    "dashboard": "dashboard/",
    "work together": "collaborate/",
    "search": "search/?q=missed bin",
    "maintainers' page": "about/",
    "404": "there-is-no-page-here/",
    "redirect": "p/1/",
}
# The hostile entries' and maintainers' pages, and some that list them or lead to them.
HOSTILE_PAGES = [h.url for h in ENTRIES] + [p.removesuffix(".md") + "/" for p in (HEADING_PAGE, TITLED_PAGE)] + [
    "", "patterns/", "councils/hackney/", "p/900/"]


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_nothing_contributed_runs_or_redirects(watched: Watched, hostile_copy: HostileCopy, url: str) -> None:
    watched.visit(hostile_copy.server.url(url))
    for _ in range(3):  # an injected autofocus or onfocus would fire as focus moves
        watched.page.keyboard.press("Tab")
    watched.unharmed()
    final = watched.page.url
    assert final.startswith(hostile_copy.server.base), final
    if url.startswith("p/"):
        assert final == hostile_copy.server.url("patterns/hostile-script/")
    else:
        assert final == hostile_copy.server.url(url), f"{url} went to {final}"
    assert not watched.violations, watched.violations  # nothing was even tried


def test_search_shows_hostile_titles_as_text(watched: Watched, hostile_copy: HostileCopy) -> None:
    watched.visit(hostile_copy.server.url("search/?q=pwned"))
    n = _wait_for_search(watched.page)
    titles = watched.page.eval_on_selector_all(".commons-search__results h2 a", "as => as.map(a => a.textContent)")
    assert n > 0 and " ".join(T_SCRIPT.split()) in [" ".join(t.split()) for t in titles], titles
    watched.unharmed()
    assert not watched.violations, watched.violations


INLINE = "<script>window.inlineRan = true; console.log('commons-test: the inline script ran')</script>"
POLICY_TAG = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def _with_an_inline_script(watched: Watched, url: str, keep_policy: bool) -> str:
    """Open `url` with an inline script added to the page (and its policy taken out unless `keep_policy`);
    the page as the server sent it."""
    sent: list[str] = []

    def add_script(route: Route) -> None:
        response = route.fetch()
        body = response.text()
        sent.append(body)
        if not keep_policy:
            body = POLICY_TAG.sub("", body)
        route.fulfill(response=response, body=body.replace("</head>", INLINE + "</head>", 1))

    address = url.split("?")[0]
    watched.page.route(re.compile("^" + re.escape(address) + r"(\?.*)?$"), add_script)
    watched.visit(url, settle=url.endswith("/p/1/"))  # a redirect page: wait until it has moved on
    assert len(sent) == 1, f"{url} was fetched {len(sent)} times"
    return sent[0]


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_the_policy_refuses_an_inline_script_on_every_page_type(watched: Watched, hostile_copy: HostileCopy,
                                                                name: str) -> None:
    sent = _with_an_inline_script(watched, hostile_copy.server.url(PAGE_TYPES[name]), keep_policy=True)
    assert POLICY_TAG.findall(sent) == [csp.meta_tag()], f"{name} does not carry the policy"
    assert "commons-test: the inline script ran" not in watched.console
    assert any(v.startswith("commons-test violation: script-src-elem inline ") for v in watched.violations), \
        watched.console
    if name != "redirect":
        assert watched.page.evaluate("document.head.children[1].outerHTML") == csp.meta_tag()
        assert watched.page.evaluate("typeof window.inlineRan") == "undefined"


@pytest.mark.parametrize("name", ["pattern", "redirect"])
def test_without_the_policy_the_inline_script_runs(watched: Watched, hostile_copy: HostileCopy, name: str) -> None:
    """The check above can see a script run."""
    _with_an_inline_script(watched, hostile_copy.server.url(PAGE_TYPES[name]), keep_policy=False)
    assert "commons-test: the inline script ran" in watched.console
    assert not watched.violations


def _wait_for_search(page: Page) -> int:
    status = page.wait_for_function("""() => { const t = document.querySelector('#commons-search-status').textContent;
        return /^(\\d+ results?|No results|Search could not start)/.test(t) && t; }""").json_value()
    m = re.match(r"(\d+) results?", status)
    assert m or status.startswith("No results"), status
    return int(m.group(1)) if m else 0


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_page_type_works_under_the_policy(watched: Watched, hostile_copy: HostileCopy, name: str) -> None:
    watched.visit(hostile_copy.server.url(PAGE_TYPES[name]), settle=name == "redirect")
    page = watched.page
    if name == "search":
        assert _wait_for_search(page) > 0  # Pagefind's script and WebAssembly ran
        page.get_by_role("button", name="Filter results").click()
        page.get_by_label("Type", exact=True).select_option("Case study")  # the filters loaded
        page.wait_for_function("""() => { const kinds = [...document.querySelectorAll(
            '.commons-search__results .commons-card__kind')].map(k => k.textContent);
            return kinds.length > 0 && kinds.every(k => k.startsWith('Case study')); }""")
    elif name.endswith("index"):
        form = page.locator("form.commons-filter")
        assert form.is_visible(), "commons.js did not reveal the filters"
        page.locator("form.commons-filter select").first.select_option(index=1)
        assert "match the filters" in page.locator("[data-commons-count]").inner_text()
    if name == "redirect":
        assert page.url == hostile_copy.server.url("patterns/report-a-missed-bin/")
    assert page.evaluate("document.documentElement.classList.contains('js')"), "Material's script did not run"
    assert page.evaluate("__md_scope.href") == hostile_copy.server.base, "material-head.js did not run"
    page.wait_for_load_state("networkidle")
    assert not watched.violations, f"{name}: {watched.violations}"
    watched.unharmed()
