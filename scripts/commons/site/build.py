"""`commons build` and `commons serve`: validate, build with MkDocs (on two cores), then index with Pagefind.

A build goes to a folder of its own beside `site/` and replaces it only when every
step has succeeded, so a failed build never leaves half a site; that folder is the
site before last, written over in place (see commons.site.output).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from commons.site import output, search, state, workers

log = logging.getLogger("commons")


def _quiet_mkdocs() -> None:
    logging.basicConfig(format="%(levelname)s: %(message)s")
    for name in ("mkdocs", "mkdocs_macros", "MARKDOWN", "material"):
        logging.getLogger(name).setLevel(logging.WARNING)


def render(root: Path, site_dir: Path, s: state.SiteState, dirty: bool = False) -> None:
    """Run MkDocs on the repository at `root` with the state `s` already made.

    A full build of a large site renders on two cores (commons.site.workers) and starts Pagefind once
    every page is written (see build_site). A dirty build renders only the pages `s.modified` names; it
    is not strict, because MkDocs warns about every dirty build and this one is dirty on purpose.
    """
    state.prepare(s)
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=False if dirty else None)
        with output.writing_in_place():
            mkdocs_build(config, dirty=dirty)
    finally:
        state.prepare(None)


def build_site(root: Path, site_dir: Path, s: state.SiteState | None = None) -> None:
    """Build the site of the repository at `root` into `site_dir` (new, or a spare to write over), search
    index included: Pagefind indexes the written pages while the open data is written (commons.site.search).
    """
    s = s or state.build_state(root)
    try:
        render(root, site_dir, s)
    except BaseException as e:
        workers.end(e)  # a worker exits here, saying why; the main process stops a worker it has not joined
        search.stop()
        raise
    workers.end(None)
    search.finish()


def build(root: Path, site_dir: Path | None = None) -> int:
    _quiet_mkdocs()
    target = site_dir or root / "site"
    try:
        s = state.build_state(root)
    except state.ContentProblems as e:
        print(e)
        print("commons build: fix the problems above; nothing was built.", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    work, before = output.claim_spare(target)
    try:
        try:
            build_site(root, work, s)
        except OSError:
            if before is None:
                raise
            # The spare's files and folders were in the way (a file where this site has a folder, say):
            # build once more, into a new folder.
            shutil.rmtree(work, ignore_errors=True)
            work, before = output.new_folder(target), None
            build_site(root, work, s)
        if before is not None:
            output.sweep(work, before, tidied_already=work / search.BUNDLE)
    except (MkDocsException, OSError) as e:
        shutil.rmtree(work, ignore_errors=True)
        print(f"commons build: {e}\nnothing was changed in {target}.", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    output.replace_site(target, work)
    pages = sum(name.endswith(".html") for _, _, names in os.walk(target) for name in names)
    print(f"built {target} ({pages} pages)")
    return 0


def serve(root: Path, host: str, port: int) -> int:
    from commons.site.serve import serve as live_serve

    _quiet_mkdocs()
    return live_serve(root, host, port)
