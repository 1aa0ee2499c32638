"""MkDocs hooks: hand the Catalog to MkDocs and its templates. No logic lives here.

on_config  validate and make the Catalog (stop the build with the validator's output on errors)
on_files   mount entry, index, council and redirect pages (File.generated: nothing is copied into docs/;
           their Markdown is converted with one shared converter); a full build of a large site then
           forks a second rendering process (commons.site.workers), and a full build in one process starts
           making the printed cards' QR codes in another
on_nav     with two processes, mark the pages in the navigation, which both read
on_env     publish the Catalog and the formatting filters to templates
on_page_context  give each page its entry and its edit link
on_post_build    wait for the second process; in a full build, start Pagefind on the written site; then
                 write the open data exports and feed
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from commons.site import converter, exports, qr, search, state, templating, workers

CATALOG_PAGES = {"index.md"}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).resolve().parent
    try:
        state.set_current(state.ensure(root))
    except state.ContentProblems as e:
        raise PluginError(f"the content has problems; nothing was built.\n{e}") from None
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    s = state.current()
    markdown = converter.SharedMarkdown(config)
    for page in s.pages + s.redirects:
        existing = files.get_file_from_path(page.uri)
        if existing is not None:  # a maintainer's page of the same name wins, and is told about it
            raise PluginError(f"docs/{page.uri} would hide a generated page; remove or rename it")
        f = state.generated_file(page, config, s)
        files.append(f)
        if f.is_documentation_page():
            converter.GeneratedPage(f, config, markdown)
    if s.modified is not None:
        # Maintainers' pages that show the Catalog (the home page) change whenever an entry does.
        for f in files.documentation_pages():
            if f.src_uri in CATALOG_PAGES:
                f.is_modified = lambda: True  # type: ignore[method-assign]
    elif not workers.split(files):  # a full build in one process: every pattern page is rendered
        qr.make_ahead(templating.card_qr_codes(s.catalog, config))
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    workers.navigation(nav)
    return nav


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    templating.publish(env, state.current(), config)
    workers.prepare(files, config)
    return env


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    templating.page_context(context, page, config, state.current())
    return context


def on_post_build(config: MkDocsConfig) -> None:
    workers.join()
    s = state.current()
    if s.modified is None:
        search.start(Path(config.site_dir))
    exports.write_all(Path(config.site_dir), s)
