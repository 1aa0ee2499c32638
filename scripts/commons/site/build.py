"""`commons build`: validate, build with MkDocs (on two cores), then index with Pagefind.

A build goes to a folder of its own beside `site/` and replaces it only when every
step has succeeded, so a failed build never leaves half a site; that folder is the
site before last, written over in place (see commons.site.output). Everything the
build starts lives in its scope (commons.site.build_scope) and ends with it.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from commons.errors import CommonsError
from commons.site import mkdocs_api, output, qr, search, state
from commons.site.build_scope import BuildScope

log = logging.getLogger("commons")


class _SaidByTheHooks(logging.Filter):
    """MkDocs logs an error a hook raised, then aborts; when the hooks say why themselves (scope.failure),
    commons build prints that once, with its hint, instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        scope = BuildScope.current()
        return not (scope is not None and scope.failure is not None and record.levelno >= logging.ERROR)


def quiet_mkdocs() -> None:
    """Show MkDocs' warnings and errors only, as `commons build` and `commons serve` print their own progress."""
    logging.basicConfig(format="%(levelname)s: %(message)s")
    for name in ("mkdocs", "mkdocs_macros", "MARKDOWN", "material"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # A failing macro is reported once, by the hooks, with its hint; mkdocs-macros' own warning would print
    # the template's traceback first.
    logging.getLogger("mkdocs.plugins.mkdocs_macros").setLevel(logging.ERROR)
    said = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, _SaidByTheHooks) for f in said.filters):
        said.addFilter(_SaidByTheHooks())


def render(root: Path, site_dir: Path, dirty: bool = False) -> None:
    """Run MkDocs on the repository at `root`, within the build's scope (already open, with its state).

    A full build of a large site renders on two cores (commons.site.workers) and starts Pagefind once
    every page is written (see build_site). A dirty build renders only the pages the state's `modified`
    names; it is not strict, because MkDocs warns about every dirty build and this one is dirty on purpose.
    """
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=False if dirty else None)
    with output.writing_in_place():
        mkdocs_build(config, dirty=dirty)


def build_site(root: Path, site_dir: Path, s: state.SiteState | None = None, codes: qr.Codes | None = None) -> None:
    """Build the site of the repository at `root` into `site_dir` (new, or a spare to write over), search
    index included: Pagefind indexes the written pages while the open data is written (commons.site.search).
    `codes` are QR codes kept from an earlier build (`commons serve`); raises MkDocsException or OSError."""
    s = s or state.build_state(root)
    with BuildScope(s, codes) as scope:
        try:
            render(root, site_dir)
        except MkDocsException:
            if scope.failure is not None:  # MkDocs reports only that it aborted: say what stopped it
                raise scope.failure from None
            raise
        scope.finish()


def build(root: Path, site_dir: Path | None = None) -> int:
    """`commons build`: the site of `root` in `site_dir` (site/ by default), replaced only once the new one is
    complete; 0, after saying so. Raises CommonsError when the content has problems or the build failed."""
    quiet_mkdocs()
    mkdocs_api.check_generator()
    target = site_dir or root / "site"
    s = state.build_state(root)
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
        raise CommonsError(f"{e}\nnothing was changed in {target}.") from None
    except CommonsError as e:
        shutil.rmtree(work, ignore_errors=True)
        raise CommonsError(f"{e.message}\nnothing was changed in {target}.", e.hint) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    output.replace_site(target, work)
    pages = sum(name.endswith(".html") for _, _, names in os.walk(target) for name in names)
    print(f"built {target} ({pages} pages)")
    return 0
