"""`commons serve`: build once, then rebuild on every change and reload the browser."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer

from ..schema import CONTENT_FOLDERS
from . import state
from .build import build_site


def serve(root: Path, host: str, port: int) -> int:
    site_dir = Path(tempfile.mkdtemp(prefix="commons-serve-"))

    def rebuild() -> None:
        try:
            build_site(root, site_dir)
        except state.ContentProblems as e:
            print(f"{e}\ncommons serve: fix the problems above; the last good build is still served.",
                  file=sys.stderr)
        except MkDocsException as e:
            print(f"commons serve: {e}", file=sys.stderr)

    try:
        build_site(root, site_dir)
    except state.ContentProblems as e:
        print(f"{e}\ncommons serve: fix the problems above, then run it again.", file=sys.stderr)
        shutil.rmtree(site_dir, ignore_errors=True)
        return 1
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site_dir))
    for folder in (*CONTENT_FOLDERS, "docs", "data", "mkdocs.yml"):
        if (root / folder).exists():
            server.watch(str(root / folder))
    print(f"serving on http://{host}:{port}/ (Ctrl+C to stop)")
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0
