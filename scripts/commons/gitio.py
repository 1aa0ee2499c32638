"""The one way the tooling reads (and, for `commons reorganise`, writes) git.

Three entrances, for three needs:

- `run(root, *args)`: one plain `git` process, its output as bytes. For whole-history reads done once per
  build (dates, Declaration progress), where importing GitPython took longer than the `git log` itself;
  `blobs(root, ids)` reads many blobs from one `git cat-file --batch`, each as soon as git gives it.
- `repository(root)`: a GitPython `Repo`, for work with commits, trees and blobs (`commons check-pr`
  compares a pull request with its base commit; `commons reorganise` moves files with `git mv`).
- `scratch(root)` with `run_with`: git in an environment whose new objects and index go to a temporary folder,
  so `commons check-pr` can merge a pull request onto its base (`merge_tree`) and write out the result
  (`checkout_tree`) while the clone it reads stays exactly as it was.

`first_added` says when each path arrived on a branch, for the one of two clashing pattern numbers that came
later (`commons validate`, `commons check-pr`).

Only the repository whose top folder is `root` is ever used, never one around it: a content folder copied
into another project's checkout must not read that project's history.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
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


def blobs(root: Path, ids: Sequence[str]) -> Iterator[tuple[str, bytes | None]]:
    """Each of `ids` with its blob's contents (None when it is missing or not a blob), in order, from one
    `git cat-file --batch` read as it writes, so the caller works on each while git finds the next. Raises
    OSError without git, `GitFailed` when git fails."""
    proc = subprocess.Popen(["git", "-C", str(root), "cat-file", "--batch"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None and proc.stdout is not None

    def feed() -> None:  # in a thread: the list can be longer than a pipe holds while git's answers wait
        try:
            proc.stdin.write("".join(f"{i}\n" for i in ids).encode())  # type: ignore[union-attr]
            proc.stdin.close()  # type: ignore[union-attr]
        except OSError:
            pass  # git stopped: its exit status says why

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for blob in ids:
            header = proc.stdout.readline().split()
            if len(header) != 3:  # "<id> missing", or git stopped
                if not header:
                    break
                yield blob, None
                continue
            data = proc.stdout.read(int(header[2]) + 1)[:-1]
            yield blob, data if header[1] == b"blob" else None
    finally:
        proc.stdout.close()
        writer.join()
        if proc.wait() != 0:
            raise GitFailed(proc.returncode, proc.args)


def repository(root: Path) -> git.Repo:
    """The GitPython repository at `root` (imported here so commands that need no git never pay for it).
    Raises git.InvalidGitRepositoryError or git.NoSuchPathError when there is none."""
    import git

    return git.Repo(root, search_parent_directories=False)


# --- Reading a merge without writing to the repository (`commons check-pr`) ------------------------------------

@contextlib.contextmanager
def scratch(root: Path) -> Iterator[dict[str, str]]:
    """The environment for `run_with` in which git reads `root`'s objects but writes whatever it makes (a merge's
    trees and blobs, an index) into a temporary folder, removed afterwards: `root`'s objects, index and work
    tree are only ever read."""
    objects = run(root, "rev-parse", "--path-format=absolute", "--git-path", "objects").rstrip(b"\n")
    with tempfile.TemporaryDirectory(prefix="commons-git-") as folder:
        alternates = os.fsdecode(objects)
        os.mkdir(os.path.join(folder, "objects"))
        inherited = os.environ.get("GIT_ALTERNATE_OBJECT_DIRECTORIES")
        yield {"GIT_OBJECT_DIRECTORY": os.path.join(folder, "objects"), "GIT_INDEX_FILE": os.path.join(folder, "index"),
               "GIT_ALTERNATE_OBJECT_DIRECTORIES": os.pathsep.join(filter(None, (alternates, inherited)))}


def run_with(env: dict[str, str], root: Path, *args: str, ok: tuple[int, ...] = (0,)) -> tuple[int, bytes]:
    """`run` in the environment `env` (from `scratch`): the exit status (one of `ok`, else `GitFailed`) and the
    standard output."""
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, env={**os.environ, **env})
    if done.returncode not in ok:
        raise GitFailed(done.returncode, done.args, done.stdout, done.stderr)
    return done.returncode, done.stdout


@dataclass(frozen=True)
class Merge:
    """What merging two commits gives: the tree (conflicted files with conflict markers) and the conflicts."""

    tree: str
    conflicts: tuple[bytes, ...]  # the paths git could not merge, as bytes, sorted


def merge_tree(env: dict[str, str], root: Path, ours: str, theirs: str) -> Merge:
    """Merge `theirs` into `ours` as `git merge` would, without a work tree or an index (`git merge-tree
    --write-tree`, git 2.38 or later); the new objects go where `env` (from `scratch`) says."""
    status, out = run_with(env, root, "merge-tree", "--write-tree", "-z", "--name-only", "--no-messages",
                           ours, theirs, ok=(0, 1))
    parts = out.split(b"\0")
    conflicts = sorted({p for p in parts[1:] if p}) if status == 1 else []
    return Merge(parts[0].decode("ascii").strip(), tuple(conflicts))


def checkout_tree(env: dict[str, str], root: Path, tree: str, folder: Path) -> None:
    """Write the files of `tree` into the empty `folder`, through the temporary index of `env` (from `scratch`):
    no worktree is registered and no hook runs."""
    run_with(env, root, "read-tree", tree)
    run_with(env, root, f"--work-tree={folder}", "checkout-index", "--all", "--force")


def changed_paths(env: dict[str, str], root: Path, old: str, new: str) -> list[bytes]:
    """The paths `new` has that are not the same in `old` (trees or commits; a rename's new name), as bytes."""
    _, out = run_with(env, root, "diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", "--no-ext-diff",
                      "--no-textconv", "--no-relative", old, new)
    return [p for p in out.split(b"\0") if p]


def first_added(root: Path, ref: str, paths: Sequence[str]) -> dict[str, int]:
    """When each of `paths` arrived in `ref`'s first-parent history (the order `main` got them: a pull request
    counts when it was merged, not when its commits were written): 0 for the first commit, 1 for the next…, from
    the commit that added the path (or the path it was renamed from) and did not delete it since. Paths `ref`
    does not have are left out. One `git log` of the folders the paths are in. Raises OSError without git,
    `GitFailed` when git fails."""
    folders = sorted({f":(literal){p.rsplit('/', 1)[0]}/" if "/" in p else ":(literal)." for p in paths})
    out = run(root, "log", "--first-parent", "--reverse", "--diff-filter=ADR", "-M", "--name-status", "-z",
              "--no-color", "--no-ext-diff", "--format=%x01", ref, "--", *folders)
    when: dict[bytes, int] = {}
    parts = out.split(b"\0")
    commit, i = -1, 0
    while i < len(parts):
        token = parts[i].lstrip(b"\n")
        i += 1
        if token == b"\x01":
            commit += 1
        elif token[:1] in (b"A", b"D") and i < len(parts):
            if token[:1] == b"A":
                when.setdefault(parts[i], commit)
            else:
                when.pop(parts[i], None)
            i += 1
        elif token[:1] == b"R" and i + 1 < len(parts):
            arrived = when.pop(parts[i], commit)
            when.setdefault(parts[i + 1], arrived)
            i += 2
    wanted = {os.fsencode(p): p for p in paths}
    return {wanted[raw]: n for raw, n in when.items() if raw in wanted}
