"""The locked sources as the build and the validator use them: every pinned file at its place in the commons,
where it is edited (in the council's own repository) and when it last changed (from that repository's history,
not this one's).

`gather(root, register)` reads each pin from the cache once; `restore_missing(root, register)` first fetches a
locked commit the cache lacks (never moving a pin), so `commons build` works on a fresh clone and fails with the
source named, and what to do, when it cannot. A commons with no sources.lock costs one `stat`.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from commons.content.problems import Problem
from commons.content.register import Register
from commons.content.validate.repository import Sourced
from commons.errors import CommonsError
from commons.sources import locked_snapshot, pinned_source
from commons.sources.config import LOCK_FILE, Locked, is_local, read_lock
from commons.sources.contents import Snapshot, candidate
from commons.sources.fetch import FetchFailed, cache_of, fetch, git, has_commit, pin

_GITHUB = re.compile(r"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$")
READERS = 8  # sources read from the cache at once (each read is a few git processes)
MAX_COMMITS = 20000  # of a source's history read for its files' dates (a hostile source may have millions)


def edit_url(url: str, ref: str, source_path: str) -> str:
    """Where a sourced file is edited: GitHub's editor at the pinned branch for a github.com repository,
    otherwise the repository's own address (https, or a local folder in tests); "" for anything else, so no
    address a hand-edited sources.lock holds becomes a link."""
    m = _GITHUB.match(url)
    if m:
        return f"https://github.com/{m[1]}/{m[2]}/edit/{quote(ref)}/{quote(source_path)}"
    return url if url.startswith(("https://", "/")) and not url.startswith("//") else ""


def shown_url(url: str) -> str:
    """A repository's address as a page prints it: github.com/ORG/REPO."""
    return url.removeprefix("https://").removesuffix("/").removesuffix(".git")


@dataclass(frozen=True)
class SourcedRecord:
    """One pinned file of a council's own repository."""

    commons_path: str  # where it sits in the commons: councils/sheffield/declaration.yml
    source_path: str  # in the source repository: records/declaration.yml
    edit_url: str
    added: dt.date | None  # from the source's history up to the pinned commit
    changed: dt.date | None


@dataclass(frozen=True)
class SourcedCouncil:
    """A council whose records are kept in its own repository, as the build shows it."""

    code: str
    url: str  # the repository (https; a local folder in tests)
    shown: str  # github.com/ORG/REPO
    commit: str  # the pinned commit
    changed: dt.date | None  # the newest change to any of its files (else the pinned commit's date)
    files: tuple[SourcedRecord, ...]

    @property
    def linkable(self) -> bool:
        return not is_local(self.url)


@dataclass
class Records:
    """Every locked source's files, for `validate_repository(sourced=…)` and for the site."""

    sourced: list[Sourced] = field(default_factory=list)
    councils: dict[str, SourcedCouncil] = field(default_factory=dict)
    # Pins whose commit .cache/sources/ does not hold (left out: `commons sources fetch` restores them).
    not_fetched: list[Locked] = field(default_factory=list)

    def by_path(self) -> dict[str, SourcedRecord]:
        return {r.commons_path: r for c in self.councils.values() for r in c.files}


def pins_of(lock: bytes | None) -> dict[str, Locked]:
    """The pins a sources.lock's bytes hold (check-pr reads the base commit's); none for None."""
    if lock is None:
        return {}
    with tempfile.TemporaryDirectory(prefix="commons-lock-") as folder:
        (Path(folder) / LOCK_FILE).write_bytes(lock)
        return read_lock(Path(folder))


def restore_missing(root: Path, register: Register, pins: dict[str, Locked] | None = None) -> None:
    """Fetch every locked commit (of root's sources.lock, or `pins`) the cache lacks, as `commons sources fetch`
    does, moving no pin. Raises CommonsError naming each source that could not be restored and what to do."""
    if pins is None and not (root / LOCK_FILE).exists():
        return
    failed = []
    locks = sorted((read_lock(root) if pins is None else pins).items())
    with ThreadPoolExecutor(READERS) as pool:  # each check is a git process: several at once
        cached = list(pool.map(lambda item: not item[1].commit or has_commit(cache_of(root, item[0]),
                                                                              item[1].commit), locks))
    for (code, locked), present in zip(locks, cached, strict=True):
        if present:
            continue
        cache = cache_of(root, code)
        try:
            # The lock was written by `commons sources update`, which refuses local folders unless told to
            # (tests); a change to sources.lock changes the tooling and needs a maintainer of the commons.
            fetch(root, pinned_source(locked), want=locked.commit)
            pin(cache, locked.commit)
        except FetchFailed as e:
            failed.append(f"{_name(register, code)}: {locked.url} at {locked.commit[:7]}: {e}")
    if failed:
        raise CommonsError(f"{len(failed)} council{'s' * (len(failed) != 1)}' own repositor"
                           f"{'ies' if len(failed) != 1 else 'y'} could not be fetched into .cache/sources/",
                           "connect to the network and run `commons sources fetch`, then build again (a build never "
                           "moves a pin; `commons sources update CODE` checks a source again)",
                           details="\n".join(failed))


