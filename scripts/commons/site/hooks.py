"""MkDocs hooks: hand the Catalog to MkDocs and its templates. No logic lives here.

Each hook finds its build with BuildScope.current() (commons.site.build_scope) and makes one call per step:

on_config        with no build running (a plain `mkdocs build`, `properdocs build` or `mkdocs serve`), check
                 the generator, validate and make the Catalog, and open the build's scope here (stop the build
                 with the validator's output on errors); `commons build` and `commons serve` opened it already
on_files         mount entry, index, council and redirect pages (File.generated: nothing is copied into docs/;
                 their Markdown is converted with one shared converter); a full build of a large site then
                 forks a second rendering process (commons.site.workers), and a full build in one process starts
                 making the printed cards' QR codes in another
on_nav           with two processes, mark the pages in the navigation, which both read
on_env           publish the Catalog and the formatting filters to templates
on_page_context  give each page its entry and its edit link
on_post_build    wait for the second process; in a full build, start Pagefind on the written site; then
                 write the open data exports and feed; a build the hooks opened then waits for Pagefind, so a
                 plain `mkdocs build` leaves a complete site, search included, and closes its scope
on_build_error   a build the hooks opened stops what it started (on_shutdown likewise, if it was interrupted)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from commons.errors import CommonsError
from commons.site import converter, exports, macros, mkdocs_api, state, templating, workers
from commons.site.build_scope import BuildScope

CATALOG_PAGES = {"index.md"}


def _scope() -> BuildScope:
    scope = BuildScope.current()
    if scope is None:
        raise RuntimeError("the build's scope is opened at on_config")
    return scope


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).resolve().parent
    scope = BuildScope.current()
    if scope is not None:
        if scope.state.root != root:
            raise PluginError(f"a build of {scope.state.root} is already running; {root} cannot be built with it")
    else:
        scope = _open_scope(root)
    scope.macros = macros.register(config, scope.state)
    return config


def _open_scope(root: Path) -> BuildScope:
    try:
        mkdocs_api.check_generator()
    except CommonsError as e:
        raise PluginError(f"{e.message}\n    hint: {e.hint}") from None
    try:
        s = state.build_state(root)
    except CommonsError as e:
        raise PluginError(f"the content has problems; nothing was built.\n{e.details}") from None
    return BuildScope(s, opened_by_hooks=True).open()


def on_files(files: Files, config: MkDocsConfig) -> Files:
    scope = _scope()
    s = scope.state
    markdown = converter.SharedMarkdown(config)
    for page in s.pages + s.redirects:
        existing = files.get_file_from_path(page.uri)
        if existing is not None:  # a maintainer's page of the same name wins, and is told about it
            raise PluginError(f"docs/{page.uri} would hide a generated page; remove or rename it")
        made = state.generated_file(page, config, s)
        files.append(made)
        if made.is_documentation_page() and made.page is None:  # a file kept from the last build has its page
            converter.GeneratedPage(made, config, markdown)
    if s.modified is not None:
        # Maintainers' pages that show the Catalog (the home page, pages with macros) change whenever an entry does.
        for f in files.documentation_pages():
            if f.src_uri in CATALOG_PAGES or (not f.generated_by and macros.renders_macros(f.abs_src_path)):
                mkdocs_api.render_in_every_dirty_build(f)
    else:
        scope.split = workers.split(files)
        if scope.split is None:  # a full build in one process: every pattern page is rendered
            scope.codes.make_ahead(templating.card_qr_codes(s.catalog, config))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """mkdocs-macros (which runs before the hooks) prints a failing macro's error into the page and goes on:
    a maintainer's mistake must stop the build instead, saying what to write."""
    scope = _scope()
    if scope.macros is not None and scope.macros.problems:
        problem, scope.macros.problems = scope.macros.problems[0], []
        scope.failure = CommonsError(f"docs/{page.file.src_uri}: {problem.message}", problem.hint)
        raise PluginError(f"{scope.failure.message}\n    hint: {problem.hint}")
    return markdown


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    split = _scope().split
    if split is not None:
        split.navigation(nav)
    return nav


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    scope = _scope()
    templating.publish(env, scope.state, config)
    if scope.split is not None:
        scope.split.prepare(files, config)
    return env


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    templating.page_context(context, page, config, _scope().state)
    return context


def on_post_build(config: MkDocsConfig) -> None:
    scope = _scope()
    if scope.split is not None:
        scope.split.join()
    if scope.state.modified is None:  # a dirty build is `commons serve`'s, which writes both after the pages
        scope.start_search(Path(config.site_dir))
        exports.write_all(Path(config.site_dir), scope.state)
    if scope.opened_by_hooks:
        try:
            scope.finish()
        finally:
            scope.close()


def on_build_error(error: Exception) -> None:
    scope = BuildScope.current()
    if scope is not None and scope.opened_by_hooks:
        scope.close(error)


def on_shutdown() -> None:
    scope = BuildScope.current()
    if scope is not None and scope.opened_by_hooks:
        scope.close()
