"""Page sources made from the Catalog: entry pages, index pages, council pages and redirects.

Plain functions, callable without MkDocs. An entry page is its contributor's
Markdown body under front matter that *we* write (template, title, which
entry it is), so nothing a contributor writes can choose its template or
turn on macros. Redirects are small static HTML files with relative links,
so they work at a domain's root and under a sub-path.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from commons.content import urls
from commons.content.model import Catalog
from commons.content.register import Register
from commons.site import csp


@dataclass(frozen=True)
class PageSource:
    uri: str  # path under the site's source, e.g. patterns/report-a-missed-bin.md or p/3/index.html
    content: str
    kind: str = ""  # the entry kind, for pages that show one entry
    key: str = ""  # the entry's key in the Catalog
    template: str = ""  # a generated Markdown page's template
    macros: bool = False  # whether it runs the macros (only a maintainers' introduction does)


def _markdown_page(uri: str, kind: str, key: str, title: str, template: str, description: str = "",
                   body: str = "", macros: bool = False) -> PageSource:
    """A generated page. Only a maintainers' introduction is ever given `macros` (mkdocs-macros' render_macros):
    a contributed body never is, so it never runs as a template."""
    meta: dict[str, str | bool] = {"title": title, "template": template, "commons_kind": kind, "commons_key": key}
    if description:
        meta["description"] = description
    if macros:
        meta["render_macros"] = True
    return PageSource(uri, f"---\n{front_matter(meta)}\n---\n\n{body}\n", kind, key, template, macros)


# Characters YAML reads as line breaks or refuses as unprintable, even inside a quoted string.
_NOT_YAML_TEXT = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def front_matter(meta: dict[str, str | bool]) -> str:
    """`meta` as one line of YAML: a JSON object (JSON is YAML), many times quicker to write than yaml.dump."""
    text = json.dumps(meta, sort_keys=True, ensure_ascii=False)
    return _NOT_YAML_TEXT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def entry_pages(catalog: Catalog) -> list[PageSource]:
    """One page per entry and per current council, each at its address in commons.content.urls."""
    pages: list[PageSource] = []
    for p in catalog.patterns.values():
        pages.append(_markdown_page(urls.page_source(p.url), "pattern", p.slug, p.title, "pattern.html",
                                    p.summary, p.body))
    for c in catalog.case_studies.values():
        pages.append(_markdown_page(urls.page_source(c.url), "case-study", c.slug, c.title,
                                    "case-study.html", c.summary, c.body))
    for b in catalog.playbooks.values():
        pages.append(_markdown_page(urls.page_source(b.url), "playbook", b.slug, b.title, "playbook.html",
                                    b.summary, b.body))
    for s in catalog.sessions.values():
        pages.append(_markdown_page(urls.page_source(s.url), "session", s.key, s.title,
                                    "session.html", f"{s.event}: {s.title}", s.body))
    for council in catalog.councils.values():
        pages.append(_markdown_page(urls.page_source(council.url), "council", council.code, council.name,
                                    "council.html", f"{council.name}: patterns, case studies and Local "
                                    "Digital Declaration commitments"))
    return pages


# What each page in commons.content.urls.INDEX_PAGES is: kind, title, template, description.
_INDEX_PAGES = {
    urls.INDEX["pattern"]: ("patterns", "Patterns", "index-patterns.html",
                            "Reusable answers to service problems councils keep meeting."),
    urls.INDEX["case-study"]: ("case-studies", "Case studies", "index-case-studies.html",
                               "What councils actually did, with outcomes in numbers."),
    urls.INDEX["playbook"]: ("playbooks", "Playbooks", "index-playbooks.html",
                             "Step-by-step guides to doing something well."),
    urls.INDEX["session"]: ("sessions", "Sessions", "index-sessions.html",
                            "Unconference sessions and the patterns they discussed."),
    urls.INDEX["council"]: ("councils", "Councils", "index-councils.html",
                            "Every council in the UK, what it has adopted and what it has committed to."),
    urls.DASHBOARD: ("dashboard", "Declaration dashboard", "dashboard.html",
                     "Local Digital Declaration commitments by principle, status, nation, region and council type."),
    urls.MARKET: ("market", "Market", "market.html",
                  "Which councils run which systems from whom, when their contracts end, and which councils could "
                  "buy together."),
    urls.COLLABORATE: ("collaborate", "Work together", "collaborate.html",
                       "Councils doing the same work now who are not yet partners in it, and who to ask."),
    urls.SOURCES: ("sources", "Councils' own repositories", "sources.html",
                   "The councils that keep their records in their own repositories: the version the site shows "
                   "and whether it is up to date."),
}
# uri, kind, title, template, description, in the order of urls.INDEX_PAGES (a page missing above fails here)
INDEXES = tuple((urls.page_source(url), *_INDEX_PAGES[url]) for url in urls.INDEX_PAGES)


# docs/introductions/<kind>.md: the maintainers' Markdown an index page opens with (the dashboard's), which may
# use the macros (commons.site.macros). The folder is left out of the docs' own pages (exclude_docs).
INTRODUCTIONS = "introductions"


def index_pages(root: Path) -> list[PageSource]:
    pages = []
    for uri, kind, title, template, description in INDEXES:
        intro = root / "docs" / INTRODUCTIONS / f"{kind}.md"
        body = intro.read_text(encoding="utf-8") if intro.is_file() else ""
        pages.append(_markdown_page(uri, kind, "", title, template, description, body, macros=bool(body)))
    return pages


def redirect_html(from_dir: str, to_dir: str, title: str, was: str = "", moved: bool = True) -> str:
    """A static page at `from_dir/index.html` sending readers (and search engines) to `to_dir/`, titled
    "Moved: `was` → `title`" (a short link "Short link `was` → `title`"), so no two redirects share a title.

    The target is a relative path within the site, written to start with `./` or `../`, so no folder
    name can make it read as a scheme (`javascript:`) or another host (`//`); every value is escaped,
    and the page carries the site's Content-Security-Policy like every other.
    """
    target = posixpath.relpath(to_dir, from_dir) + "/"
    if not target.startswith("../"):
        target = "./" + target
    t, name = html.escape(target, quote=True), html.escape(title, quote=True)
    old = html.escape(was or "/" + from_dir.strip("/") + "/", quote=True)
    heading = "This page has moved" if moved else "This is a short link"
    return (
        f"<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n{csp.meta_tag()}\n"
        f"<title>{'Moved' if moved else 'Short link'}: {old} \u2192 {name} - Council Commons</title>\n"
        f"<link rel=\"canonical\" href=\"{t}\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={t}\">\n"
        "<meta name=\"robots\" content=\"noindex\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"</head>\n<body>\n<main>\n<h1>{heading}</h1>\n"
        f"<p>It is now <a href=\"{t}\">{name}</a>.</p>\n</main>\n</body>\n</html>\n"
    )


def redirect_pages(catalog: Catalog, register: Register | None = None) -> list[PageSource]:
    """Short links for every pattern and session, former slugs of renamed patterns, and abolished councils (named
    as the register names them, when it is given; by their old address otherwise)."""
    pages = []
    for pid, slug in sorted(catalog.pattern_ids.items()):
        pages.append(_redirect(urls.pattern_short(pid), urls.pattern(slug), catalog.patterns[slug].title,
                               moved=False))
    for s in sorted(catalog.sessions.values(), key=lambda s: s.id):
        pages.append(_redirect(s.short_url, s.url, s.title, moved=False))
    for alias, slug in catalog.aliases.items():
        pages.append(_redirect(urls.pattern(alias), urls.pattern(slug), catalog.patterns[slug].title))
    for old_slug, successors in sorted(catalog.abolished.items()):
        if not successors:
            continue
        # A council replaced by several goes to the first; its page lists the others.
        first = catalog.councils[successors[0]]
        old = register.by_slug.get(old_slug) if register is not None else None
        pages.append(_redirect(urls.council(old_slug), first.url, first.name, old.name if old else ""))
    return pages


def _redirect(from_url: str, to_url: str, title: str, was: str = "", moved: bool = True) -> PageSource:
    return PageSource(urls.static_page(from_url),
                      redirect_html(from_url.rstrip("/"), to_url.rstrip("/"), title, was, moved))
