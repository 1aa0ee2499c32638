"""The files the site will have, as MkDocs names their sources: relative links in bodies are checked against
them as the strict build checks them."""

from __future__ import annotations

from pathlib import Path

from commons.content import urls
from commons.content.load import discover
from commons.content.register import Register


class SiteFiles:
    """The source path of every page and file the site will have, as MkDocs names them, found on first use
    (with `sourced`: the case studies and patterns councils keep in their own repositories).

    Relative links in bodies are checked against it as the strict site build checks them.
    """

    def __init__(self, root: Path, register: Register, sourced: frozenset[str] = frozenset()):
        self.root = root
        self.register = register
        self.sourced = sourced  # pages from councils' own repositories, at their places in the commons
        self._files: frozenset[str] | None = None
        self.asked = 0  # how many times the files were asked for (a kept result depends on them: cache.py)

    def __call__(self) -> frozenset[str]:
        self.asked += 1
        if self._files is None:
            self._files = site_sources(self.root, self.register) | self.sourced
        return self._files


def site_sources(root: Path, register: Register) -> frozenset[str]:
    docs = root / "docs"
    files = {p.relative_to(docs).as_posix() for p in docs.rglob("*")
             if p.is_file() and p.relative_to(docs).parts[0] != "overrides"} if docs.is_dir() else set()
    for cand in discover(root)[0]:
        if cand.ctype.markdown:
            files.add(cand.path)
    files.update(urls.page_source(urls.council(a.slug)) for a in register.by_code.values() if a.current)
    files.update(urls.INDEX_SOURCES)
    return frozenset(files)
