"""Contributed text cannot run, redirect or inject anything on the built site.

Every page's <head> starts with the Content-Security-Policy; titles, summaries and headings are printed as
text wherever the theme or our templates print them; the only scripts are the site's own files; and in
real Chromium the policy refuses any other script while search, filters and every kind of page still work.

The site is built once for the module, with the real pipeline (MkDocs, Material, Pagefind), from a copy of
the repository with hostile entries, headings and maintainers' pages added. The validator refuses most of
that text (it is the first wall), so the build here sets its refusals aside for exactly those files: the
templates and the policy must hold whatever gets past it. The copy also turns on Material's footer and
path navigation, so that every partial printing a page's title is shown a hostile one.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, Request, Route
from selectolax.lexbor import LexborHTMLParser, LexborNode

from commons.content.register import load_register
from commons.content.validate import validate_repository
from commons.site import csp, state
from commons.site.build import build_site
from commons.site.history import file_dates
from site_support import NEEDS_CHROMIUM, SUB_PATH, SiteServer, copy_repository, front_matter, pattern_files

SITE_NAME = "Council Commons"
MATERIAL = Path(str(__import__("material").__file__)).parent / "templates"
OVERRIDES = Path(__file__).resolve().parents[1] / "docs" / "overrides"
ASSETS = OVERRIDES.parent / "assets"

pytestmark = NEEDS_CHROMIUM

# ---------------------------------------------------------------------------------------------------------
# The hostile content

# Titles: closing <title> or an attribute, markup, entities that turn into markup if something undoes them,
# the raw-text elements' closing tags, and template syntax.
T_SCRIPT = '</title><script>window.pwned="title"</script><img src=x onerror="window.pwned=\'img\'">'
T_ENTITY = "&lt;/title&gt;&lt;script&gt;window.pwned='entity'&lt;/script&gt; &#60;b&#62; &amp;amp; {{ 7 * 7 }}"
T_QUOTE = "' onfocus='window.pwned=\"quote\"' autofocus x=' \" onfocus=\"window.pwned='dquote'\" autofocus x=\""
T_CLOSERS = "</textarea></noscript></style></xmp></a><svg onload=window.pwned='svg'><iframe srcdoc=x>"
# Summaries, printed in <meta name="description" content="…">: a new element, the same with only
# attributes (no tag, so it passes the validator), and the same in entities.
S_META = '"><meta http-equiv="refresh" content="0;url=https://evil.example/"><script>window.pwned="s"</script>'
S_ATTR = '0;url=https://evil.example/" http-equiv="refresh'
S_ENTITY = "&quot; http-equiv=&quot;refresh&quot; content=&quot;0;url=https://evil.example/"
# Headings in bodies become the table of contents: each as written, and as a reader sees it.
HEADINGS = {
    "&lt;img src=x onerror=window.pwned='toc'&gt;": "<img src=x onerror=window.pwned='toc'>",
    "&lt;/title&gt;&lt;script&gt;window.pwned='toc2'&lt;/script&gt;": "</title><script>window.pwned='toc2'</script>",
    "Fish & chips &amp;lt;script&amp;gt; <b>bold</b>": "Fish & chips &lt;script&gt; bold",
    "Use `<script>` & `&amp;` here": "Use <script> & &amp; here",
}
FIRST_HEADING = list(HEADINGS)[1:3]  # the heading page's title


@dataclass(frozen=True)
class Hostile:
    source: str  # an entry to copy
    path: str  # the hostile copy
    title: str
    summary: str  # "" for a session, whose description is "event: title"

    @property
    def url(self) -> str:
        return self.path.removesuffix(".md") + "/"


ENTRIES = (
    Hostile("patterns/report-a-missed-bin.md", "patterns/hostile-script.md", T_SCRIPT, S_META),
    Hostile("patterns/report-a-missed-bin.md", "patterns/hostile-entity.md", T_ENTITY, S_ENTITY),
    Hostile("patterns/report-a-missed-bin.md", "patterns/hostile-quote.md", T_QUOTE, S_ATTR),
    Hostile("case-studies/hackney-missed-bin-reports-without-an-account.md", "case-studies/hostile-case-study.md",
            T_CLOSERS, S_ATTR),
    Hostile("playbooks/adopt-a-pattern-another-council-built.md", "playbooks/hostile-playbook.md", T_ENTITY, S_META),
    Hostile("sessions/ukgovcamp-2026/uprn-or-it-did-not-happen.md", "sessions/ukgovcamp-2026/hostile-session.md",
            T_SCRIPT, ""),
)
# Maintainers' pages: one titled by its first heading (HTML, with entities), one by `title:` with no heading
# (the theme prints that title as the page's <h1>), in a section whose name is hostile too.
HEADING_PAGE = "hostile/heading.md"
TITLED_PAGE = "hostile/titled.md"
TITLED = '</a></span><script>window.pwned="nav"</script><img src=x onerror=window.pwned="nav">'
SECTION = '</span></label><script>window.pwned="section"</script>'
# A maintainer's page whose file name would close the edit link's attribute.
NAMED_PAGE = 'hostile/named" onmouseover="window.pwned=1" x=".md'
COMMITMENT = {"id": "hostile-commitment", "title": T_SCRIPT, "note": S_META}


def _rewrite(root: Path, h: Hostile, number: int) -> None:
    meta = front_matter(root / h.source)
    body = (root / h.source).read_text(encoding="utf-8").split("\n---\n", 1)[1]
    meta["title"] = h.title
    if h.summary:
        meta["summary"] = h.summary
    if h.path.startswith("patterns/"):
        meta["id"], meta["aliases"] = 900 + number, [f"{Path(h.path).stem}-before"]
    body += "".join(f"\n## {heading}\n\nText under it.\n" for heading in HEADINGS)
    body += "\n| Left | Right |\n|:-----|------:|\n| 1 | 2 |\n"  # aligned by style= attributes: allowed
    (root / h.path).write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body,
                               encoding="utf-8")


def add_hostile_content(root: Path) -> set[str]:
    """Hostile entries, a commitment and maintainers' pages in the repository at `root`; the files changed."""
    for number, h in enumerate(ENTRIES):
        _rewrite(root, h, number)
    declaration = root / "councils" / "hackney" / "declaration.yml"
    data = yaml.safe_load(declaration.read_text(encoding="utf-8"))
    commitment = {**copy.deepcopy(data["commitments"][0]), "id": COMMITMENT["id"], "title": COMMITMENT["title"]}
    commitment["history"] = [{**commitment["history"][-1], "note": COMMITMENT["note"]}]  # (deep: no YAML aliases)
    data["commitments"].append(commitment)
    declaration.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    docs = root / "docs" / "hostile"
    docs.mkdir()
    (docs / "heading.md").write_text(f"# {' '.join(FIRST_HEADING)}\n\nText.\n\n"
                                     + "".join(f"## {heading}\n\nText.\n\n" for heading in HEADINGS), encoding="utf-8")
    (root / "docs" / NAMED_PAGE).write_text("# A page with a strange name\n\nText.\n", encoding="utf-8")
    (docs / "titled.md").write_text("---\n" + yaml.safe_dump({"title": TITLED, "description": S_META}) + "---\n\n"
                                    + "Text with no heading.\n", encoding="utf-8")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["nav"].append({SECTION: [HEADING_PAGE, TITLED_PAGE]})
    config["theme"]["features"] += ["navigation.footer", "navigation.path"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {h.path for h in ENTRIES} | {"councils/hackney/declaration.yml"}


def build_past_the_validator(root: Path, site_dir: Path, hostile: set[str]) -> Path:
    """Build `root` as `commons build` does, but with the validator's refusals of the `hostile` files set aside."""
    report = validate_repository(root, keep_entries=True)
    refused = {p.path for p in report.problems if p.is_error}
    assert refused <= hostile, f"the copy has problems outside the hostile files: {sorted(refused - hostile)}"
    s = state.state_from_entries(root, report.entries, file_dates(root))
    site_dir.mkdir(parents=True)
    build_site(root, site_dir, s)
    return site_dir


# ---------------------------------------------------------------------------------------------------------
# The built site, its pages parsed

@dataclass
class Built:
    root: Path
    dir: Path
    server: SiteServer
    pages: dict[str, LexborHTMLParser] = field(default_factory=dict)  # site-relative URL ("" for home) → tree

    def url_of(self, rel_file: str) -> str:
        return "" if rel_file == "index.html" else rel_file.removesuffix("index.html")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    tmp = tmp_path_factory.mktemp("hostile")
    root = copy_repository(tmp / "repo")
    site_dir = build_past_the_validator(root, tmp / "site", add_hostile_content(root))
    b = Built(root, site_dir, SiteServer(site_dir, SUB_PATH))
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        b.pages[b.url_of(rel) if rel.endswith("index.html") else rel] = LexborHTMLParser(path.read_text("utf-8"))
    yield b
    b.server.close()


def redirect_pages(root: Path) -> set[str]:
    """Where the site must have a redirect page: short links, patterns' old names, abolished councils."""
    out = set()
    for p in pattern_files(root):
        out |= {f"p/{p.id}/"} | {f"patterns/{alias}/" for alias in p.aliases}
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
                     r"|commons\.js|search\.js)")


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
            assert moved == " ".join(f"Moved: {h.title} - {SITE_NAME}".split())


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


