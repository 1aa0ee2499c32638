"""The locked sources as the build and the validator use them: every pinned file at its place in the commons,
where it is edited (in the council's own repository) and when it last changed (from that repository's history,
not this one's).

`gather(root, register)` reads each pin from the cache once; `restore_missing(root, register)` first fetches a
locked commit the cache lacks (never moving a pin), so `commons build` works on a fresh clone and fails with the
source named, and what to do, when it cannot. A commons with no sources.lock costs one `stat`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from commons.content.problems import Problem
from commons.content.register import Register, load_register
from commons.content.validate.repository import Sourced
from commons.errors import CommonsError
from commons.sources import locked_read, pinned_source
from commons.sources.config import LOCK_FILE, Locked, is_local, read_lock
from commons.sources.contents import Snapshot, candidate
from commons.sources.fetch import PINNED, FetchFailed, cache_of, fetch, git, has_commit, pin, read_ref
from commons.sources.objects import Mismatch

_GITHUB = re.compile(r"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$")
READERS = 8  # sources read from the cache at once (each read is a few git processes)
MAX_COMMITS = 20000  # of a source's history read for its files' dates (a hostile source may have millions)
DATES = "commons-dates.json"  # in a source's cache: its pinned commit's file dates, read once


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
    # Pins whose commit .cache/sources/ does not hold, and those whose files it does not hold as locked (left
    # out: `commons sources fetch` restores them), each with why.
    not_fetched: list[tuple[Locked, Mismatch]] = field(default_factory=list)
    mismatched: list[tuple[Locked, Mismatch]] = field(default_factory=list)

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

    def in_cache(item: tuple[str, Locked]) -> bool:
        """The commit is in the cache: `refs/commons/pinned` names it (read from its file: we set it only once the
        commit was fetched), else git says so. A cache that lost objects anyway is found when it is read."""
        code, locked = item
        cache = cache_of(root, code)
        return not locked.commit or read_ref(cache, PINNED) == locked.commit or has_commit(cache, locked.commit)

    with ThreadPoolExecutor(READERS) as pool:  # a check may be a git process: several at once
        cached = list(pool.map(in_cache, locks))
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


def gather(root: Path, register: Register, strict: bool = False, pins: dict[str, Locked] | None = None,
           repair: bool | None = None) -> Records:
    """Every locked source's files (as root's sources.lock, or `pins`, records them) from root's cache. A source
    the cache cannot give as locked is left out (`not_fetched`, `mismatched`); with `repair` its cache is made
    again from the source first (moving no pin; by default when `strict`); with `strict` (the build) one still
    left out raises CommonsError naming it, at its place in sources.lock."""
    repair = strict if repair is None else repair
    out = Records()
    if pins is None and not (root / LOCK_FILE).exists():
        return out
    locks = [(code, locked) for code, locked in sorted((read_lock(root) if pins is None else pins).items())
             if locked.commit]

    def read(locked: Locked) -> tuple[Snapshot, SourcedCouncil] | Mismatch:
        got = locked_read(root, pinned_source(locked), locked, register, parsed=False)  # the validator parses them
        if isinstance(got, Mismatch) and repair:
            again = refetch(root, locked)
            got = locked_read(root, pinned_source(locked), locked, register, parsed=False) if again is None else \
                Mismatch(got.missing, got.path, f"{got.message}, and fetching it again failed: {again}")
        return (got, _council(root, locked, got)) if isinstance(got, Snapshot) else got

    with ThreadPoolExecutor(READERS) as pool:  # one git process per source (two the first time), several at once
        read_all = list(pool.map(read, [locked for _, locked in locks]))
    for (code, locked), got in zip(locks, read_all, strict=True):
        if isinstance(got, Mismatch):
            (out.not_fetched if got.missing else out.mismatched).append((locked, got))
            continue
        snap, council = got
        out.sourced += [Sourced(candidate(f), snap.where(f.source_path), f.data) for f in snap.files]
        out.councils[code] = council
    if strict and (out.not_fetched or out.mismatched):
        problems = cache_problems(root, register, out)
        raise CommonsError(f"the cache does not hold what sources.lock records for {len(problems)} "
                           f"source{'s' * (len(problems) != 1)}",
                           "run `commons sources fetch` (it needs the network); if a source's files still differ, "
                           "its pin does not match its commit: `commons sources update CODE` checks it again",
                           details="\n".join(f"{p.path}:{p.line}:{p.col}: " + p.message.replace(
                               " were not checked", " cannot be built") for p in problems))
    return out


def locked_sourced(root: Path) -> list[Sourced]:
    """The files sources.lock pins that the cache holds as locked (none, at the cost of one stat, without a
    sources.lock): for a report such as `commons market`, which `commons validate` warns about when some are not."""
    if not (root / LOCK_FILE).exists():
        return []
    return gather(root, load_register(root / "data" / "uk-local-authorities.csv")).sourced


def refetch(root: Path, locked: Locked) -> str | None:
    """Make the source's cache again with its locked commit (a cache that lost or changed objects cannot be
    trusted to say which): None when done, else why not."""
    cache = cache_of(root, locked.council)
    shutil.rmtree(cache, ignore_errors=True)
    try:
        fetch(root, pinned_source(locked), want=locked.commit)
        pin(cache, locked.commit)
    except FetchFailed as e:
        return str(e)
    return None


def cache_problems(root: Path, register: Register, records: Records) -> list[Problem]:
    """A problem for each pin the cache cannot give as locked: a commit it lacks at the pin's `commit:` line in
    sources.lock, a file that differs at that file's line; `commons validate` checks the commons without that
    council's files and says so (a warning); the build stops, naming each."""
    wrong = [*records.not_fetched, *records.mismatched]
    lines = (root / LOCK_FILE).read_text(encoding="utf-8").splitlines() if wrong else []
    out = []
    for locked, why in wrong:
        line, col = _lock_line(lines, locked, why.path)
        name = _name(register, locked.council)
        if why.missing:
            message = (f"the records of {name} were not checked: its pinned commit {locked.commit[:7]} of "
                       f"{locked.url} is not in .cache/sources/")
            hint = "run `commons sources fetch` (it needs the network), then validate again"
        else:
            message = (f"the records of {name} were not checked: .cache/sources/ does not hold them as sources.lock "
                       f"records them ({why.message})")
            hint = ("run `commons sources fetch`, which makes that cache again; if the files still differ, "
                    f"sources.lock was edited by hand: run `commons sources update {locked.council}`")
        out.append(Problem(LOCK_FILE, line, col, "W-SOURCE-NOT-FETCHED", message, hint))
    return out


