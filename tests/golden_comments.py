"""Golden pull-request comments as data: each folder in tests/golden-comments/ becomes a real git repository
with a base branch `main` and a pull request branch `pr`, which `commons check-pr` checks.

See tests/golden-comments/README.md for the layout. This module only builds the repository and runs the
command; the test (`test_changes.py`) and the regeneration script (`golden-comments/regenerate.py`) compare
or write what it prints.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote_to_bytes

from commons.cli import main
from conftest import make_repository

TESTS = Path(__file__).resolve().parent
GOLDEN_COMMENTS = TESTS / "golden-comments"
SITE = "https://example.org/commons/"

# Every case's base branch has these on top of conftest's minimal repository (one pattern, Hackney's folder).
BASE_FILES = {
    "mkdocs.yml": f"site_name: Test\nsite_url: {SITE}\n",
    "MAINTAINERS.yml": "maintainers:\n  - github: commons-lead\n    name: Commons Lead\n  - github: commons-second\n"
                       "    name: Second Maintainer\n",
}


def cases() -> list[Path]:
    """Every case folder (one with a pr.json), sorted by name."""
    return sorted(p for p in GOLDEN_COMMENTS.iterdir() if (p / "pr.json").is_file())


def _git(root: Path, *args: str | bytes, author: str = "maintainer") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_COMMITTER_NAME": author,
           "GIT_AUTHOR_EMAIL": f"{author}@users.noreply.github.com", "GIT_COMMITTER_EMAIL": "ci@example.org",
           "GIT_AUTHOR_DATE": "2026-11-02T10:00:00Z", "GIT_COMMITTER_DATE": "2026-11-02T10:00:00Z",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def _copy(source: Path, dest: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, dest, dirs_exist_ok=True)


def _write(root: Path, rel: bytes, data: bytes) -> None:
    path = os.path.join(os.fsencode(root), rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def materialise(case: Path, dest: Path) -> tuple[Path, str]:
    """Build the case's repository at `dest`, with `pr` checked out; return it and the pull request's author.

    pr.json says what git or a checked-in folder cannot hold: `author`; `delete` and `rename` ({old: new});
    `write` ({path: text}) for files better not kept as files here (tooling code that ruff would lint);
    `raw-names` ({percent-encoded path: text}) for names that are not UTF-8 or hold characters some systems
    refuse; `submodules` ({path: commit}); `symlinks` ({path: target}); `large` ({path: bytes}); `base-after`
    ({path: text}) for what main gets after the pull request branched.
    """
    spec = json.loads((case / "pr.json").read_text(encoding="utf-8"))
    root = make_repository(dest)
    for rel, text in BASE_FILES.items():
        _write(root, rel.encode(), text.encode())
    _copy(case / "base", root)
    _git(root, "init", "--quiet", "--initial-branch=main")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "-m", "The base branch")
    _git(root, "checkout", "--quiet", "-b", "pr")
    author = spec["author"]
    for rel in spec.get("delete", []):
        _git(root, "rm", "--quiet", "-r", rel)
    for old, new in spec.get("rename", {}).items():
        (root / new).parent.mkdir(parents=True, exist_ok=True)
        _git(root, "mv", old, new)
    _copy(case / "head", root)
    for rel, text in spec.get("write", {}).items():
        _write(root, rel.encode(), text.encode())
    for rel, text in spec.get("raw-names", {}).items():
        _write(root, unquote_to_bytes(rel), text.encode())
    for rel, target in spec.get("symlinks", {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)
    for rel, size in spec.get("large", {}).items():
        line = b"Padding text that makes this file larger than the limit.\n"
        _write(root, rel.encode(), (line * (size // len(line) + 1))[:size])
    _git(root, "add", "--all")
    for rel, commit in spec.get("submodules", {}).items():
        _git(root, "update-index", "--add", "--cacheinfo", f"160000,{commit},{rel}")
    _git(root, "commit", "--quiet", "--allow-empty", "-m", "The pull request", author=author)
    if spec.get("base-after"):  # another pull request merged into main since this one branched
        _git(root, "checkout", "--quiet", "main")
        for rel, text in spec["base-after"].items():
            _write(root, rel.encode(), text.encode())
        _git(root, "add", "--all")
        _git(root, "commit", "--quiet", "-m", "Merged meanwhile")
        _git(root, "checkout", "--quiet", "pr")
    return root, author


def check(root: Path, author: str) -> tuple[str, str, int]:
    """Run `commons check-pr` as the workflow does (annotations, and the summary for the comment): the
    summary, the standard output, and the exit code. The base branch's tooling here is this checkout's."""
    summary = root.parent / "comment.md"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check-pr", "--root", str(root), "--base", "main", "--author", author, "--format", "github",
                     "--summary", str(summary)])
    return summary.read_text(encoding="utf-8"), out.getvalue(), code


def read_expected(case: Path) -> tuple[str, str, int]:
    """The expected comment, standard output and exit code of the case."""
    return ((case / "comment.md").read_text(encoding="utf-8"), (case / "output.txt").read_text(encoding="utf-8"),
            int((case / "exit-code").read_text(encoding="utf-8").strip()))
