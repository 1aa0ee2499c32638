"""Checking a plan on a copy of the repository, and writing it, with `git mv` where git tracks the files.

`check_plan` applies the plan to a temporary copy of the register and the content folders and validates the
files it writes there, so a reorganisation that would leave errors writes nothing. `apply_plan` writes it:
every destination is checked first, so nothing is overwritten, then the moves, then the contents.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from commons import gitio
from commons.commands.reorganise.plan import Plan
from commons.content.problems import Problem
from commons.content.schema import CONTENT_FOLDERS
from commons.errors import CommonsError

if TYPE_CHECKING:
    import git


def check_plan(root: Path, plan: Plan) -> list[Problem]:
    """The errors the repository would have in the files the plan writes: it is applied to a copy and validated."""
    from commons.content.validate import validate_repository

    with tempfile.TemporaryDirectory(prefix="commons-reorganise-") as tmp:
        copy = Path(tmp) / "repo"
        (copy / "data").mkdir(parents=True)
        shutil.copyfile(root / "data" / "uk-local-authorities.csv", copy / "data" / "uk-local-authorities.csv")
        for top in CONTENT_FOLDERS:
            if (root / top).is_dir() and not (root / top).is_symlink():
                shutil.copytree(root / top, copy / top, symlinks=True)
        apply_plan(copy, plan, None)
        for change in plan.changes:
            change.with_git = False
        report = validate_repository(copy, plan.touched)
    return [p for p in report.problems if p.is_error]


def open_repository(root: Path) -> git.Repo | None:
    """The git repository whose top folder is `root`, to move files with; None when there is none."""
    if not gitio.has_repository(root):
        return None
    try:
        return gitio.repository(root)
    except Exception:  # a .git that git cannot open, or no GitPython: the files are moved without git
        return None


def apply_plan(root: Path, plan: Plan, repo: git.Repo | None) -> None:
    """Write the plan: moves first (with `git mv` when `repo` is given and the file is tracked), then contents.

    Nothing is overwritten: every destination is checked before the first file is touched (CommonsError).
    """
    moves = [c for c in plan.changes if c.text is not None and c.source and c.source != c.path]
    for change in moves:
        if (root / change.path).exists() or (root / change.path).is_symlink():
            raise CommonsError(f"{change.path} already exists, and nothing is ever overwritten",
                               "move it away, then run the command again")
    for change in moves:
        src, dst = root / change.source, root / change.path
        dst.parent.mkdir(parents=True, exist_ok=True)
        change.with_git = repo is not None and _git(repo, "mv", "--", str(src), str(dst))
        if not change.with_git:
            os.replace(src, dst)
    for change in plan.changes:
        path = root / change.path
        if change.text is None:
            path.unlink()
            change.with_git = repo is not None and _git(repo, "rm", "--cached", "-q", "--", str(path))
            continue
        tmp = path.with_name(path.name + ".reorganise-tmp")
        tmp.write_bytes(change.text.encode("utf-8"))
        tmp.replace(path)
    for change in plan.changes:
        folder = (root / (change.source or change.path)).parent
        if folder.parent == root / "councils" and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _git(repo: git.Repo, command: str, *args: str) -> bool:
    """Run `git mv` or `git rm` on a tracked file; False, with nothing done, when it is untracked or git fails."""
    path = args[-2] if command == "mv" else args[-1]
    try:
        if not repo.git.ls_files("--", path):
            return False
        repo.git.execute(["git", command, *args])
        return True
    except Exception:  # git's own failure (a locked index, say): the file is moved without it
        return False
