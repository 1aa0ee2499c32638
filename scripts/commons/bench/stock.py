"""The peer for site figures: stock Material for MkDocs building the same Markdown, everything left at its default.

Default means every page in the navigation of every page and the built-in lunr search plugin, which is
what a project gets from `theme: material` alone. The council YAML files are not Markdown, so stock
MkDocs has no page for them.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

MARKDOWN_FOLDERS = ("patterns", "case-studies", "playbooks", "sessions")
CONFIG = "site_name: Council Commons\ntheme:\n  name: material\n"


def stock_command(project: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")]


def stock_project(corpus: Path, dest: Path) -> int:
    """Make a plain MkDocs project at `dest` whose docs/ holds the corpus's Markdown as it is; the page count."""
    pages = 0
    for folder in MARKDOWN_FOLDERS:
        for source in sorted((corpus / folder).rglob("*.md")):
            target = dest / "docs" / source.relative_to(corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            pages += 1
    (dest / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return pages