# ---------------------------------------------------------------------------------------------------------
# Material's templates and scripts, as overridden

_GENERATED = re.compile(r"\A\{#-\n  This file was automatically generated - do not edit\n-#\}\n")
_OUR_NOTE = re.compile(r"\A\{#-.*?-#\}\n", re.S)
# Each of Material's templates we override is Material's own with exactly these changes: every title and link
# escaped. A title may be HTML (from a heading), so it is made text with `striptags` first.
THEME_EDITS = {
    "partials/toc-item.html": [
        ("{{ toc_item.url }}", "{{ toc_item.url | e }}"),
        ("{{ toc_item.typeset.title }}", "{{ toc_item.typeset.title | striptags | e }}"),
        ("{{ toc_item.title }}", "{{ toc_item.title | striptags | e }}"),
    ],
    "partials/content.html": [
        ("{{ page.title | d(config.site_name, true)}}", "{{ page.title | d(config.site_name, true) | e }}"),
    ],
    "partials/actions.html": [
        ("{{ page.edit_url }}", "{{ page.edit_url | e }}"),
        ("{{ page.edit_url | replace(part, 'raw') }}", "{{ page.edit_url | replace(part, 'raw') | e }}"),
    ],
    "partials/nav-item.html": [
        ("{{ config.extra.status[type] }}", "{{ config.extra.status[type] | e }}"),
        ("{{ nav_item.typeset.title }}", "{{ nav_item.typeset.title | striptags | e }}"),
        ("{{ nav_item.title }}", "{{ nav_item.title | striptags | e }}"),
        ("{{ nav_item.meta.subtitle }}", "{{ nav_item.meta.subtitle | e }}"),
        ("{{ first.url | url }}", "{{ first.url | url | e }}"),
        ("{{ index.url | url }}", "{{ index.url | url | e }}"),
        ("{{ nav_item.url | url }}", "{{ nav_item.url | url | e }}"),
    ],
    "partials/footer.html": [
        ("{{ page.previous_page.url | url }}", "{{ page.previous_page.url | url | e }}"),
        ("{{ page.next_page.url | url }}", "{{ page.next_page.url | url | e }}"),
        ("{{ page.previous_page.title | e }}", "{{ page.previous_page.title | striptags | e }}"),
        ("{{ page.next_page.title | e }}", "{{ page.next_page.title | striptags | e }}"),
        ("{{ page.previous_page.title }}", "{{ page.previous_page.title | striptags | e }}"),
        ("{{ page.next_page.title }}", "{{ page.next_page.title | striptags | e }}"),
    ],
    "partials/path-item.html": [
        ("{{ nav_item.title }}", "{{ nav_item.title | striptags | e }}"),
        ("{{ first.url | url }}", "{{ first.url | url | e }}"),
        ("{{ nav_item.url | url }}", "{{ nav_item.url | url | e }}"),
    ],
}


