"""`commons serve`: build, serve on this machine, and rebuild only the affected pages when content changes
(the work is in `site/serve.py`)."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "build and preview the site with live reload"
DESCRIPTION = "Build and preview the site with live reload."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)


def command(args: argparse.Namespace, root: Path) -> int:
    from commons.site.serve import serve

    return serve(root, args.host, args.port)
