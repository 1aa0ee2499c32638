"""`commons build` and `commons serve`: validate, then build the site with MkDocs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .problems import format_text, summary_line
from .validate import validate_repository


def _validated(root: Path) -> bool:
    report = validate_repository(root)
    if report.errors:
        print(format_text(report.problems))
        print(summary_line(report.problems, report.files))
        print("commons build: fix the errors above; nothing was built.", file=sys.stderr)
        return False
    return True


def build(root: Path) -> int:
    if not _validated(root):
        return 1
    return subprocess.call([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root)


def serve(root: Path, host: str, port: int) -> int:
    if not _validated(root):
        return 1
    return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "-a", f"{host}:{port}"], cwd=root)
