"""`commons build`: validate, build the site with MkDocs, index it with Pagefind, and replace site/ only
when all of that succeeded (the work is in `site/build.py`)."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "validate, then build the site into site/"
DESCRIPTION = "Validate, then build the site into site/."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def command(args: argparse.Namespace, root: Path) -> int:
    from commons.site import build

    return build.build(root)
