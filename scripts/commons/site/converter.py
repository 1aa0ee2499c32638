"""Generated pages' Markdown, converted with one Markdown instance for the whole build.

MkDocs makes a new Markdown instance, with every extension, for each page it renders, which was a
twentieth of a full build at a thousand entries. A generated page (an entry or a council) is a
`GeneratedPage`: it converts with the build's one `SharedMarkdown`, reset between pages, with the
same per-page processors MkDocs adds (relative links, anchors, the title; see commons.site.mkdocs_api),
its HTML is sanitised (commons.content.allowlist.sanitise), and a page with no Markdown at all (most
council pages) is not converted. Maintainers' pages are MkDocs' own pages, untouched.
"""

from __future__ import annotations

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from commons.content.allowlist import sanitise
from commons.site import mkdocs_api


class SharedMarkdown:
    """The build's Markdown converter, made on first use with the configured extensions."""

    def __init__(self, config: MkDocsConfig):
        self._config = config
        self._md: markdown.Markdown | None = None

    def get(self) -> markdown.Markdown:
        if self._md is None:
            self._md = markdown.Markdown(extensions=self._config["markdown_extensions"],
                                         extension_configs=self._config["mdx_configs"] or {})
        self._md.reset()
        return self._md


class GeneratedPage(Page):
    """A page whose source we generated (see commons.site.pages); rendered as MkDocs renders a page.

    When a build renders on two cores (commons.site.workers), `here` says whether this process renders it.
    """

    here = True

    def __init__(self, file: File, config: MkDocsConfig, converter: SharedMarkdown):
        super().__init__(None, file, config)
        self._converter = converter

    def render(self, config: MkDocsConfig, files: Files) -> None:
        """What Page.render does, with the shared converter. Contributed HTML was checked when it was
        validated; the sanitiser keeps only what that check allows, so a gap in the check is not a way onto
        the site (commons.content.rendered)."""
        mkdocs_api.render_page(self, self._converter.get, config, files, sanitise)
