"""What the MkDocs hooks need for one build: the Catalog, its pages and its dates, made once.

Lives in a normal module (not the hooks file, which MkDocs re-imports on
every configuration load) so that `commons serve` can keep it between builds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from commons.content.load import RawEntry
from commons.content.model import Catalog, build_catalog
from commons.content.problems import Problem, format_text, summary_line
from commons.content.register import load_register
from commons.content.validate import validate_repository
from commons.site.history import FileDates, file_dates
from commons.site.pages import PageSource, entry_pages, index_pages, redirect_pages
from commons.site.progress import NO_PROGRESS, Progress, declaration_progress


class ContentProblems(Exception):
    """The content did not validate; the message is the validator's own output."""

    def __init__(self, problems: list[Problem], files: int):
        self.problems = problems
        super().__init__(format_text(problems) + "\n" + summary_line(problems, files))


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

    def changed(self, path: str) -> dt.date | None:
        d = self.dates.get(path)
        return d.changed if d else None

    def added(self, path: str) -> dt.date | None:
        d = self.dates.get(path)
        return d.added if d else None


def build_state(root: Path, today: dt.date | None = None) -> SiteState:
    """Validate everything and make the Catalog; raises ContentProblems on any error."""
    report = validate_repository(root, keep_entries=True)
    if report.errors:
        raise ContentProblems(report.problems, report.files)
    return state_from_entries(root, report.entries, file_dates(root), today)


def state_from_entries(root: Path, entries: list[RawEntry], dates: dict[str, FileDates],
                       today: dt.date | None = None) -> SiteState:
    """The state for validated entries."""
    register = load_register(root / "data" / "uk-local-authorities.csv")
    # "Today" is the newest commit's date when there is history, so a build of a commit is the same
    # whenever it runs; staleness is judged as of that commit.
    today = today or max((d.changed for d in dates.values()), default=None) or dt.date.today()
    catalog = build_catalog(entries, register, today)
    pages = index_pages() + entry_pages(catalog)
    state = SiteState(root, catalog, dates, pages, redirect_pages(catalog), today,
                      progress=declaration_progress(root))  # kept between `commons serve` rebuilds
    state.by_uri = {p.uri: p for p in pages}
    return state


class GeneratedFile(File):
    """A generated page that says whether it needs rendering, so an incremental build skips the rest."""

    modified: bool = True

    def is_modified(self) -> bool:
        return self.modified


def generated_file(page: PageSource, config: MkDocsConfig, s: SiteState) -> File:
    """The MkDocs file of a generated page."""
    f = GeneratedFile.generated(config, page.uri, content=page.content)
    assert isinstance(f, GeneratedFile)
    f.modified = s.modified is None or page.uri in s.modified
    return f


def ensure(root: Path) -> SiteState:
    """The state for this build: made afresh unless `commons serve` has already made it for this change."""
    if _prepared is not None and _prepared.root == root:
        return _prepared
    return build_state(root)


_current: SiteState | None = None
_prepared: SiteState | None = None  # set by `commons serve`, which updates it incrementally


def prepare(s: SiteState | None) -> None:
    global _prepared
    _prepared = s


def current() -> SiteState:
    if _current is None:
        raise RuntimeError("the site state is made in on_config")
    return _current


def set_current(state: SiteState) -> None:
    global _current
    _current = state
