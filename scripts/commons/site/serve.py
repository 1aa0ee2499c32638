"""`commons serve`: build once, then rebuild only what an edit affects, and reload the browser.

`Incremental` keeps every parsed entry between builds. After an edit it
re-reads only the files whose size or modification time changed, re-checks
them (and the references across entries, which are cheap), rebuilds the
Catalog, and asks MkDocs for a dirty build in which only the pages whose
inputs changed are rendered: the edited entry, the entries that show it, the
index pages whose lists change, the home page and the dashboard. The open
data (commons.site.exports) is then written again and Pagefind re-indexes the
site, both in the background, so the page is there at once and the open data
and search follow.

Each build is one scope (commons.site.build_scope); what is kept from one to the next
belongs to the session: the entries, the QR codes made in the first build and the
Declaration progress, read again only after a new commit. Councils kept in their own
repositories are read as `commons build` reads them, again only when sources.lock changes
(commons.site.serve_sources).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer

from commons.content import urls
from commons.content.load import Candidate, RawEntry, discover, gc_paused
from commons.content.model import Catalog, Playbook, Session
from commons.content.problems import Problem
from commons.content.register import load_register
from commons.content.schema import CONTENT_FOLDERS
from commons.content.validate import Facts, check_across, check_file
from commons.errors import CommonsError
from commons.site import exports, json_text, mkdocs_api, qr, state, templating
from commons.site.build import build_site, quiet_mkdocs, render
from commons.site.build_scope import BuildScope
from commons.site.history import FileDates, file_dates, sourced_dates
from commons.site.progress import ProgressByCommit
from commons.site.search import index_folder
from commons.site.serve_sources import SourcedCouncils
from commons.sources.config import LOCK_FILE


class _NoDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


@contextmanager
def _dirty_on_purpose() -> Iterator[None]:
    """While open, MkDocs does not warn that the build is dirty: a rebuild is, by design."""
    logger, quiet = logging.getLogger("mkdocs.commands.build"), _NoDirtyWarning()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


@dataclass
class _Known:
    signature: tuple[int, int]  # (mtime_ns, size)
    candidate: Candidate
    entry: RawEntry | None
    problems: list[Problem]
    facts: Facts | None


class Incremental:
    """A site kept up to date with the repository, one edit at a time: a `commons serve` session.

    What it keeps between builds is its own: each file's check, the QR codes made in the first build and
    the Declaration progress. Each build is a scope of its own (commons.site.build_scope).
    """

    def __init__(self, root: Path, site_dir: Path):
        self.root = root
        self.site_dir = site_dir
        self.register = load_register(root / "data" / "uk-local-authorities.csv")
        self.known: dict[str, _Known] = {}
        self.found_problems: list[Problem] = []
        self.state: state.SiteState | None = None
        self.codes = qr.Codes()  # made ahead in the first build; a rebuilt pattern page takes its code from here
        self.progress = ProgressByCommit()  # read again only after a new commit
        self.sourced = SourcedCouncils(root, self.register)  # read again only when sources.lock changes
        self.local_dates: dict[str, FileDates] | None = None
        json_text.remember()  # each open-data item's JSON text, written again only when the item changes
        self._search_lock = threading.Lock()
        self._search_wanted = threading.Event()

    def _refresh(self) -> list[str]:
        """Re-read the files that changed since the last look (and the sources, when sources.lock changed); the
        paths that changed."""
        changed: list[str] = self.sourced.refresh(first=self.state is None and self.sourced.signature is None)
        candidates, self.found_problems = discover(self.root)
        seen: set[str] = set()
        for cand in candidates:
            seen.add(cand.path)
            try:
                st = os.lstat(self.root / cand.path)
            except OSError:
                continue
            signature = (st.st_mtime_ns, st.st_size)
            known = self.known.get(cand.path)
            if known is not None and known.signature == signature:
                continue
            entry, problems, facts = check_file(self.root, cand, self.register)
            self.known[cand.path] = _Known(signature, cand, entry, problems, facts)
            changed.append(cand.path)
        for path in [p for p in self.known if p not in seen]:
            del self.known[path]
            changed.append(path)
        return changed

    def _problems(self) -> list[Problem]:
        problems = list(self.found_problems)
        facts = []
        for k in self.known.values():
            problems += k.problems
            if k.facts is not None:
                facts.append(k.facts)
        here = [k.candidate for k in self.known.values()]
        problems += self.sourced.problems(here)
        problems += check_across(self.root, facts + self.sourced.facts, here)  # council folders: those here
        return sorted(set(self.sourced.shown(problems)))

    def _state(self) -> state.SiteState:
        problems = self._problems()
        if any(p.is_error for p in problems):
            raise state.content_problems(problems, len(self.known) + len(self.sourced.checked))
        entries = [k.entry for k in self.known.values() if k.entry is not None] + self.sourced.entries
        if self.local_dates is None:
            self.local_dates = file_dates(self.root)
        dates, today, records = self.local_dates, None, self.sourced.records
        if records.councils:  # as commons build: "today" stays this repository's newest commit
            today = max((d.changed for d in dates.values()), default=None)
            dates = {**dates, **sourced_dates(records)}
        return state.state_from_entries(self.root, entries, dates, today, progress=self.progress.of(self.root),
                                        records=records, neighbours=self.state.neighbours if self.state else None)

    def checked_state(self) -> state.SiteState:
        """The state of the repository as it is now; raises CommonsError (its details the validator's output)
        when the content has errors."""
        with gc_paused():
            self._refresh()
            return self._state()

    def full_build(self, s: state.SiteState | None = None) -> None:
        """Build the whole site, from `s` (checked_state()) or from the repository as it is now."""
        s = s or self.checked_state()
        build_site(self.root, self.site_dir, s, self.codes)
        state.forget_rendered(s)
        self.state = s

    def rebuild(self, changed_paths: Iterable[str] | None = None) -> float:
        """Bring the site up to date; seconds until the changed pages were written (the open data and search
        follow, `wait_for_search`). Raises
        CommonsError if the content now has errors (the site stays as it was), MkDocsException if MkDocs failed."""
        start = time.perf_counter()
        # The collector stays off for the whole rebuild: the session keeps every entry and page, millions of
        # objects that each full collection would walk again (a rebuild makes few cycles; they wait for the next)
        with gc_paused():
            changed = set(self._refresh()) | set(changed_paths or ())
            if not changed:
                return 0.0
            new = self._state()
            old = self.state
            assert old is not None, "full_build() comes first"
            new.modified = affected_pages(old, new, changed)
            new.made_files = old.made_files
            _remove_gone(self.site_dir, old, new)
            with BuildScope(new, self.codes) as scope, _dirty_on_purpose():
                render(self.root, self.site_dir, dirty=True)
                scope.finish()
        state.forget_rendered(new)
        self.state = new
        seconds = time.perf_counter() - start
        self._follow_soon()
        return seconds

    def _follow_soon(self) -> None:
        """Write the open data of the newest state and re-index search, in the background: the edited page is
        shown first. Only this thread writes the exports (and uses json_text's kept text); a request made while
        it runs is taken up when it finishes, from the state newest then."""
        self._search_wanted.set()
        if self._search_lock.locked():
            return  # the running worker picks the request up when it finishes

        def run() -> None:
            with self._search_lock:
                while self._search_wanted.is_set():
                    self._search_wanted.clear()
                    s = self.state
                    try:
                        if s is not None:
                            with gc_paused():
                                exports.write_all(self.site_dir, s)
                        index_folder(self.site_dir)
                    except OSError as e:
                        print(f"commons serve: the open data could not be written: {e}", file=sys.stderr)
                    except MkDocsException as e:
                        print(f"commons serve: {e}", file=sys.stderr)

        threading.Thread(target=run, daemon=True).start()

    def wait_for_search(self) -> None:
        """Block until the open data and the search index are up to date (for tests and benchmarks)."""
        while self._search_wanted.is_set() or self._search_lock.locked():
            time.sleep(0.05)


def _entry_pages(c: Catalog, paths: set[str]) -> set[str]:
    """Page sources (uris) of the entries stored in `paths`, and of every entry that shows them."""
    out: set[str] = set()

    def council(code: str) -> None:
        if code in c.councils:
            out.add(urls.page_source(c.councils[code].url))

    def pattern(slug: str) -> None:
        if slug in c.patterns:
            out.add(urls.page_source(c.patterns[slug].url))

    for p in c.patterns.values():
        if p.path in paths:
            pattern(p.slug)
            for slug in (*p.related, *p.related_from):
                pattern(slug)
            out.update(urls.page_source(c.case_studies[s].url) for s in p.case_studies)
            out.update(urls.page_source(c.playbooks[s].url) for s in p.playbooks)
            out.update(urls.page_source(c.sessions[k].url) for k in p.sessions)
            for code in (*p.councils, *(a.council for a in p.adopters), *(k.split("/")[0] for k in p.commitments)):
                council(code)
    for cs in c.case_studies.values():
        if cs.path in paths:
            out.add(urls.page_source(cs.url))
            for slug in cs.patterns:
                pattern(slug)
            for code in (cs.council, *cs.partners):
                council(code)
    guides: list[tuple[str, Playbook | Session]] = [(urls.page_source(b.url), b) for b in c.playbooks.values()]
    guides += [(urls.page_source(s.url), s) for s in c.sessions.values()]
    for uri, item in guides:
        if item.path in paths:
            out.add(uri)
            for slug in item.patterns:
                pattern(slug)
            for code in item.councils:
                council(code)
    for co in c.councils.values():
        declaration = co.path.replace("council.yml", "declaration.yml") if co.path else ""
        if co.path and (co.path in paths or declaration in paths):
            council(co.code)
            for a in co.adopted:
                pattern(a.pattern)
                for key in c.patterns[a.pattern].commitments if a.pattern in c.patterns else ():
                    council(key.split("/")[0])  # its "Already using" (views.neighbour_lists)
            for cm in co.commitments:
                for slug in cm.patterns:
                    pattern(slug)
    return out


def _neighbour_pages(s: state.SiteState) -> set[str]:
    """The pages of the entries whose nearest neighbours changed (a commitment's: its council's page)."""
    c, out = s.catalog, set()
    for kind, key in s.neighbours.changed:
        found = (c.patterns.get(key) if kind == "pattern" else c.case_studies.get(key) if kind == "case-study"
                 else c.councils.get(key.split("/")[0]))
        if found is not None:
            out.add(urls.page_source(found.url))
    return out


def _listing_pages(s: state.SiteState, paths: set[str]) -> set[str]:
    """The council pages that list a commitment kept in `paths` under "Also working on this": they show its status,
    which the neighbours do not compare, so their rows need not change when it does."""
    keys = {cm.key for cm in s.catalog.commitments if cm.path in paths}
    if not keys:
        return set()
    out = set()
    for cm in s.catalog.commitments:
        if cm.council in s.catalog.councils and any(
                m.doc.key in keys for m in s.neighbours.similar("commitment", cm.key, types=("commitment",))):
            out.add(urls.page_source(s.catalog.councils[cm.council].url))
    return out


def _changed_listings(old: state.SiteState, new: state.SiteState) -> set[str]:
    """The index pages to render again: those whose view differs from the last build's (it is all they print
    from the state), and those whose introduction runs macros, which may print anything in the Catalog. The views
    made here are kept on `new`, for its pages to print and the next rebuild to compare."""
    out = set()
    for p in new.pages:
        listing = templating.LISTING_VIEWS.get(p.template) if p.uri in urls.INDEX_SOURCES else None
        if listing is None or p.macros:
            if p.uri in urls.INDEX_SOURCES:
                out.add(p.uri)
            continue
        view = new.listing_views[p.uri] = listing(new)
        if view != (old.listing_views[p.uri] if p.uri in old.listing_views else listing(old)):
            out.add(p.uri)
    return out


def affected_pages(old: state.SiteState, new: state.SiteState, changed_paths: set[str]) -> set[str]:
    """The page sources whose output may differ after `changed_paths` changed."""
    pages = _changed_listings(old, new)
    pages |= _entry_pages(old.catalog, changed_paths) | _entry_pages(new.catalog, changed_paths)
    pages |= _neighbour_pages(new) | _listing_pages(old, changed_paths) | _listing_pages(new, changed_paths)
    old_sources = {p.uri: p.content for p in old.pages + old.redirects}
    for p in new.pages + new.redirects:
        if old_sources.get(p.uri) != p.content:
            pages.add(p.uri)
    return pages


def _remove_gone(site_dir: Path, old: state.SiteState, new: state.SiteState) -> None:
    """Delete the output of pages that no longer exist (a dirty build would leave them behind)."""
    now = {p.uri for p in new.pages + new.redirects}
    for p in old.pages + old.redirects:
        if p.uri in now:
            continue
        if p.uri.endswith("/index.html"):
            target = site_dir / p.uri.rsplit("/", 1)[0]
        else:
            target = site_dir / p.uri.removesuffix(".md").removesuffix("/index")
        shutil.rmtree(target, ignore_errors=True)


def serve(root: Path, host: str, port: int) -> int:
    """`commons serve`: build, serve on host:port and rebuild after each edit until interrupted; 0.

    The content's problems are printed on standard error, before the first build as after an edit (while
    serving, the last good build stays up); 1 if the first build cannot be made for them. Raises CommonsError
    if the first build fails otherwise.
    """
    quiet_mkdocs()
    mkdocs_api.check_generator()
    site_dir = Path(tempfile.mkdtemp(prefix="commons-serve-"))
    site = Incremental(root, site_dir)
    try:
        try:
            first = site.checked_state()
        except CommonsError as e:
            print(f"{e.details}\ncommons serve: fix the problems above, then run it again.", file=sys.stderr)
            shutil.rmtree(site_dir, ignore_errors=True)
            return 1
        try:
            site.full_build(first)
        except MkDocsException as e:
            raise CommonsError(str(e)) from None
    except BaseException:
        shutil.rmtree(site_dir, ignore_errors=True)
        raise

    def rebuild() -> None:
        try:
            seconds = site.rebuild()
            if seconds:
                print(f"rebuilt in {seconds:.1f} s; search is being re-indexed", flush=True)
        except CommonsError as e:
            print(f"{e.details}\ncommons serve: fix the problems above; the last good build is still served.",
                  file=sys.stderr, flush=True)
        except MkDocsException as e:
            print(f"commons serve: {e}", file=sys.stderr, flush=True)

    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site_dir))
    for folder in CONTENT_FOLDERS:
        if (root / folder).exists():
            server.watch(str(root / folder))
    if (root / LOCK_FILE).exists():  # `commons sources update` moved a pin: its councils' pages are rebuilt
        server.watch(str(root / LOCK_FILE))
    print(f"serving on http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
        site.codes.stop()
    return 0
