"""`commons build` and `commons serve`: validate, build with MkDocs, index with Pagefind as pages are rendered.

A build goes to a folder of its own beside `site/` and replaces it only when every
step has succeeded, so a failed build never leaves half a site.

The site it replaces is kept beside it as `.site-spare/`, and the next build is written into that
folder rather than a new one: each file of the new site overwrites its copy from the build before last,
and the files this build did not write are removed at the end (`sweep`). Making and deleting the
site's thousands of files and folders on every build was the slowest part of it: a filesystem that
deleted them a moment ago spends longer finding room for new ones (ext4 without a journal, as here,
steps over every recently deleted inode), and rewriting a file in place needs none.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

from mkdocs import utils as mkdocs_utils
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from . import search, state

log = logging.getLogger("commons")


def _quiet_mkdocs() -> None:
    logging.basicConfig(format="%(levelname)s: %(message)s")
    for name in ("mkdocs", "mkdocs_macros", "MARKDOWN", "material"):
        logging.getLogger(name).setLevel(logging.WARNING)


def render(root: Path, site_dir: Path, s: state.SiteState, dirty: bool = False) -> None:
    """Run MkDocs on the repository at `root` with the state `s` already made.

    Pages go to Pagefind only inside `search.streaming()` (see build_site). A dirty build renders only
    the pages `s.modified` names; it is not strict, because MkDocs warns about every dirty build and this
    one is dirty on purpose.
    """
    state.prepare(s)
    emptying = mkdocs_utils.clean_directory
    mkdocs_utils.clean_directory = _leave_as_it_is  # see build(): the folder is new, or a spare to write over
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=False if dirty else None)
        mkdocs_build(config, dirty=dirty)
    finally:
        mkdocs_utils.clean_directory = emptying
        state.prepare(None)


def _leave_as_it_is(directory: str) -> None:
    """In place of MkDocs' emptying of the site folder before a full build."""


def build_site(root: Path, site_dir: Path, s: state.SiteState | None = None) -> None:
    """Build the site of the repository at `root` into `site_dir` (made or emptied), search index included.

    Pagefind indexes each page as MkDocs renders it (see commons.site.search), in its own process.
    """
    s = s or state.build_state(root)
    with search.streaming(site_dir):
        render(root, site_dir, s)


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
    work, before = claim_spare(target)
    try:
        try:
            build_site(root, work, s)
        except OSError:
            if before is None:
                raise
            # The spare's files and folders were in the way (a file where this site has a folder, say):
            # build once more, into a new folder.
            shutil.rmtree(work, ignore_errors=True)
            work, before = new_work_folder(target), None
            build_site(root, work, s)
        if before is not None:
            sweep(work, before)
    except (MkDocsException, OSError) as e:
        shutil.rmtree(work, ignore_errors=True)
        print(f"commons build: {e}\nnothing was changed in {target}.", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    replace_site(target, work)
    pages = sum(name.endswith(".html") for _, _, names in os.walk(target) for name in names)
    print(f"built {target} ({pages} pages)")
    return 0


def spare_folder(target: Path) -> Path:
    """Where the site a build replaced is kept, for the next build to write into (see the module's notes)."""
    return target.with_name(f".{target.name}-spare")


def new_work_folder(target: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))


def claim_spare(target: Path) -> tuple[Path, dict[str, int] | None]:
    """A folder for a build of `target`, and what was in it: each file's status-change time (ctime, which
    every write sets) by its path. The spare is renamed to a name of this build's own, so two builds at
    once never share it; with no spare, a new empty folder and None."""
    work = target.with_name(f".{target.name}-{secrets.token_hex(6)}")
    try:
        spare_folder(target).rename(work)
    except OSError:
        return new_work_folder(target), None
    return work, {path: os.lstat(path).st_ctime_ns for path in _files(work)}


def sweep(work: Path, before: dict[str, int]) -> None:
    """Remove the files a build into a claimed spare did not write (their ctime is as it was), and any
    folder that leaves empty."""
    emptied: set[str] = set()
    for path, ctime in before.items():
        try:
            if os.lstat(path).st_ctime_ns == ctime:
                os.unlink(path)
                emptied.add(os.path.dirname(path))
        except FileNotFoundError:
            pass
    top = str(work)
    for folder in sorted(emptied, key=len, reverse=True):  # deepest first
        while folder != top and folder.startswith(top):
            try:
                os.rmdir(folder)
            except OSError:
                break  # not empty: neither are the folders above it
            folder = os.path.dirname(folder)


def _files(folder: Path) -> list[str]:
    return [os.path.join(here, name) for here, _, names in os.walk(folder) for name in names]


def replace_site(target: Path, work: Path) -> None:
    """Put the finished build `work` in place of `target`; the site it replaces becomes the spare."""
    spare = spare_folder(target)
    if target.exists():
        if spare.exists():  # another build made one meanwhile: one spare is enough
            shutil.rmtree(target.rename(target.with_name(f".{target.name}-{secrets.token_hex(6)}")),
                          ignore_errors=True)
        else:
            target.rename(spare)
    work.rename(target)


def serve(root: Path, host: str, port: int) -> int:
    from .serve import serve as live_serve

    _quiet_mkdocs()
    return live_serve(root, host, port)
