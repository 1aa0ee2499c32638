"""A full build renders on two cores: it forks once, and each process renders its share of the pages.

Converting Markdown and rendering templates is most of a build, and no page's rendering needs another's.
So once MkDocs has the file list (`on_files`), a full build of a large site forks. The worker renders its
share of the generated pages (entries, councils, index pages). The main process renders the rest, and
everything else: the maintainers' pages, the theme's 404 and sitemap, the static files and the open data.

Each process runs MkDocs' own page loops, which pass over the other process's pages (`_only_here`),
and writes the pages it renders. When it is done the worker reports everything it logged at warning level
or above, and any error, then exits. The main process logs the worker's messages as its own (so strict
mode counts them), and fails the build if the worker failed. Pagefind then indexes the written site
(commons.site.search).

Only where os.fork exists and two cores are free, and only for a site of at least MIN_PAGES generated
pages. COMMONS_BUILD_PROCESSES=1 keeps any build in one process; =2 splits even a small one (the tests
use both).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn

import mkdocs.commands.build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

from commons.site.converter import GeneratedPage

PROCESSES_VARIABLE = "COMMONS_BUILD_PROCESSES"
MIN_PAGES = 300  # below this, a second process costs more than it saves
# The worker's share of the generated pages' work. The main process also renders the maintainers' pages
# and the 404 page and sitemap, and copies the static files.
WORKER_SHARE = 0.55
PAGE_COST = 2500  # a page's template costs about as much as converting this many characters of Markdown


@dataclass
class _Split:
    pid: int  # the worker's process id in the main process; 0 in the worker
    report: Any  # a temporary file, shared: the worker's report to the main process
    loops: tuple[Callable[..., None], Callable[..., None]]  # MkDocs' own page loops' steps, to put back
    logged: list[tuple[str, int, str]] = field(default_factory=list)  # the worker's warnings and errors
    joined: bool = False


_split: _Split | None = None


def is_worker() -> bool:
    return _split is not None and _split.pid == 0


def wanted(pages: int) -> bool:
    setting = os.environ.get(PROCESSES_VARIABLE, "").strip()
    if setting == "1" or not hasattr(os, "fork"):
        return False
    if setting == "2":
        return True
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores > 1 and pages >= MIN_PAGES


def split(files: Files) -> bool:
    """In a full build: fork, if it is worth it. From here on each process renders only its own pages.
    Whether it forked."""
    global _split
    if _split is not None:
        return False
    generated = [f.page for f in files.documentation_pages() if isinstance(f.page, GeneratedPage)]
    if not wanted(len(generated)):
        return False
    to_worker = shares([len(p.file.content_string) for p in generated])
    report = tempfile.TemporaryFile()
    sys.stdout.flush()
    sys.stderr.flush()
    # Objects made so far are left out of garbage collection from here on, in both processes: a collection
    # would touch every one of them and so copy most of the memory the two processes still share.
    gc.freeze()
    pid = os.fork()
    for page, worker in zip(generated, to_worker, strict=True):
        page.here = worker if pid == 0 else not worker
    loops = mkdocs_build._populate_page, mkdocs_build._build_page
    mkdocs_build._populate_page = _only_here(loops[0], or_in_navigation=True)
    mkdocs_build._build_page = _only_here(loops[1])
    _split = _Split(pid, report, loops)
    if pid == 0:  # the worker
        _capture_log(_split.logged)
    return True


def here(page: Any) -> bool:
    """Whether this process renders `page`: all of them without a worker; a generated page in the process
    it was given to; any other page in the main process."""
    return _split is None or getattr(page, "here", not is_worker())


def navigation(nav: Navigation) -> None:
    """At `on_nav`: mark the pages in the navigation, which both processes read (see _only_here)."""
    if _split is not None:
        for page in nav.pages:
            page.commons_in_navigation = True  # type: ignore[attr-defined]


def _only_here(step: Callable[..., None], or_in_navigation: bool = False) -> Callable[..., None]:
    """MkDocs' `step` for the pages this process renders. With `or_in_navigation`, for the pages in the
    navigation too: every page shows their titles, which MkDocs reads from their source."""
    def only_here(page: Any, *args: Any, **kwargs: Any) -> None:
        if here(page) or (or_in_navigation and getattr(page, "commons_in_navigation", False)):
            step(page, *args, **kwargs)

    return only_here


def shares(sizes: list[int]) -> list[bool]:
    """For pages of these Markdown sizes, which the worker renders: about WORKER_SHARE of the work, spread
    evenly through the list (so through every folder)."""
    costs = [PAGE_COST + size for size in sizes]
    total = sum(costs) or 1
    worker_target, main_target = WORKER_SHARE * total, (1 - WORKER_SHARE) * total
    worker = main = 0.0
    chosen = []
    for cost in costs:
        to_worker = worker / worker_target <= main / main_target
        chosen.append(to_worker)
        if to_worker:
            worker += cost
        else:
            main += cost
    return chosen


def prepare(files: Files, config: MkDocsConfig) -> None:
    """At `on_env`: the worker leaves the static files and the theme's own pages to the main process."""
    if is_worker():
        files.copy_static_files = _copy_nothing  # type: ignore[method-assign]
        config.theme.static_templates.clear()
        config.extra_templates.clear()


def join() -> None:
    """At `on_post_build`. In the worker: report and exit (this never returns). In the main process: wait
    for the worker, log what it logged, and fail if it failed."""
    if _split is None:
        return
    if is_worker():
        _exit_worker(None)
    if _split.joined:
        return
    _split.joined = True
    _, status = os.waitpid(_split.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    _split.report.seek(0)
    try:
        report = json.loads(_split.report.read() or b"{}")
    except ValueError:
        report = {}
    for name, level, message in report.get("logged", []):
        logging.getLogger(name).log(level, "%s", message)
    if code != 0 or report.get("error"):
        why = report.get("error") or f"it stopped with exit status {code}"
        raise MkDocsException(f"the build's second rendering process failed: {why}")


def end(error: BaseException | None) -> None:
    """After MkDocs has finished, well or not. The worker exits here, reporting `error`; the main process
    stops a worker it has not joined, and puts MkDocs' page loops back."""
    global _split
    if _split is None:
        return
    if is_worker():
        _exit_worker(error)
    split, _split = _split, None
    mkdocs_build._populate_page, mkdocs_build._build_page = split.loops
    if not split.joined:
        try:
            os.kill(split.pid, signal.SIGKILL)
            os.waitpid(split.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    split.report.close()


def _exit_worker(error: BaseException | None) -> NoReturn:
    assert _split is not None
    status = 1 if error is not None else 0
    try:
        said = None if error is None else (f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
        _split.report.write(json.dumps({"logged": _split.logged, "error": said}).encode("utf-8"))
        _split.report.flush()
    except BaseException:  # noqa: BLE001 - nothing must stop the worker from exiting
        status = 1
    os._exit(status)


class _Capture(logging.Handler):
    def __init__(self, into: list[tuple[str, int, str]]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append((record.name, record.levelno, record.getMessage()))


def _capture_log(into: list[tuple[str, int, str]]) -> None:
    """In the worker: keep what is logged for the main process to log, rather than printing it twice."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_Capture(into))


def _copy_nothing(*args: Any, **kwargs: Any) -> None:
    return None
