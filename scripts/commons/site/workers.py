"""A full build renders on two cores: it forks once, and each process renders its share of the pages.

Converting Markdown and rendering templates is most of a build, and no page's rendering needs another's.
So once MkDocs has the file list (`on_files`), a full build of a large site forks. The worker renders its
share of the generated pages (entries, councils, index pages). The main process renders the rest, and
everything else: the maintainers' pages, the theme's 404 and sitemap, the static files and the open data.

Each process runs MkDocs' own page loops, which pass over the other process's pages (`Split`, through
commons.site.mkdocs_api.filter_page_steps), and writes the pages it renders. When it is done the worker
reports everything it logged at warning level or above, and any error, then exits. The main process logs
the worker's messages as its own (so strict mode counts them), and fails the build if the worker failed.
Pagefind then indexes the written site (commons.site.search).

The split lives for one build: the build's scope (commons.site.build_scope) keeps it and ends it, which
puts MkDocs' page loops back. Only where os.fork exists and two cores are free, and only for a site of at
least MIN_PAGES generated pages. COMMONS_BUILD_PROCESSES=1 keeps any build in one process; =2 splits even
a small one (the tests use both).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import signal
import sys
import tempfile
from typing import Any, NoReturn

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

from commons.site import mkdocs_api
from commons.site.converter import GeneratedPage

PROCESSES_VARIABLE = "COMMONS_BUILD_PROCESSES"
MIN_PAGES = 300  # below this, a second process costs more than it saves
# The worker's share of the generated pages' work. The main process also renders the maintainers' pages
# and the 404 page and sitemap, and copies the static files.
WORKER_SHARE = 0.55
PAGE_COST = 2500  # a page's template costs about as much as converting this many characters of Markdown


def wanted(pages: int) -> bool:
    setting = os.environ.get(PROCESSES_VARIABLE, "").strip()
    if setting == "1" or not hasattr(os, "fork"):
        return False
    if setting == "2":
        return True
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores > 1 and pages >= MIN_PAGES


def split(files: Files) -> Split | None:
    """In a full build: fork, if it is worth it, and from here on each process renders only its own pages.
    The split, kept by the build's scope (commons.site.build_scope) until it ends; None if it did not fork."""
    generated = [f.page for f in files.documentation_pages() if isinstance(f.page, GeneratedPage)]
    if not wanted(len(generated)):
        return None
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
    return Split(pid, report)


class Split:
    """A build rendered by two processes: in the main process, the worker it forked; in the worker, itself.

    Each process passes over the other's pages in MkDocs' own page loops, but reads the pages in the
    navigation too: every page shows their titles, which MkDocs reads from their source.
    """

    def __init__(self, pid: int, report: Any):
        self.pid = pid  # the worker's process id in the main process; 0 in the worker
        self.report = report  # a temporary file, shared: the worker's report to the main process
        self.logged: list[tuple[str, int, str]] = []  # the worker's warnings and errors
        self.joined = False
        self._restore = mkdocs_api.filter_page_steps(
            read=lambda page: self.here(page) or getattr(page, "commons_in_navigation", False), build=self.here)
        if self.is_worker:
            _capture_log(self.logged)

    @property
    def is_worker(self) -> bool:
        return self.pid == 0

    def here(self, page: Any) -> bool:
        """Whether this process renders `page`: a generated page in the process it was given to; any other
        page in the main process."""
        return bool(getattr(page, "here", not self.is_worker))

    def navigation(self, nav: Navigation) -> None:
        """At `on_nav`: mark the pages in the navigation, which both processes read."""
        for page in nav.pages:
            page.commons_in_navigation = True  # type: ignore[attr-defined]

    def prepare(self, files: Files, config: MkDocsConfig) -> None:
        """At `on_env`: the worker leaves the static files and the theme's own pages to the main process."""
        if self.is_worker:
            mkdocs_api.copy_no_static_files(files)
            config.theme.static_templates.clear()
            config.extra_templates.clear()

    def join(self) -> None:
        """At `on_post_build`. In the worker: report and exit (this never returns). In the main process: wait
        for the worker, log what it logged, and fail if it failed."""
        if self.is_worker:
            self._exit_worker(None)
        if self.joined:
            return
        self.joined = True
        _, status = os.waitpid(self.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        self.report.seek(0)
        try:
            report = json.loads(self.report.read() or b"{}")
        except ValueError:
            report = {}
        for name, level, message in report.get("logged", []):
            logging.getLogger(name).log(level, "%s", message)
        if code != 0 or report.get("error"):
            why = report.get("error") or f"it stopped with exit status {code}"
            raise MkDocsException(f"the build's second rendering process failed: {why}")

    def end(self, error: BaseException | None) -> None:
        """After MkDocs has finished, well or not. The worker exits here, reporting `error`; the main process
        stops a worker it has not joined, and puts MkDocs' page loops back."""
        if self.is_worker:
            self._exit_worker(error)
        self._restore()
        if not self.joined:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self.report.close()

    def _exit_worker(self, error: BaseException | None) -> NoReturn:
        status = 1 if error is not None else 0
        try:
            said = None if error is None else (
                f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
            self.report.write(json.dumps({"logged": self.logged, "error": said}).encode("utf-8"))
            self.report.flush()
        except BaseException:  # noqa: BLE001 - nothing must stop the worker from exiting
            status = 1
        os._exit(status)


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


class _Capture(logging.Handler):
    def __init__(self, into: list[tuple[str, int, str]]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append((record.name, record.levelno, record.getMessage()))


def _capture_log(into: list[tuple[str, int, str]]) -> None:
    """In the worker: keep what is logged for the main process to log, rather than printing it twice. Besides
    the root logger's handlers, those of loggers that do not pass records up (the `mkdocs` command gives its
    logger its own) are replaced, so the main process counts the worker's warnings in strict mode."""
    capture = _Capture(into)
    loggers = [logging.getLogger()] + [logger for logger in logging.Logger.manager.loggerDict.values()
                                      if isinstance(logger, logging.Logger) and not logger.propagate]
    for logger in loggers:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.addHandler(capture)
