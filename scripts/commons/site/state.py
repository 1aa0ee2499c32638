"""What the MkDocs hooks need for one build: the Catalog, its pages and its dates, made once.

A plain value: the build's scope (commons.site.build_scope) hands it to the hooks, and `commons serve`
makes a new one after each edit from the entries it keeps. Content with problems is refused here, as a
CommonsError whose details are the validator's own output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from commons.analysis.documents import docs_of_entries
from commons.analysis.neighbours import Neighbours
from commons.analysis.opportunities import Opportunity, opportunities
from commons.content.load import RawEntry
from commons.content.model import Catalog, build_catalog
from commons.content.problems import Problem, format_text, summary_line
from commons.content.register import load_register
from commons.content.validate import validate_repository
from commons.errors import CommonsError
from commons.site.history import FileDates, file_dates, sourced_dates
from commons.site.pages import PageSource, entry_pages, index_pages, redirect_pages
from commons.site.progress import NO_PROGRESS, Progress, declaration_progress
from commons.sources.config import LOCK_FILE
from commons.sources.records import Records, SourcedCouncil, gather, restore_missing

NOTHING_BUILT = "fix the problems above; nothing was built."


def content_problems(problems: list[Problem], files: int) -> CommonsError:
    """The error a build stops with when the content has errors: the problems and the summary line, as the
    validator prints them, are its details (printed first, on standard output)."""
    return CommonsError(NOTHING_BUILT, details=format_text(problems) + "\n" + summary_line(problems, files))


@dataclass
class SiteState:
    root: Path
    catalog: Catalog
    dates: dict[str, FileDates]
    pages: list[PageSource]
    redirects: list[PageSource]
    today: dt.date
    by_uri: dict[str, PageSource] = field(default_factory=dict)
    # Pages (by uri) to render in this build; None renders all. `commons serve` narrows it after an edit.
    modified: set[str] | None = None
    progress: Progress = NO_PROGRESS  # Declaration commitments by status by month, from git history
    # Councils kept in their own repositories (by code), and where each of their files is edited (by its path here).
    sources: dict[str, SourcedCouncil] = field(default_factory=dict)
    edit_urls: dict[str, str] = field(default_factory=dict)
    # Every pattern's, case study's and commitment's nearest entries by type (commons.analysis.neighbours),
    # made once per build; `commons serve` updates the last build's.
    neighbours: Neighbours = field(default_factory=Neighbours)
    # The groups of councils that could work together (commons.analysis.opportunities), from the neighbours: made
    # once, for the /collaborate/ page and api/v1/collaborate.json alike.
    opportunities: list[Opportunity] = field(default_factory=list)
    # The generated pages' MkDocs files (by uri), each with its page: `commons serve` hands the last build's to the
    # next, which reuses those of the pages it does not render and whose source is the same (`generated_file`).
    made_files: dict[str, GeneratedFile] = field(default_factory=dict)
    # The views of the pages that list entries (commons.site.templating.LISTING_VIEWS), by uri: `commons serve`
    # makes them before a rebuild, to render only the pages whose view changed, which then print these.
    listing_views: dict[str, object] = field(default_factory=dict)

    def changed(self, path: str) -> dt.date | None:
        d = self.dates.get(path)
        return d.changed if d else None

    def added(self, path: str) -> dt.date | None:
        d = self.dates.get(path)
        return d.added if d else None


def build_state(root: Path, today: dt.date | None = None) -> SiteState:
    """Validate everything, councils' own repositories included (a locked commit the cache lacks is fetched
    first), and make the Catalog; raises content_problems() on any error."""
    records = sourced_records(root)
    report = validate_repository(root, keep_entries=True, sourced=records.sourced)
    if report.errors:
        raise content_problems(report.problems, report.files)
    dates = file_dates(root)
    if records.councils:  # "today" stays this repository's newest commit: a source's dates do not move it
        today = today or max((d.changed for d in dates.values()), default=None) or dt.date.today()
        dates = {**dates, **sourced_dates(records)}
    return state_from_entries(root, report.entries, dates, today, records=records)


def sourced_records(root: Path) -> Records:
    """The locked sources' files (none, at the cost of one stat, without a sources.lock). Raises CommonsError
    naming a source whose pinned commit can be neither found in the cache nor fetched."""
    if not (root / LOCK_FILE).exists():
        return Records()
    register = load_register(root / "data" / "uk-local-authorities.csv")
    restore_missing(root, register)
    return gather(root, register, strict=True)


def state_from_entries(root: Path, entries: list[RawEntry], dates: dict[str, FileDates],
                       today: dt.date | None = None, progress: Progress | None = None,
                       records: Records | None = None, neighbours: Neighbours | None = None) -> SiteState:
    """The state for validated entries; the Declaration progress is read from git unless it is given
    (`commons serve` keeps it between rebuilds), and the neighbours are `neighbours` (the last build's)
    updated, or made afresh. `records`: the councils kept in their own repositories."""
    register = load_register(root / "data" / "uk-local-authorities.csv")
    # "Today" is the newest commit's date when there is history, so a build of a commit is the same
    # whenever it runs; staleness is judged as of that commit.
    today = today or max((d.changed for d in dates.values()), default=None) or dt.date.today()
    catalog = build_catalog(entries, register, today)
    pages = index_pages(root) + entry_pages(catalog)
    records = records or Records()
    state = SiteState(root, catalog, dates, pages, redirect_pages(catalog, register), today,
                      progress=declaration_progress(root) if progress is None else progress,
                      sources=records.councils, edit_urls={p: r.edit_url for p, r in records.by_path().items()})
    state.by_uri = {p.uri: p for p in pages}
    docs = docs_of_entries(entries)
    state.neighbours = neighbours.update(docs) if neighbours is not None else Neighbours.build(docs)
    state.opportunities = opportunities(catalog, state.neighbours)
    return state


class GeneratedFile(File):
    """A generated page that says whether it needs rendering, so an incremental build skips the rest."""

    modified: bool = True

    def is_modified(self) -> bool:
        return self.modified


def generated_file(page: PageSource, config: MkDocsConfig, s: SiteState) -> GeneratedFile:
    """The MkDocs file of a generated page: in a build that renders only some pages, the last build's file (and
    page) when this one does not render it and its source is the same, for making thousands again was a third
    of a rebuild in `commons serve`."""
    modified = s.modified is None or page.uri in s.modified
    kept = s.made_files.get(page.uri)
    if not modified and kept is not None and kept.content_string == page.content:
        kept.modified = False
        return kept
    f = GeneratedFile.generated(config, page.uri, content=page.content)
    assert isinstance(f, GeneratedFile)
    f.modified = modified
    s.made_files[page.uri] = f
    return f


def forget_rendered(s: SiteState) -> None:
    """Let the kept files' pages drop what rendering them left (their Markdown and HTML, and which process of a
    build on two cores had them, commons.site.workers): a page kept is one not rendered again until its source
    changes, when a new one is made."""
    for f in s.made_files.values():
        if f.page is not None:
            # Not None: MkDocs gives a page without Markdown no title, and a kept index page's is in the navigation
            f.page.markdown, f.page.content = "", None
            vars(f.page).pop("here", None)
