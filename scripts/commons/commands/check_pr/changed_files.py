"""What a pull request changes, as git records it: every path as bytes, with its mode and size.

Git stores a file name as any bytes except `/` and NUL, and can record a submodule (mode 160000) or a symbolic
link (mode 120000) where a file would be. Everything is read with `-z`, as bytes, so no name is quoted or
mangled; a name that is not plain UTF-8 text, a submodule, a link outside the content folders and an
oversized file outside them each become a located problem, and never reach the code that reads entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from commons.commands.check_pr.pull_request import FileChange
from commons.content.problems import Problem
from commons.content.schema import CONTENT_FOLDERS

if TYPE_CHECKING:
    import git

MAX_OTHER_BYTES = 5 * 1024 * 1024  # files outside the content folders (entries have their own, smaller limit)

GITLINK, SYMLINK = "160000", "120000"
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Diff:
    """The change from one commit to another, sorted: the content files to check, and the rest."""

    content: list[FileChange] = field(default_factory=list)  # files in the content folders, to read and check
    other: list[str] = field(default_factory=list)  # every other changed path, as `show_path` writes it
    problems: list[Problem] = field(default_factory=list)  # what is wrong with the names, modes and sizes


def show_path(raw: bytes) -> str:
    """A path as printable text, whatever its bytes: undecodable bytes and control characters as escapes."""
    text = raw.decode("utf-8", "backslashreplace")
    return _UNSHOWABLE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def _plain(raw: bytes) -> str | None:
    """The path as text when it is UTF-8 with nothing unprintable in it, else None."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if _UNSHOWABLE.search(text) else text


def _file_name(shown: str) -> Problem:
    return Problem(shown, 0, 0, "E-FILE-NAME", "the file name is not plain text (it has bytes that are not UTF-8, "
                   "or control characters)", "rename the file to plain letters, digits and hyphens")


def _submodule(shown: str) -> Problem:
    return Problem(shown, 0, 0, "E-SUBMODULE", "a git submodule (a link to another repository's commit) cannot be "
                   "part of the commons", "remove it with git rm --cached, and add the files it should hold instead")


def _in_content(path: str) -> bool:
    return path.split("/", 1)[0] in CONTENT_FOLDERS


def read_diff(repo: git.Repo, start: str, head: str) -> Diff:
    """Every path changed from `start` to `head` (renames detected), sorted into what can be checked and what
    is refused."""
    raw = repo.git.diff("--raw", "-z", "-M", "--no-abbrev", "--no-color", "--no-ext-diff", "--no-textconv",
                        "--no-relative", start, head, stdout_as_string=False, strip_newline_in_stdout=False)
    assert isinstance(raw, bytes)
    parts = raw.split(b"\0")
    diff = Diff()
    i = 0
    while i < len(parts) and parts[i].startswith(b":"):
        fields = parts[i][1:].decode("ascii", "replace").split()
        new_mode, new_sha, status = fields[1], fields[3], fields[4][:1]
        if status in ("R", "C"):
            old_raw, new_raw = parts[i + 1], parts[i + 2]
            i += 3
        else:
            old_raw = new_raw = parts[i + 1]
            i += 2
        kind = {"A": "added", "D": "deleted", "R": "renamed", "C": "added"}.get(status, "modified")
        gone_raw = None if kind == "added" else old_raw  # the path the change takes away or rewrites
        came_raw = None if kind == "deleted" else new_raw  # the path it writes
        if came_raw is not None and (_plain(came_raw) is None or new_mode == GITLINK):
            shown = show_path(came_raw)
            diff.problems.append(_file_name(shown) if _plain(came_raw) is None else _submodule(shown))
            if not _in_content(shown):
                diff.other.append(shown)
            came_raw = None
        gone, came = (None if p is None else _plain(p) for p in (gone_raw, came_raw))
        if gone_raw is not None and gone is None:  # a name that is not text, taken away: nobody's entry
            diff.other.append(show_path(gone_raw))
        if gone and came and _in_content(gone) and _in_content(came):
            diff.content.append(FileChange(kind, gone, came))
        elif came and _in_content(came):
            diff.content.append(FileChange("added", None, came))  # links and sizes there are the validator's
        elif gone and _in_content(gone):
            diff.content.append(FileChange("deleted", gone, None))
        diff.other += [p for p in dict.fromkeys((gone, came)) if p and not _in_content(p)]
        if came is None or _in_content(came):
            continue
        if new_mode == SYMLINK:
            diff.problems.append(Problem(came, 0, 0, "E-SYMLINK", "symbolic links are not allowed in the commons",
                                         "replace the link with the file itself"))
        elif new_mode.startswith("100"):
            size = repo.odb.info(bytes.fromhex(new_sha)).size
            if size > MAX_OTHER_BYTES:
                diff.problems.append(Problem(
                    came, 0, 0, "E-TOO-LARGE", f"file is {size / 1024 / 1024:.1f} MB; files outside the content "
                    f"folders are limited to {MAX_OTHER_BYTES // 1024 // 1024} MB",
                    "keep large files out of the repository and link to them"))
    diff.content.sort(key=lambda c: c.path)
    diff.other = sorted(dict.fromkeys(diff.other))
    return diff


def referrers(repo: git.Repo, head: str, names: list[str], env: dict[str, str] | None = None) -> list[str]:
    """Content files at `head` (a commit, or a tree: the merge) that mention any of `names` as a word: one
    `git grep` of it. `env`: where git finds objects the repository does not hold (`gitio.scratch`)."""
    import git

    args = ["-l", "-z", "-F", "-w", "--no-color", "--no-textconv"]
    for name in names:
        args += ["-e", name]
    try:
        out = repo.git.grep(*args, head, "--", *CONTENT_FOLDERS, stdout_as_string=False,
                            strip_newline_in_stdout=False, env=env)
    except git.GitCommandError as e:
        if e.status == 1:  # nothing found
            return []
        raise
    assert isinstance(out, bytes)
    prefix = head.encode() + b":"
    found = (_plain(line[len(prefix):] if line.startswith(prefix) else line) for line in out.split(b"\0") if line)
    return [path for path in found if path is not None]  # a name that is not text is reported where it changed


def file_at(commit: git.Commit, path: str, limit: int = MAX_OTHER_BYTES) -> bytes | None:
    """A regular file's bytes in `commit` (the base branch's, for rules and names), or None."""
    try:
        blob = commit.tree / path
    except KeyError:
        return None
    if blob.type != "blob" or blob.mode & 0o170000 != 0o100000 or blob.size > limit:
        return None
    data = blob.data_stream.read()
    return data if isinstance(data, bytes) else None


def content_paths(raw: list[bytes]) -> list[str]:
    """The paths in the content folders among `raw` (paths as git gives them), leaving out names that are not
    plain text (those are reported where the pull request changes them)."""
    return [path for path in map(_plain, raw) if path is not None and _in_content(path)]
