"""Reading a pinned commit's files from a source's cache with one git process: `git cat-file --batch-command`,
asked for the commit, the trees down to the source's folder and under it, and each file, one object at a time.

This is how the build, `commons validate` and check-pr read what sources.lock pins (every build reads every
source): the files must be exactly the ones the lock records, path for path and blob for blob, or the pin is
not used and the reason is said (`Mismatch`). A source's new commits are read by `contents.read_snapshot`,
which reports everything a source may not hold. Git's own checks still apply; nothing is checked out.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from commons.sources.fetch import _options, git_env

MAX_OBJECT = 256 * 1024 * 1024  # bytes of any one tree or commit read (a hostile cache could hold more)


@dataclass(frozen=True)
class Mismatch:
    """Why a cache cannot give a pin's files: `missing` (the commit is not in the cache) or what differs."""

    missing: bool
    path: str = ""  # the file (in the source repository) that differs, when one does
    message: str = ""


class Objects:
    """One `git cat-file --batch-command` on a cache; `read(sha)` is (type, bytes), or None when the cache lacks
    the object (or it is larger than `most`)."""

    def __init__(self, cache: Path):
        self.proc = subprocess.Popen(["git", *_options(False), f"--git-dir={cache}", "cat-file", "--batch-command"],
                                     env=git_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)

    def __enter__(self) -> Objects:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.kill() if exc[0] is not None else None
        self.proc.wait()

    def _ask(self, command: str, sha: str) -> list[bytes] | None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if not sha or any(c not in "0123456789abcdef" for c in sha):
            return None
        self.proc.stdin.write(f"{command} {sha}\n".encode())
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        return header if len(header) == 3 else None

    def read(self, sha: str, most: int = MAX_OBJECT) -> tuple[str, bytes] | None:
        header = self._ask("contents", sha)
        if header is None:
            return None
        if int(header[2]) > most:  # not read: git is stopped instead (nothing more is read from it)
            self.proc.kill()
            return None
        assert self.proc.stdout is not None
        data = self.proc.stdout.read(int(header[2]) + 1)[:-1]
        return header[1].decode(), data


def _entries(data: bytes) -> list[tuple[str, bytes, str]]:
    """A tree object's entries: (mode, name, sha)."""
    out, pos = [], 0
    while pos < len(data):
        space = data.index(b" ", pos)
        nul = data.index(b"\0", space)
        out.append((data[pos:space].decode("ascii"), data[space + 1:nul], data[nul + 1:nul + 21].hex()))
        pos = nul + 21
    return out


def pinned_files(cache: Path, commit: str, folder: str, files: dict[str, str], ignored: set[str],
                 most: int) -> dict[str, bytes] | Mismatch:
    try:
        return _locked_files(cache, commit, folder, files, ignored, most)
    except (OSError, ValueError, IndexError):  # git stopped (no such cache), or an object not as git writes it
        return Mismatch(True, message=f"the commit {commit[:7]} cannot be read from .cache/sources/")


def _locked_files(cache: Path, commit: str, folder: str, files: dict[str, str], ignored: set[str],
                  most: int) -> dict[str, bytes] | Mismatch:
    """The contents of `files` (path in the source repository -> blob id, as sources.lock records them) at
    `commit` in `cache`, by path; or the Mismatch: the commit missing, a file the lock lacks or records
    otherwise, a file over `most` bytes. `ignored`: names (relative to `folder`) that are not read."""
    prefix = f"{folder}/" if folder else ""
    with Objects(cache) as objects:
        got = objects.read(commit)
        if got is None or got[0] != "commit":
            return Mismatch(True, message=f"the commit {commit[:7]} is not in .cache/sources/")
        tree = got[1].split(b"\n", 1)[0].removeprefix(b"tree ").decode("ascii", "replace")
        for part in folder.split("/") if folder else []:
            listed = objects.read(tree)
            found = [sha for mode, name, sha in _entries(listed[1]) if name == part.encode() and mode == "40000"] \
                if listed is not None and listed[0] == "tree" else []
            if not found:
                return Mismatch(False, message=f"the folder '{folder}' is not in the cached commit {commit[:7]}")
            tree = found[0]
        blobs: dict[str, str] = {}
        todo = [("", tree)]
        while todo:
            base, sha = todo.pop()
            listed = objects.read(sha)
            if listed is None or listed[0] != "tree":
                return Mismatch(False, message=f"a folder of the commit {commit[:7]} is missing from .cache/sources/")
            for mode, raw, obj in _entries(listed[1]):
                name = base + raw.decode("utf-8", "replace")
                if mode == "40000":
                    todo.append((name + "/", obj))
                elif name in ignored:
                    continue
                elif mode not in ("100644", "100755") or prefix + name not in files:
                    return Mismatch(False, prefix + name, f"{prefix + name} is not in sources.lock")
                else:
                    blobs[prefix + name] = obj
        for path in sorted(set(blobs) | set(files)):
            if blobs.get(path) != files.get(path):
                what = "is not in sources.lock" if path not in files else "is not in the cached commit" \
                    if path not in blobs else "is not the one sources.lock records"
                return Mismatch(False, path, f"{path} {what}")
        out: dict[str, bytes] = {}
        for path, sha in sorted(files.items()):
            read = objects.read(sha, most)
            if read is None or read[0] != "blob":
                return Mismatch(False, path, f"{path} is missing from .cache/sources/ (or too large)")
            out[path] = read[1]
        return out
