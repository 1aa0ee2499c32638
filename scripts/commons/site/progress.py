"""Declaration progress over time: commitments counted by status, month by month, from git history.

The history is read in one pass, with the same three git processes whatever
its length. `git rev-parse HEAD` names the commit; one `git log` along its
first-parent line (the main branch as it landed: a merge counts on the day it
was merged) lists every revision of every `councils/<slug>/declaration.yml`;
one `git cat-file --batch` reads the last revision of each file in each
month, oldest first. A revision written plainly is read by
`plain_declaration.PlainDeclarations`, which reads each commitment's text once
however many revisions hold it; any other by the project's one YAML reader
(`yaml_reader.parse_yaml`, which refuses alias bombs and deep nesting), with the
same counts. Months run from the first commit's to the newest commit's, with no gaps.

History is a nicety, never a failure: outside a git repository, or if git
fails, there is no progress to show. A month whose last revision of a file
cannot be read (not YAML, not a list of commitments) keeps the counts of the
month before; a commitment without a known status is not counted. A deleted
file counts nothing from the month it was deleted; a moved council folder
counts under its new name from the month of the move.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from commons import gitio
from commons.content.load import decode, gc_paused
from commons.content.plain_declaration import PlainDeclarations
from commons.content.schema import MAX_FILE_BYTES
from commons.content.vocabulary import COMMITMENT_STATUSES

STATUSES = tuple(COMMITMENT_STATUSES)
Counts = tuple[int, ...]  # commitments in each status, in STATUSES order
ZERO: Counts = (0,) * len(STATUSES)

_DECLARATION = re.compile(r"councils/([a-z0-9]+(?:-[a-z0-9]+)*)/declaration\.yml")
_REGULAR_FILE = ("100644", "100755")


@dataclass(frozen=True)
class Progress:
    """Commitments by status at the end of each month, for the sector and for each council folder."""

    months: tuple[dt.date, ...]  # the first day of each month, oldest first, without gaps
    sector: tuple[Counts, ...]  # one per month
    councils: Mapping[str, tuple[Counts, ...]]  # council folder (its register slug) → one per month

    def council(self, slug: str) -> tuple[Counts, ...]:
        """A council's counts by month; all zero for a council that never had a declaration."""
        return self.councils.get(slug) or (ZERO,) * len(self.months)


NO_PROGRESS = Progress((), (), {})


def declaration_progress(root: Path) -> Progress:
    """The progress recorded in the git history of the repository at `root` (its top folder), read now."""
    head = _head(root)
    return NO_PROGRESS if head is None else progress_at(root, head)


class ProgressByCommit:
    """Declaration progress kept for the repository and commit it was read at, read again only after a new
    commit (one `git rev-parse` a look). `commons serve` keeps one for its session."""

    def __init__(self) -> None:
        self._read: tuple[Path, str, Progress] | None = None

    def of(self, root: Path) -> Progress:
        """declaration_progress(root), from what was read before while the commit is the same."""
        head = _head(root)
        if head is None:
            return NO_PROGRESS
        if self._read is None or self._read[:2] != (root, head):
            self._read = (root, head, progress_at(root, head))
        return self._read[2]


def _head(root: Path) -> str | None:
    if not gitio.has_repository(root):
        return None
    try:
        return gitio.run(root, "rev-parse", "--verify", "--quiet", "HEAD").decode().strip() or None
    except (OSError, gitio.GitFailed):  # no git, or no commit yet
        return None


def progress_at(root: Path, commit: str) -> Progress:
    """The progress recorded in the history of `commit` (a full commit id) in the repository at `root`."""
    try:
        # Newest first, as git finds them (--reverse would make git hold the whole log before writing any)
        log = gitio.run(root, "log", "--first-parent", "--diff-merges=first-parent", "--no-renames", "--root",
                        "--raw", "--no-abbrev", "--format=%x00%cs", commit, "--")
    except (OSError, gitio.GitFailed):
        return NO_PROGRESS
    months, changes = revisions(log.decode("utf-8", "replace"))
    if not months:
        return NO_PROGRESS
    # Each council's revisions together (they share most commitments' text), in two halves read at once.
    by_folder: dict[str, list[str]] = {}
    for month in changes:
        for folder, blob in month.items():
            if blob:
                by_folder.setdefault(folder, []).append(blob)
    halves: tuple[list[str], list[str]] = ([], [])
    for folder in sorted(by_folder, key=lambda f: -len(by_folder[f])):
        min(halves, key=len).extend(by_folder[folder])
    try:
        parsed = _counted_at_once(root, halves)
    except (OSError, gitio.GitFailed):
        return NO_PROGRESS
    return tally(months, changes, parsed)


