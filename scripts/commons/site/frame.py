"""The page frame (navigation sidebar, footer, head and script tags) rendered once per folder, not once per page.

Most of the site is entry pages that are not in the navigation: nothing in their frame is marked as the
current page, so the frame of `patterns/a/` and of `patterns/b/` differ only in their relative links, and
those are the same for every page in one folder (`../../assets/…`, `../` for the patterns index) as long
as nothing the frame links to lies inside the page's own folder. Rendering Material's navigation for
each of thousands of pages was a tenth of the build; now it is rendered once per folder.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any

from markupsafe import Markup
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page


def shared_folder(page: Any, nav: Any) -> str:
    """The folder whose pages share `page`'s frame, or "" if its frame is its own.

    A page's frame is its own when it is in the navigation (the navigation marks it), hides part of the
    frame, has no folder URL, or when a page in the navigation lies inside its folder (a link to it
    would differ between siblings).
    """
    if not isinstance(page, Page) or not isinstance(nav, Navigation):
        return ""
    url = page.url
    if not url.endswith("/") or (page.meta and page.meta.get("hide")):
        return ""
    if any(p is page or p.url.startswith(url) for p in nav.pages):
        return ""
    return posixpath.dirname(url.rstrip("/")) + "/"


class Frame:
    """Rendered pieces of the frame, kept for one build (templates call `once` around a piece)."""

    def __init__(self) -> None:
        self._pieces: dict[tuple[str, str], Markup] = {}
        self._folders: dict[str, str] = {}  # page URL -> shared_folder()

    def once(self, name: str, page: Any, nav: Any, caller: Callable[[], str]) -> Markup:
        """The piece `name` as rendered by `caller` for the first page in `page`'s folder."""
        url = getattr(page, "url", None)
        folder = self._folders.get(url) if isinstance(url, str) else None
        if folder is None:
            folder = shared_folder(page, nav)
            if isinstance(url, str):
                self._folders[url] = folder
        if not folder:
            return Markup(caller())
        piece = self._pieces.get((name, folder))
        if piece is None:
            piece = self._pieces[(name, folder)] = Markup(caller())
        return piece
