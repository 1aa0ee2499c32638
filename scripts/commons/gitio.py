"""The one way the tooling reads (and, for `commons reorganise`, writes) git.

Two entrances, for two costs:

- `run(root, *args)`: one plain `git` process, its output as bytes. For whole-history reads done once per
  build (dates, Declaration progress), where importing GitPython took longer than the `git log` itself.
- `repository(root)`: a GitPython `Repo`, for work with commits, trees and blobs (`commons check-pr`
  compares a pull request with its base commit; `commons reorganise` moves files with `git mv`).

Only the repository whose top folder is `root` is ever used, never one around it: a content folder copied
into another project's checkout must not read that project's history.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import git

GitFailed = subprocess.CalledProcessError  # what `run` raises when git exits non-zero


def has_repository(root: Path) -> bool:
    """True if `root` is the top folder of a git repository (a clone or a worktree)."""
    return (root / ".git").exists()


def run(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """`git -C root ARGS…`'s standard output. Raises OSError without git, `GitFailed` when git fails."""
    return subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=True).stdout


def repository(root: Path) -> git.Repo:
    """The GitPython repository at `root` (imported here so commands that need no git never pay for it).
    Raises git.InvalidGitRepositoryError or git.NoSuchPathError when there is none."""
    import git

    return git.Repo(root, search_parent_directories=False)
