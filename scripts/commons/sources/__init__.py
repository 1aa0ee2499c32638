"""Councils' own repositories (federation): which councils keep their records elsewhere, the commit each is
pinned to, fetching those repositories safely and reading them as content checked like a pull request.

The model, for the commands and the site (`commons sources update` and `fetch` in commands/sources/; the
/sources/ page, council-page notes and the daily workflow build on these):

- `config.read_sources(root, register, allow_local=False) -> list[Source]`: `sources.yml`, maintained by the
  commons' maintainers. A `Source` is `council` (register code), `url` (https; a local path only with
  `allow_local`, for tests), `ref` (default main), `path` (the folder holding the files, "" for the top) and
  `line` (its place in sources.yml). Raises CommonsError listing every located problem.
- `config.read_lock(root) -> dict[code, Locked]` and `config.write_lock(root, pins)`: `sources.lock`, written by
  the tooling only. A `Locked` pin has the source's `url`/`ref`/`path`, `commit` (the last good one, "" if
  none yet), `committed` (that commit's date), `checked` (when the source was last fetched and checked, ISO
  8601 UTC), `files` (path in the source repository -> git blob id) and `failure`: None when the last check
  passed, else a `Failure` with `since` (when it started failing: the site has shown the older pin since
  then), `reason` (one sentence), `commit` (the one refused) and `problems` (each
  `<url>@<short sha>:<file>:<line>:<col>: error[CODE] message (hint: …)`).
- `fetch`: the hostile-safe git (scrubbed environment, no hooks, submodules, LFS, redirects or protocols but
  https, time and size limits) into a bare cache per source, `.cache/sources/<CODE>.git`; files are read with
  `git ls-tree`/`cat-file`, never checked out.
- `contents.read_snapshot(cache, source, commit, register) -> Snapshot` (the files a commit holds, refusing
  what a source may not hold) and `contents.check(root, snapshot, register, others)` (every validate check,
  ownership, and against the commons). A `SourceFile` has `source_path` (in their repository), `commons_path`
  (where it sits in the commons: `councils/<slug>/declaration.yml`, `case-studies/<slug>.md`), `blob`, `data`.
- `locked_snapshot(root, source, pin, register)`: the pinned commit's files from the cache (parsed, not
  checked again), or None when the cache lacks it (`commons sources fetch` restores it).
- `locked_files(root, register)`: every locked file of every source, by council code; `sourced(root, register)`
  the same as `content.validate.repository.Sourced` values for `validate_repository(root, sourced=…)`, which
  checks them with the rest of the commons and refuses a council kept in both places.
- `records`: what `commons validate`, check-pr and the build take from the pins: `gather` (the Sourced files,
  and per council each file's edit link and dates from the source's history), `restore_missing` (fetch a
  locked commit the cache lacks, moving no pin), `sourced_at` (check-pr: the base commit's lock). See
  docs/architecture.md, "Councils' own repositories".
"""

from __future__ import annotations

from pathlib import Path

from commons.content.register import Register
from commons.content.schema import MAX_FILE_BYTES
from commons.content.validate.repository import Sourced
from commons.sources.config import Locked, Source, read_lock
from commons.sources.contents import IGNORED, Snapshot, SourceFile, candidate, commons_path, parse
from commons.sources.fetch import cache_of
from commons.sources.objects import Mismatch, pinned_files


def pinned_source(pin: Locked, line: int = 0) -> Source:
    """The source as it was when `pin` was written (sources.yml may have changed its url, ref or path since)."""
    return Source(pin.council, pin.url, pin.ref, pin.path, line)


def locked_snapshot(root: Path, source: Source, pin: Locked, register: Register,
                    present: bool = False) -> Snapshot | None:
    """The files of `pin`'s commit, parsed, or None when the cache does not have that commit or its files are
    not the ones the lock records (`locked_read` says which)."""
    got = locked_read(root, source, pin, register)
    return got if isinstance(got, Snapshot) else None


def locked_read(root: Path, source: Source, pin: Locked, register: Register,
                parsed: bool = True) -> Snapshot | Mismatch:
    """The files of `pin`'s commit from the cache (one git process), `parsed` (not checked again: they were when
    pinned); or the Mismatch saying why the cache cannot give exactly the files the lock records."""
    if not pin.commit or pin.council not in register.by_code:
        return Mismatch(True, message="nothing is pinned")
    cache = cache_of(root, pin.council)
    if not (cache / "HEAD").is_file():
        return Mismatch(True, message=f"the commit {pin.commit[:7]} is not in .cache/sources/")
    shown = pinned_source(pin, source.line)
    got = pinned_files(cache, pin.commit, shown.path, pin.files, IGNORED, MAX_FILE_BYTES)
    if isinstance(got, Mismatch):
        return got
    slug = register.by_code[pin.council].slug
    files = []
    for path, data in got.items():
        place = commons_path(path[len(shown.prefix):], slug)
        if place is None:
            return Mismatch(False, path, f"{path} is not a file a source may hold")
        files.append(SourceFile(path, place, pin.files[path], data))
    snap = Snapshot(shown, pin.commit, files)
    return parse(snap) if parsed else snap


def sourced(root: Path, register: Register) -> list[Sourced]:
    """Every locked file of every source, for `validate_repository(root, sourced=…)`: checked at its place in the
    commons, reported at its place in the source repository."""
    out = []
    for _, pin in sorted(read_lock(root).items()):
        snap = locked_snapshot(root, pinned_source(pin), pin, register)
        if snap is not None:
            out += [Sourced(candidate(f), snap.where(f.source_path), f.data) for f in snap.files]
    return out


def locked_files(root: Path, register: Register) -> dict[str, list[SourceFile]]:
    """Every source's locked files by council code, from the cache (a source whose locked commit is not cached
    is left out: run `commons sources fetch`)."""
    out: dict[str, list[SourceFile]] = {}
    for code, pin in read_lock(root).items():
        snap = locked_snapshot(root, pinned_source(pin), pin, register)
        if snap is not None:
            out[code] = snap.files
    return out
