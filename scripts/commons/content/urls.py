"""The one URL scheme: where each kind of entry's page lives, relative to the site's root.

Every address ends in `/` (the site is built with directory URLs) and never starts with one, so it can be
joined to the site's own address or to a base path. The model, the pull-request summary, the page sources
and the open data all take their addresses from here (as Material's blog plugin takes every page path
from one family of functions).
"""

from __future__ import annotations

# content type name -> the folder of its index page on the site
INDEX = {
    "pattern": "patterns/",
    "case-study": "case-studies/",
    "playbook": "playbooks/",
    "session": "sessions/",
    "council": "councils/",
    "commitment": "councils/",
    "contract": "councils/",
}
DASHBOARD = "dashboard/"
MARKET = "market/"  # who buys which systems from whom, and when councils could buy together
COLLABORATE = "collaborate/"  # opportunities to work together: councils doing the same work, not yet partners
SOURCES = "sources/"  # councils' own repositories (federation): each source's pin and whether it is up to date
SHORT_PATTERN = "p/"  # short links to patterns by their permanent id: p/<id>/
SHORT_SESSION = "s/"  # short links to sessions by their permanent id: s/<id>/

# The pages made from the Catalog rather than from a file: each kind's index, then the dashboard, the market and
# the sources.
# Their titles and templates are the site's (commons.site.pages); their sources are INDEX_SOURCES, below.
INDEX_PAGES: tuple[str, ...] = (*dict.fromkeys(INDEX.values()), DASHBOARD, MARKET, COLLABORATE, SOURCES)


def pattern(slug: str) -> str:
    return f"{INDEX['pattern']}{slug}/"


def pattern_short(pattern_id: int | str) -> str:
    """The short link that keeps working when a pattern is renamed (GovCamp notes use these)."""
    return f"{SHORT_PATTERN}{pattern_id}/"


def case_study(slug: str) -> str:
    return f"{INDEX['case-study']}{slug}/"


def playbook(slug: str) -> str:
    return f"{INDEX['playbook']}{slug}/"


def session(event_slug: str, slug: str) -> str:
    return f"{INDEX['session']}{event_slug}/{slug}/"


def session_short(session_id: int | str) -> str:
    """The short link that keeps working when a session is renamed or moved to another event's folder (printed
    on its card and put on the wall)."""
    return f"{SHORT_SESSION}{session_id}/"


def council(slug: str) -> str:
    return f"{INDEX['council']}{slug}/"


def commitment(council_slug: str, commitment_id: str) -> str:
    """A commitment has no page of its own: it is a section of its council's page."""
    return f"{council(council_slug)}#{commitment_id}"


def contract(council_slug: str, contract_id: str) -> str:
    """A contract is a row of its council's page's table of contracts."""
    return f"{council(council_slug)}#contract-{contract_id}"


def entry(kind: str, slug: str, folder: str = "") -> str:
    """The page of an entry of content type `kind` (a schema name). `folder` is the council's slug for a
    council or commitment file and the event's slug for a session; `slug` is the file's own slug."""
    if kind in ("council", "commitment", "contract"):
        return council(folder)
    if kind == "session":
        return session(folder, slug)
    return f"{INDEX[kind]}{slug}/"


def page_source(url: str) -> str:
    """The Markdown file MkDocs makes the page at `url` from: `patterns/x/` <- `patterns/x.md`, and an
    index `patterns/` <- `patterns/index.md`."""
    stem = url.rstrip("/")
    return f"{stem}/index.md" if url in INDEX_PAGES else f"{stem}.md"


def static_page(url: str) -> str:
    """The file of a page written as HTML rather than made from Markdown (a redirect): `p/3/` <- `p/3/index.html`."""
    return f"{url}index.html"


# The source of every page in INDEX_PAGES, in the same order: the files the site has without a file on disk.
INDEX_SOURCES: tuple[str, ...] = tuple(page_source(url) for url in INDEX_PAGES)
