"""What templates see: formatting filters, the addresses of the index pages, and each page's view and edit link.

Templates print fields and loop. What a page prints is computed before it renders, by the view of its
template (VIEWS, from commons.site.views), in plain functions that tests can call; the page gets it as
`view`. Every template of ours is escaped (AUTOESCAPED), so whatever a view holds is printed as text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from commons.content import urls
from commons.content.model import Catalog
from commons.site import csp, frame
from commons.site.state import SiteState
from commons.site.views import collaborate, council, dashboard, entries, home, indexes, market, sources
from commons.site.views.parts import SiteLinks


def long_date(day: dt.date | None) -> str:
    """21 November 2026."""
    return f"{day.day} {day:%B %Y}" if day else ""


def month_year(day: dt.date | None) -> str:
    return f"{day:%B %Y}" if day else ""


def number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


# Our templates print contributors' text, so Jinja escapes everything they print. MkDocs turns
# autoescaping off for themes, and Material's own templates rely on that, so it is on for ours only.
AUTOESCAPED = frozenset({
    "404.html", "case-study.html", "council.html", "dashboard.html", "home.html", "index-case-studies.html",
    "index-councils.html", "index-patterns.html", "index-playbooks.html", "index-sessions.html", "market.html",
    "pattern.html", "collaborate.html",
    "playbook.html", "search.html", "session.html", "sources.html", "partials/commons.html",
    "partials/filters.html", "partials/pattern-systems.html", "partials/header.html", "partials/copyright.html",
    "partials/source.html", "partials/neighbours.html",
})


def autoescape_ours(previous: Any) -> Any:
    def decide(name: str | None) -> bool:
        if name in AUTOESCAPED:
            return True
        return bool(previous(name)) if callable(previous) else bool(previous)

    return decide


def publish(env: Any, s: SiteState, config: MkDocsConfig) -> None:
    env.autoescape = autoescape_ours(env.autoescape)
    env.bytecode_cache = compiled_template_cache(env, s.root / ".cache")
    env.filters["long_date"] = long_date
    env.filters["month_year"] = month_year
    env.filters["number"] = number
    env.globals["catalog"] = s.catalog
    env.globals["index_url"] = {**urls.INDEX, "dashboard": urls.DASHBOARD}  # for links to the index pages
    env.globals["frame"] = frame.Frame()
    env.globals["content_security_policy"] = Markup(csp.meta_tag())  # printed first in every <head>


def compiled_template_cache(env: Any, cache: Path) -> jinja2.BytecodeCache | None:
    """Keep the theme's templates compiled between builds, as Python keeps modules in __pycache__.

    Compiling Material's templates was a tenth of a build at a thousand entries. Jinja checks each
    template's source against its cached code; the folder is named after everything else the compiled
    code depends on (Jinja's version, the environment's syntax settings and extensions, and which
    templates are escaped), so a change to any of them starts a new folder. None (compile every build)
    if the cache cannot be written.
    """
    settings = (jinja2.__version__, env.block_start_string, env.variable_start_string, env.comment_start_string,
                env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                env.newline_sequence, env.keep_trailing_newline, env.optimized, sorted(env.extensions),
                sorted(AUTOESCAPED), env.autoescape(None))
    folder = cache / "templates" / hashlib.sha256(repr(settings).encode("utf-8")).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def card_qr_codes(c: Catalog, config: MkDocsConfig) -> list[tuple[str, str]]:
    """Every pattern's printed-card QR code (entries.card_qr_code), to make them all ahead (commons.site.qr)."""
    return [entries.card_qr_code(config.site_url or "", p) for p in c.patterns.values()]


