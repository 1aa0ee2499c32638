"""What lives for one build, and no longer: its state, its second rendering process, its Pagefind run, its
QR codes.

MkDocs loads the hooks file afresh for each configuration and calls its functions with no object to keep
things on, so the hooks find the build they are part of with `BuildScope.current()`. As mkdocs-gen-files'
`with FilesEditor(...) as ed:` does, a scope is current only between opening and closing it, and closing
it always clears it and stops whatever it started that is still running. `commons build` and `commons
serve` open it around MkDocs (`with BuildScope(state) as scope:`), with the state already checked. A plain
`mkdocs build` (or `properdocs build`) opens none, so the hooks open one at `on_config` and close it at
`on_post_build`, once Pagefind has finished (the site is then complete), or at `on_build_error`.

What outlives a build belongs to whoever runs it: `commons serve` keeps its QR codes and its Declaration
progress between rebuilds (commons.site.serve.Incremental) and hands the codes to each build's scope.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import ClassVar

from commons.errors import CommonsError
from commons.site import qr, search
from commons.site.macros import Macros
from commons.site.state import SiteState
from commons.site.workers import Split


class BuildScope:
    """One build in this process: `state` for the hooks, and what the build starts, to be ended with it."""

    _current: ClassVar[BuildScope | None] = None

    def __init__(self, state: SiteState, codes: qr.Codes | None = None, *, opened_by_hooks: bool = False):
        self.state = state
        self.codes = codes if codes is not None else qr.Codes()
        self.opened_by_hooks = opened_by_hooks  # a plain `mkdocs build`: the hooks close it, too
        self.split: Split | None = None  # the second rendering process, if the build forked one
        self.indexing: search.Indexing | None = None  # Pagefind, once the pages are written
        self.macros: Macros | None = None  # the maintainers' pages' macros, bound to this build's Catalog
        self.failure: CommonsError | None = None  # why a hook stopped the build, said for a person
        self._codes_in_use = self.codes.in_use()

    @classmethod
    def current(cls) -> BuildScope | None:
        """The scope of the build running in this process, if one is."""
        return cls._current

    def open(self) -> BuildScope:
        if BuildScope._current is not None:
            raise RuntimeError("a build is already running in this process")
        self._codes_in_use.__enter__()
        BuildScope._current = self
        return self

    def start_search(self, site_dir: Path) -> None:
        """Start Pagefind on the written pages; `finish` waits for it."""
        if self.indexing is not None:
            self.indexing.stop()
        self.indexing = search.Indexing(site_dir)

    def finish(self) -> None:
        """After MkDocs has built the site: the second process is ended (and MkDocs' page loops put back),
        then Pagefind is waited for; raises MkDocsException if either failed."""
        split, self.split = self.split, None
        if split is not None:
            split.end(None)
        indexing, self.indexing = self.indexing, None
        if indexing is not None:
            indexing.wait()

    def close(self, error: BaseException | None = None) -> None:
        """End the build, well or not: in the worker this exits, reporting `error`; in the main process a
        worker still running and Pagefind are stopped. Then the scope is no longer current. Closing twice
        does nothing more."""
        try:
            split, self.split = self.split, None
            if split is not None:
                split.end(error)
            indexing, self.indexing = self.indexing, None
            if indexing is not None:
                indexing.stop()
        finally:
            if BuildScope._current is self:
                BuildScope._current = None
                self._codes_in_use.__exit__(None, None, None)

    def __enter__(self) -> BuildScope:
        return self.open()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close(error)