def gather(root: Path, register: Register, strict: bool = False, pins: dict[str, Locked] | None = None) -> Records:
    """Every locked source's files (as root's sources.lock, or `pins`, records them) from root's cache. A source
    the cache cannot give as locked is left out, or with `strict` (the build) raises CommonsError naming it."""
    out = Records()
    if pins is None and not (root / LOCK_FILE).exists():
        return out
    missing = []
    locks = [(code, locked) for code, locked in sorted((read_lock(root) if pins is None else pins).items())
             if locked.commit]

    def read(locked: Locked) -> tuple[Snapshot, SourcedCouncil] | None:
        snap = locked_snapshot(root, pinned_source(locked), locked, register)
        return (snap, _council(root, locked, snap)) if snap is not None else None

    with ThreadPoolExecutor(READERS) as pool:  # a few git processes per source, several sources at once
        read_all = list(pool.map(read, [locked for _, locked in locks]))
    for (code, locked), got in zip(locks, read_all, strict=True):
        if got is None:
            if not has_commit(cache_of(root, code), locked.commit):
                out.not_fetched.append(locked)
            missing.append(f"{_name(register, code)}: {locked.url} at {locked.commit[:7]}")
            continue
        snap, council = got
        out.sourced += [Sourced(candidate(f), snap.where(f.source_path), f.data) for f in snap.files]
        out.councils[code] = council
    if missing and strict:
        raise CommonsError("the cache does not hold what sources.lock records for "
                           f"{len(missing)} source{'s' * (len(missing) != 1)}",
                           "run `commons sources fetch` (or `commons sources update CODE` to check it again)",
                           details="\n".join(missing))
    return out


def not_fetched_problems(root: Path, register: Register, records: Records) -> list[Problem]:
    """A W-SOURCE-NOT-FETCHED warning for each pin whose commit the cache lacks, at its `commit:` line in
    sources.lock: `commons validate` checks the commons without that council's files, and says so."""
    lines = (root / LOCK_FILE).read_text(encoding="utf-8").splitlines() if records.not_fetched else []
    out = []
    for locked in records.not_fetched:
        line = col = 0
        for i, text in enumerate(lines, 1):
            if text.strip() == f"commit: {locked.commit}":
                line, col = i, text.index("commit:") + len("commit: ") + 1
                break
        out.append(Problem(LOCK_FILE, line, col, "W-SOURCE-NOT-FETCHED",
                           f"the records of {_name(register, locked.council)} were not checked: its pinned commit "
                           f"{locked.commit[:7]} of {locked.url} is not in .cache/sources/",
                           "run `commons sources fetch` (it needs the network), then validate again"))
    return out


def _council(root: Path, locked: Locked, snap: Snapshot) -> SourcedCouncil:
    days = file_dates(cache_of(root, locked.council), locked.commit, locked.path)
    files = tuple(SourcedRecord(f.commons_path, f.source_path, edit_url(locked.url, locked.ref, f.source_path),
                                *days.get(f.source_path, (None, None))) for f in snap.files)
    changed = max((f.changed for f in files if f.changed), default=None)
    if changed is None and locked.committed[:10]:
        try:
            changed = dt.date.fromisoformat(locked.committed[:10])
        except ValueError:
            changed = None
    return SourcedCouncil(locked.council, locked.url, shown_url(locked.url), locked.commit, changed, files)


def file_dates(cache: Path, commit: str, folder: str) -> dict[str, tuple[dt.date, dt.date]]:
    """Path in the source repository -> (first added, last changed), committer dates, from one `git log` of the
    pinned commit's history (the newest MAX_COMMITS commits); empty when git cannot read it."""
    try:
        out = git(cache, "log", f"--max-count={MAX_COMMITS}", "--no-show-signature", "--format=%x00%cs",
                  "--name-only", "--no-renames", commit, "--", *([folder] if folder else [])).decode("utf-8")
    except (FetchFailed, UnicodeDecodeError):
        return {}
    dates: dict[str, tuple[dt.date, dt.date]] = {}
    day: dt.date | None = None
    for line in out.splitlines():
        if line.startswith("\x00"):
            try:
                day = dt.date.fromisoformat(line[1:11])
            except ValueError:
                day = None
        elif line and day is not None:
            known = dates.get(line)  # newest first: the first date seen is the last change
            dates[line] = (day, known[1] if known else day)
    return dates


def _name(register: Register, code: str) -> str:
    a = register.by_code.get(code)
    return f"{a.name} ({code})" if a else code


def sourced_at(root: Path, lock: bytes | None, register: Register) -> list[Sourced]:
    """The sourced files a sources.lock's bytes pin (check-pr passes the base commit's: the rules come from the
    base), from root's cache, fetching a pinned commit it lacks; CommonsError naming a source it cannot."""
    pins = pins_of(lock)
    if not pins:
        return []
    restore_missing(root, register, pins)
    return gather(root, register, strict=True, pins=pins).sourced