def _lock_line(lines: list[str], locked: Locked, path: str) -> tuple[int, int]:
    """Where a pin's `commit:` (or, given `path`, that file's entry under its `files:`) is in sources.lock."""
    start = next((i for i, text in enumerate(lines) if text.strip() == f"commit: {locked.commit}"), None)
    if start is None:
        return 0, 0
    if path:
        for i in range(start, min(len(lines), start + 2 + len(locked.files) + 4)):
            key = lines[i].strip().split(":", 1)[0].strip("'\"")
            if key == path:
                return i + 1, lines[i].index(lines[i].strip()) + 1
    return start + 1, lines[start].index("commit:") + len("commit: ") + 1


def not_fetched_problems(root: Path, register: Register, records: Records) -> list[Problem]:
    """The W-SOURCE-NOT-FETCHED warnings of `cache_problems`, for `commons validate`."""
    return cache_problems(root, register, records)


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
    pinned commit's history (the newest MAX_COMMITS commits); empty when git cannot read it. A commit's history
    never changes, so what was read is kept beside the cache (`DATES`) and read from there next time."""
    kept = _kept_dates(cache, commit, folder)
    if kept is not None:
        return kept
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
    _keep_dates(cache, commit, folder, dates)
    return dates


def _kept_dates(cache: Path, commit: str, folder: str) -> dict[str, tuple[dt.date, dt.date]] | None:
    try:
        kept = json.loads((cache / DATES).read_text(encoding="utf-8"))
        if kept.get("commit") != commit or kept.get("folder") != folder:
            return None
        return {str(path): (dt.date.fromisoformat(added), dt.date.fromisoformat(changed))
                for path, (added, changed) in kept["dates"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _keep_dates(cache: Path, commit: str, folder: str, dates: dict[str, tuple[dt.date, dt.date]]) -> None:
    text = json.dumps({"commit": commit, "folder": folder,
                       "dates": {p: [a.isoformat(), c.isoformat()] for p, (a, c) in dates.items()}})
    try:
        tmp = cache / f"{DATES}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(cache / DATES)
    except OSError:
        pass  # a cache we cannot write to: read from git again next time


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
