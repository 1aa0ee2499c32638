"""Declaration progress over time: commitments counted by status, month by month, from git history.

The history is read in one pass, with the same three git processes whatever
its length. `git rev-parse HEAD` names the commit; one `git log` along its
first-parent line (the main branch as it landed: a merge counts on the day it
was merged) lists every revision of every `councils/<slug>/declaration.yml`;
one `git cat-file --batch` reads the last revision of each file in each
month, and each is parsed with the project's one YAML reader
(`yaml_reader.parse_yaml`, which refuses alias bombs and deep nesting). Months run
from the first commit's to the newest commit's, with no gaps.

History is a nicety, never a failure: outside a git repository, or if git
fails, there is no progress to show. A month whose last revision of a file
cannot be read (not YAML, not a list of commitments) keeps the counts of the
month before; a commitment without a known status is not counted. A deleted
file counts nothing from the month it was deleted; a moved council folder
counts under its new name from the month of the move.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from commons import gitio
from commons.content.load import decode, gc_paused
from commons.content.model import commitment_status
from commons.content.schema import MAX_FILE_BYTES
from commons.content.vocabulary import COMMITMENT_STATUSES
from commons.content.yaml_reader import parse_yaml

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
        log = gitio.run(root, "log", "--first-parent", "--diff-merges=first-parent", "--no-renames", "--root",
                   "--reverse", "--raw", "--no-abbrev", "--format=%x00%cs", commit, "--")
    except (OSError, gitio.GitFailed):
        return NO_PROGRESS
    months, changes = revisions(log.decode("utf-8", "replace"))
    if not months:
        return NO_PROGRESS
    blobs = sorted({blob for month in changes for blob in month.values() if blob})
    try:
        contents = _read_blobs(root, blobs)
    except (OSError, gitio.GitFailed):
        return NO_PROGRESS
    with gc_paused():
        parsed = {blob: count_statuses(data) for blob, data in contents.items()}
    return tally(months, changes, parsed)


def revisions(log: str) -> tuple[list[dt.date], list[dict[str, str | None]]]:
    """From `git log --reverse --raw --format=%x00%cs`: the months, and for each month the last blob of
    each declaration changed in it (None when it was deleted), by council folder.

    A commit dated before the one logged before it (a clock set wrong) counts in the later month, so
    time only moves forward.
    """
    first: int | None = None
    current = -1  # month number (year * 12 + month - 1) of the commit being read
    changes: dict[int, dict[str, str | None]] = {}
    for line in log.split("\n"):
        if line.startswith("\x00"):
            day = dt.date.fromisoformat(line[1:11])
            current = max(current, day.year * 12 + day.month - 1)
            if first is None:
                first = current
        elif line.startswith(":") and "\t" in line:
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


def count_statuses(data: bytes) -> Counts | None:
    """One revision of a declaration's commitments counted by status; None when it cannot be read."""
    if len(data) > MAX_FILE_BYTES:
        return None
    text, _ = decode("declaration.yml", data)
    if text is None:
        return None
    meta, _, _ = parse_yaml("declaration.yml", text, line_offset=0)
    items = (meta or {}).get("commitments")
    if not isinstance(items, list):
        return None
    counted = dict.fromkeys(STATUSES, 0)
    for item in items:
        status = commitment_status(item)  # the latest update's, when `status` is left out
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




def _read_blobs(root: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """The contents of the given blobs, from one `git cat-file --batch`; missing blobs are left out."""
    wanted = list(blobs)
    if not wanted:
        return {}
    out = gitio.run(root, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in wanted).encode())
    found: dict[str, bytes] = {}
    at = 0
    for blob in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3:  # "<sha> missing"
            continue
        size = int(header[2])
        if header[1] == b"blob":
            found[blob] = out[at : at + size]
        at += size + 1
    return found
