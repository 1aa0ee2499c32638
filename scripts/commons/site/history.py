"""Dates from git history, read in one pass: when each file was first added and last changed (a council's files
kept in its own repository: from that repository's history, read by commons.sources.records)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from commons import gitio
from commons.sources.records import Records


@dataclass(frozen=True)
class FileDates:
    added: dt.date
    changed: dt.date


def file_dates(root: Path) -> dict[str, FileDates]:
    """Path (relative to the repository) → dates, from one `git log`; empty outside a git repository.

    Commit dates are used (not author dates), so a rebase or merge shows when a change landed.
    """
    if not gitio.has_repository(root):
        return {}
    try:
        out = gitio.run(root, "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", ".").decode("utf-8")
    except (OSError, gitio.GitFailed, UnicodeDecodeError):
        return {}  # no git, no commit yet, shallow oddities: dates are a nicety, never a failure
    dates: dict[str, FileDates] = {}
    day: dt.date | None = None
    for line in out.splitlines():
        if line.startswith("\x00"):
            day = dt.date.fromisoformat(line[1:11])
        elif line and day is not None:
            # git log runs newest first: the first date seen is the last change, the last seen the addition.
            known = dates.get(line)
            dates[line] = FileDates(added=day, changed=known.changed if known else day)
    return dates


def sourced_dates(records: Records) -> dict[str, FileDates]:
    """The dates of councils' files kept in their own repositories, by their place in the commons."""
    return {r.commons_path: FileDates(r.added, r.changed) for c in records.councils.values() for r in c.files
            if r.added is not None and r.changed is not None}