PARALLEL_FROM = 2000  # revisions; below this, starting a second process costs more than it saves


def _counted_at_once(root: Path, halves: tuple[list[str], list[str]]) -> dict[str, Counts | None]:
    """count_statuses of every blob in both halves, the second in a process of its own when it pays."""
    if sum(map(len, halves)) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or sys.platform == "win32":
        return _counted(root, halves[0] + halves[1])
    with multiprocessing.get_context("fork").Pool(1) as pool:
        other = pool.apply_async(_counted, (root, halves[1]))
        parsed = _counted(root, halves[0])
        parsed.update(other.get())
    return parsed


def _counted(root: Path, blobs: list[str]) -> dict[str, Counts | None]:
    """count_statuses of each blob, read as git gives it while git finds the next."""
    plain = PlainDeclarations()
    with gc_paused():
        return {blob: count_statuses(data, plain) for blob, data in gitio.blobs(root, blobs) if data is not None}


def revisions(log: str) -> tuple[list[dt.date], list[dict[str, str | None]]]:
    """From `git log --raw --format=%x00%cs` (newest first): the months, and for each month the last blob of
    each declaration changed in it (None when it was deleted), by council folder.

    A commit dated before the one before it in history (a clock set wrong) counts in the later month, so
    time only moves forward.
    """
    first: int | None = None
    current = -1  # month number (year * 12 + month - 1) of the commit being read
    changes: dict[int, dict[str, str | None]] = {}
    for commit in reversed(log.split("\x00")[1:]):  # oldest first
        day = dt.date.fromisoformat(commit[:10])
        current = max(current, day.year * 12 + day.month - 1)
        if first is None:
            first = current
        for line in commit.split("\n")[1:]:
            if not (line.startswith(":") and "\t" in line):
                continue
            meta, path = line.split("\t", 1)
            found = _DECLARATION.fullmatch(path)
            if found is None:
                continue
            fields = meta.split()
            if len(fields) < 5:
                continue
            new_mode, new_blob = fields[1], fields[3]
            blob = new_blob if new_mode in _REGULAR_FILE else None  # deleted, or no longer a plain file
            changes.setdefault(current, {})[found.group(1)] = blob
    if first is None:
        return [], []
    months = [dt.date(n // 12, n % 12 + 1, 1) for n in range(first, current + 1)]
    return months, [changes.get(n, {}) for n in range(first, current + 1)]


def count_statuses(data: bytes, plain: PlainDeclarations | None = None) -> Counts | None:
    """One revision of a declaration's commitments counted by status; None when it cannot be read. A plainly
    written one is read by `plain` (which remembers each commitment's text across revisions), any other by the
    full YAML reader; both give the same counts (tests/test_plain_declaration.py)."""
    if len(data) > MAX_FILE_BYTES:
        return None
    text, _ = decode("declaration.yml", data)
    if text is None:
        return None
    statuses = plain.statuses(text) if plain is not None else None
    if statuses is None:
        from commons.content.model import commitment_status  # only for a revision not written plainly
        from commons.content.yaml_reader import parse_yaml

        meta, _, _ = parse_yaml("declaration.yml", text, line_offset=0)
        items = (meta or {}).get("commitments")
        if not isinstance(items, list):
            return None
        statuses = [commitment_status(item) for item in items]  # the latest update's, when `status` is left out
    counted = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        if isinstance(status, str) and status in counted:
            counted[status] += 1
    return tuple(counted.values())


def tally(months: list[dt.date], changes: list[dict[str, str | None]],
          parsed: Mapping[str, Counts | None]) -> Progress:
    """The counts at the end of every month, given each month's last revisions and what each blob holds."""
    folders = sorted({folder for month in changes for folder in month})
    now: dict[str, Counts] = dict.fromkeys(folders, ZERO)
    series: dict[str, list[Counts]] = {folder: [] for folder in folders}
    total = [0] * len(STATUSES)
    sector: list[Counts] = []
    for month in changes:
        for folder, blob in month.items():
            new = ZERO if blob is None else parsed.get(blob)
            if new is None:
                continue  # unreadable: the month before stands
            for i, (old_n, new_n) in enumerate(zip(now[folder], new, strict=True)):
                total[i] += new_n - old_n
            now[folder] = new
        for folder in folders:
            series[folder].append(now[folder])
        sector.append(tuple(total))
    return Progress(tuple(months), tuple(sector), {folder: tuple(s) for folder, s in series.items()})