@pytest.mark.parametrize("name", list(THEME_EDITS))
def test_an_overridden_theme_template_is_materials_with_its_values_escaped(name: str) -> None:
    material = (MATERIAL / name).read_text(encoding="utf-8")
    assert _GENERATED.match(material), f"Material's {name} has changed its form; look at the override again"
    expected = _GENERATED.sub("", material)
    for old, new in THEME_EDITS[name]:
        assert old in expected, f"Material's {name} no longer prints {old}: look at the override again"
        expected = expected.replace(old, new)
    ours = (OVERRIDES / name).read_text(encoding="utf-8")
    assert _OUR_NOTE.match(ours), f"docs/overrides/{name} should say why it overrides Material's"
    assert _OUR_NOTE.sub("", ours) == expected


def _inline_scripts(name: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", (MATERIAL / name).read_text(encoding="utf-8"), re.S)


def _code(asset: str) -> str:
    return "".join(line for line in (ASSETS / asset).read_text(encoding="utf-8").splitlines(keepends=True)
                   if not line.startswith("//")).strip()


def test_materials_inline_scripts_are_the_sites_files() -> None:
    head, = _inline_scripts("partials/javascripts/base.html")
    scope = '"{{ config.extra.scope | d(base_url) }}"'
    assert head.count(scope) == 1
    assert _code("material-head.js") == head.replace(scope, "document.currentScript.dataset.mdScope")
    assert _code("material-content.js") == _inline_scripts("partials/javascripts/content.html")[-1]


# ---------------------------------------------------------------------------------------------------------
# In Chromium, under the base path the site was built for



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


REAL = Path(__file__).resolve().parents[1]
PAGE_TYPES = {
    "home": "",
    "pattern": "patterns/report-a-missed-bin/",
    "case study": f"case-studies/{_first(REAL, 'case-studies')}/",
    "playbook": f"playbooks/{_first(REAL, 'playbooks')}/",
    "session": f"sessions/{_first(REAL, 'sessions', '*/*.md')}/",
    "council": "councils/hackney/",
    "patterns index": "patterns/",
    "councils index": "councils/",
    "dashboard": "dashboard/",
    "search": "search/?q=missed bin",
    "maintainers' page": "about/",
    "404": "there-is-no-page-here/",
    "redirect": "p/1/",
}
# The hostile entries' and maintainers' pages, and some that list them or lead to them.
HOSTILE_PAGES = [h.url for h in ENTRIES] + [p.removesuffix(".md") + "/" for p in (HEADING_PAGE, TITLED_PAGE)] + [
    "", "patterns/", "councils/hackney/", "p/900/"]


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_nothing_contributed_runs_or_redirects(watched: Watched, built: Built, url: str) -> None:
    watched.visit(built.server.url(url))
    for _ in range(3):  # an injected autofocus or onfocus would fire as focus moves
        watched.page.keyboard.press("Tab")
    watched.unharmed()
    final = watched.page.url
    assert final.startswith(built.server.base), final
    if url.startswith("p/"):
        assert final == built.server.url("patterns/hostile-script/")
    else:
        assert final == built.server.url(url), f"{url} went to {final}"
    assert not watched.violations, watched.violations  # nothing was even tried


def test_search_shows_hostile_titles_as_text(watched: Watched, built: Built) -> None:
    watched.visit(built.server.url("search/?q=pwned"))
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
def test_the_policy_refuses_an_inline_script_on_every_page_type(watched: Watched, built: Built, name: str) -> None:
    sent = _with_an_inline_script(watched, built.server.url(PAGE_TYPES[name]), keep_policy=True)
    assert POLICY_TAG.findall(sent) == [csp.meta_tag()], f"{name} does not carry the policy"
    assert "commons-test: the inline script ran" not in watched.console
    assert any(v.startswith("commons-test violation: script-src-elem inline ") for v in watched.violations), \
        watched.console
    if name != "redirect":
        assert watched.page.evaluate("document.head.children[1].outerHTML") == csp.meta_tag()
        assert watched.page.evaluate("typeof window.inlineRan") == "undefined"


@pytest.mark.parametrize("name", ["pattern", "redirect"])
def test_without_the_policy_the_inline_script_runs(watched: Watched, built: Built, name: str) -> None:
    """The check above can see a script run."""
    _with_an_inline_script(watched, built.server.url(PAGE_TYPES[name]), keep_policy=False)
    assert "commons-test: the inline script ran" in watched.console
    assert not watched.violations


def _wait_for_search(page: Page) -> int:
    status = page.wait_for_function("""() => { const t = document.querySelector('#commons-search-status').textContent;
        return /^(\\d+ results?|No results|Search could not start)/.test(t) && t; }""").json_value()
    m = re.match(r"(\d+) results?", status)
    assert m or status.startswith("No results"), status
    return int(m.group(1)) if m else 0


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_page_type_works_under_the_policy(watched: Watched, built: Built, name: str) -> None:
    watched.visit(built.server.url(PAGE_TYPES[name]), settle=name == "redirect")
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
        assert page.url == built.server.url("patterns/report-a-missed-bin/")
    assert page.evaluate("document.documentElement.classList.contains('js')"), "Material's script did not run"
    assert page.evaluate("__md_scope.href") == built.server.base, "material-head.js did not run"
    page.wait_for_load_state("networkidle")
    assert not watched.violations, f"{name}: {watched.violations}"
    watched.unharmed()
