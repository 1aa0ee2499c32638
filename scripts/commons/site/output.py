"""The folder a build writes: its own, beside `site/`, made from the site before last and written in place.

A full build never writes into the live `site/`: it writes a folder of its own and puts it in place
only when every step has succeeded (`replace_site`), so a failed build never leaves half a site. The
site it replaces is kept as the spare (`.site-spare/`), and the next build writes into that folder
(`claim_spare`) rather than a new one: each file of the new site is written over its copy from the build
before last, in place, and the files the build did not write are removed at the end (`sweep`).

Making and deleting the site's thousands of files and folders on every build was its slowest part. A
filesystem that deleted them a moment ago takes longer to find room for new ones (ext4 without a journal
steps over every recently deleted inode), and truncating a file before writing it frees its blocks only
to allocate them again. Writing over a file's bytes and then setting its length (`write_over`) needs
neither. While a build renders (`writing_in_place`), MkDocs writes and copies its own files that way too,
and leaves the folder as it is rather than emptying it first.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from commons.site import mkdocs_api


def write_over(path: str | Path, content: bytes) -> None:
    """Write `content` to the file at `path`, over the bytes of any file already there, making its folders."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    if not content:
        flags |= os.O_TRUNC  # opening with O_TRUNC marks an existing file as written; writing nothing would not
    try:
        fd = os.open(path, flags, 0o666)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, flags, 0o666)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view):]
        os.ftruncate(fd, len(content))
    finally:
        os.close(fd)


def copy_over(source_path: str, output_path: str) -> None:
    """Copy the file at `source_path` to `output_path` (or into it, if that is a folder) with write_over,
    as MkDocs copies a file."""
    if os.path.isdir(output_path):
        output_path = os.path.join(output_path, os.path.basename(source_path))
    if os.path.exists(output_path) and os.path.samefile(source_path, output_path):
        raise shutil.SameFileError(f"{source_path} and {output_path} are the same file")
    with open(source_path, "rb") as f:
        write_over(output_path, f.read())


@contextmanager
def writing_in_place() -> Iterator[None]:
    """While open, MkDocs writes and copies files with write_over, and does not empty the site folder
    before a full build: the folder is a new one, or a claimed spare that `sweep` tidies afterwards."""
    with mkdocs_api.writing_files_with(write_over, copy_over):
        yield


# --- The build's folder ---------------------------------------------------------------------------------

def spare_folder(target: Path) -> Path:
    """Where the site a build replaced is kept, for the next build to write into."""
    return target.with_name(f".{target.name}-spare")


def new_folder(target: Path) -> Path:
    """A new, empty folder for a build of `target`, beside it (so it can be renamed into place)."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))


def claim_spare(target: Path) -> tuple[Path, dict[str, int] | None]:
    """A folder for a build of `target`, and what was in it: each file's status-change time (ctime, which
    every write sets) by its path. The spare is renamed to a name of this build's own, so two builds at
    once never share it. With no spare: a new folder, and None."""
    work = target.with_name(f".{target.name}-{secrets.token_hex(6)}")
    try:
        spare_folder(target).rename(work)
    except OSError:
        return new_folder(target), None
    return work, {path: os.lstat(path).st_ctime_ns for path in _files(work)}


def sweep(work: Path, before: dict[str, int], tidied_already: Path | None = None) -> None:
    """After a build into a claimed spare: remove the files the build did not write (their ctime is as it
    was), and the folders that leaves empty; but nothing under `tidied_already`, whose writer keeps files
    it would have written unchanged and removes its own stale ones."""
    emptied: set[str] = set()
    inside = None if tidied_already is None else os.path.join(str(tidied_already), "")
    for path, ctime in before.items():
        if inside is not None and path.startswith(inside):
            continue
        try:
            if os.lstat(path).st_ctime_ns == ctime:
                os.unlink(path)
                emptied.add(os.path.dirname(path))
        except FileNotFoundError:
            pass
    top = str(work)
    for folder in sorted(emptied, key=len, reverse=True):  # deepest first
        while folder != top and folder.startswith(top):
            try:
                os.rmdir(folder)
            except OSError:
                break  # not empty, so neither are the folders above it
            folder = os.path.dirname(folder)


def replace_site(target: Path, work: Path) -> None:
    """Put the finished build `work` in place of `target`; the site it replaces becomes the spare."""
    spare = spare_folder(target)
    if target.exists():
        if spare.exists():  # another build made one meanwhile: one spare is enough
            aside = target.rename(target.with_name(f".{target.name}-{secrets.token_hex(6)}"))
            shutil.rmtree(aside, ignore_errors=True)
        else:
            target.rename(spare)
    work.rename(target)


def _files(folder: Path) -> list[str]:
    return [os.path.join(here, name) for here, _, names in os.walk(folder) for name in names]