# The views of the templates of pages that list entries and show no one entry: each is all its page prints from
# the state (the page's own Markdown aside), so `commons serve` renders such a page again only when its view
# differs from the last build's (SiteState.listing_views). A view holds the fields it prints, not whole entries,
# where the entries' other fields change often (commons.site.views.indexes).
ListingView = Callable[[SiteState], object]
LISTING_VIEWS: Mapping[str, ListingView] = {
    "index-patterns.html": lambda s: indexes.patterns_index(s.catalog),
    "index-case-studies.html": lambda s: indexes.case_studies_index(s.catalog),
    "index-playbooks.html": lambda s: indexes.playbooks_index(s.catalog),
    "index-sessions.html": lambda s: indexes.sessions_index(s.catalog),
    "index-councils.html": lambda s: indexes.councils_index(s.catalog),
    "dashboard.html": lambda s: dashboard.dashboard_page(s.catalog, s.progress),
    "market.html": lambda s: market.market_page(s.catalog),
    "collaborate.html": lambda s: collaborate.collaborate_page(s.catalog, s.opportunities),
    "sources.html": lambda s: sources.sources_page(s.root, s.catalog, shown=s.sources),
}

# The view of each of our templates: what the page prints, computed from the state (commons.site.views),
# given the page's entry key ("" for a page that shows no one entry).
PageView = Callable[[SiteState, str, SiteLinks], object]


def _listing(view: ListingView) -> PageView:
    return lambda s, key, site: view(s)


VIEWS: Mapping[str, PageView] = {
    **{template: _listing(view) for template, view in LISTING_VIEWS.items()},
    "home.html": lambda s, key, site: home.home_page(s),
    "pattern.html": lambda s, key, site: entries.pattern_page(s.catalog, s.catalog.patterns[key], site, s.neighbours),
    "case-study.html": lambda s, key, site: entries.case_study_page(s.catalog, s.catalog.case_studies[key]),
    "playbook.html": lambda s, key, site: entries.playbook_page(s.catalog, s.catalog.playbooks[key]),
    "session.html": lambda s, key, site: entries.session_page(s.catalog, s.catalog.sessions[key], site),
    "council.html": lambda s, key, site: council.council_page(s.catalog, s.catalog.councils[key], s.progress,
                                                              s.sources.get(s.catalog.councils[key].code),
                                                              s.neighbours),
}


def _entries(c: Catalog) -> Mapping[str, Mapping[str, Any]]:
    """The Catalog's entries of each kind a generated page can show, by their key in its front matter."""
    return {"pattern": c.patterns, "case-study": c.case_studies, "playbook": c.playbooks, "session": c.sessions,
            "council": c.councils}


def site_links(config: MkDocsConfig) -> SiteLinks:
    return SiteLinks(config.site_url or "", config.extra.get("commons", {}).get("discussions", ""))


def page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, s: SiteState) -> None:
    """Give a page its entry (None for a page that shows no one entry), its view, and its edit link."""
    kind = page.meta.get("commons_kind", "")
    key = page.meta.get("commons_key", "")
    entries = _entries(s.catalog).get(kind)
    entry: Any = entries[key] if entries is not None else None
    context["entry"] = entry
    context["kind"] = kind
    view = VIEWS.get(page.meta.get("template", ""))
    if page.file.src_uri in s.listing_views:  # made by `commons serve` to tell whether the page changed
        context["view"] = s.listing_views[page.file.src_uri]
    else:
        context["view"] = view(s, key, site_links(config)) if view else None
    commons = config.extra.get("commons", {})
    repo, branch = commons.get("repository", ""), commons.get("branch", "main")
    path = getattr(entry, "path", None) if entry is not None else None
    if path and path in s.edit_urls:  # kept in the council's own repository: edited there
        page.edit_url = s.edit_urls[path] or None
    elif not repo:
        page.edit_url = None
    elif path:
        page.edit_url = f"{repo}/edit/{branch}/{path}"
    elif kind == "council":
        page.edit_url = None  # a council without a folder: its page says how to start one
    elif kind:
        page.edit_url = None  # generated index pages have no source file
    else:
        page.edit_url = f"{repo}/edit/{branch}/docs/{page.file.src_uri}"
    # A council's commitments are in its declaration.yml, edited there as its profile is in council.yml.
    commitments = getattr(entry, "commitments", ()) if kind == "council" else ()
    declaration = commitments[0].path if commitments else ""
    context["declaration_edit_url"] = s.edit_urls[declaration] if declaration in s.edit_urls else \
        f"{repo}/edit/{branch}/{declaration}" if repo and declaration else ""
