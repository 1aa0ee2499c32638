"""Generated pages' Markdown, converted with one Markdown instance for the whole build.

MkDocs makes a new Markdown instance, with every extension, for each page it renders, which was a
twentieth of a full build at a thousand entries. A generated page (an entry or a council) is a
`GeneratedPage`: it converts with the build's one `SharedMarkdown`, reset between pages, with the
same per-page processors MkDocs adds (relative links, anchors, the title), its HTML is sanitised
(commons.content.allowlist.sanitise), and a page with no Markdown at all (most council pages) is not converted.
Maintainers' pages are MkDocs' own pages, untouched.
"""

from __future__ import annotations

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import get_toc

from commons.content.allowlist import sanitise


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
        """What Page.render does, with the shared converter (mkdocs 1.6)."""
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        if not self.markdown.strip():
            self.content, self.toc, self._title_from_render = "", get_toc([]), None
            self.present_anchor_ids, self.links_to_anchors = set(), {}
            return
        md = self._converter.get()
        raw_html = _RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = _ExtractAnchorsTreeprocessor(self.file, files, config)
        anchors._register(md)
        links = _RelativePathTreeprocessor(self.file, files, config)
        links._register(md)
        title = _ExtractTitleTreeprocessor()
        title._register(md)
        # Contributed HTML was checked when it was validated; the sanitiser keeps only what that check allows,
        # so a gap in the check is not a way onto the site (commons.rendered).
        self.content = sanitise(md.convert(self.markdown))
        self.toc = get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = title.title
        self.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        self.links_to_anchors = links.links_to_anchors
