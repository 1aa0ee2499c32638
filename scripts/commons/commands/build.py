"""`commons build`: validate, build the site with MkDocs, index it with Pagefind, and replace site/ only
when all of that succeeded (the work is in `site/build.py`); `--preview DIR` also lays the built site out for
previewing (`site/preview.py`)."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "validate, then build the site into site/"
DESCRIPTION = (
    "Validate, then build the site into site/. --preview DIR also copies it into DIR under the path it is built "
    "for (DIR/council-commons/), so that `python3 -m http.server` in DIR, or a static host, serves it as published."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--preview", metavar="DIR", help="also lay the built site out in DIR for previewing")


def command(args: argparse.Namespace, root: Path) -> int:
    from commons.site import build

    status = build.build(root)
    if args.preview:
        from mkdocs.config import load_config

        from commons.site.build import quiet_mkdocs
        from commons.site.preview import lay_out

        quiet_mkdocs()
        site_url = load_config(str(root / "mkdocs.yml")).site_url or ""
        pages = lay_out(root / "site", site_url, Path(args.preview))
        print(f"laid out for previewing in {pages}")
    return status
