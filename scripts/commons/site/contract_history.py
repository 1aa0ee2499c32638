"""When each contract was added and last changed, from git history: the dates the feed gives new and changed
contracts (a council's contracts.yml holds many, so the file's own date would say every one of them changed).

Read in one pass: one `git log` along the first-parent line of HEAD (the main branch as it landed: a merge counts
on the day it was merged) lists every revision of every `councils/<slug>/contracts.yml`, and one
`git cat-file --batch` reads each revision once. Each revision is read by the project's one YAML reader
(`yaml_reader.parse_yaml`, which refuses alias bombs and deep nesting). A contract, known by its file and `id`, is
added on the day of the first revision that holds it and changed on the day of the last revision whose version of
it differs from the one before. A revision that cannot be read changes nothing; a deleted file forgets its
contracts, so one written again is changed again.

History is a nicety, never a failure: outside a git repository, or if git fails, there are no dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commons import gitio
from commons.content.load import decode
from commons.content.schema import MAX_FILE_BYTES
from commons.content.yaml_reader import parse_yaml

_CONTRACTS = re.compile(r"councils/[a-z0-9]+(?:-[a-z0-9]+)*/contracts\.yml")
_REGULAR_FILE = ("100644", "100755")


@dataclass(frozen=True)
class ContractDates:
    added: dt.date
    changed: dt.date


Key = tuple[str, str]  # the contracts.yml's path, and the contract's id


def contract_dates(root: Path) -> dict[Key, ContractDates]:
    """(path, id) → when the contract was added and last changed, on the first-parent line of HEAD."""
    if not gitio.has_repository(root):
        return {}
    try:
        log = gitio.run(root, "log", "--first-parent", "--diff-merges=first-parent", "--no-renames", "--root",
                        "--reverse", "--raw", "--no-abbrev", "--format=%x00%cs", "HEAD", "--",
                        ":(glob)councils/*/contracts.yml")
        revisions = _revisions(log.decode("utf-8", "replace"))
        wanted = list(dict.fromkeys(blob for _, _, blob in revisions if blob))
        read = {blob: _contracts(data) for blob, data in gitio.blobs(root, wanted) if data is not None}
    except (OSError, gitio.GitFailed):
        return {}  # no git, or no commit yet
    return dates_of(revisions, read)


def dates_of(revisions: list[tuple[dt.date, str, str | None]],
             read: dict[str, dict[str, Any] | None]) -> dict[Key, ContractDates]:
    """The dates, given each revision (its day, path and blob, None when deleted), oldest first, and what each
    blob holds (its contracts by id, None when it cannot be read)."""
    now: dict[str, dict[str, Any]] = {}
    found: dict[Key, ContractDates] = {}
    for day, path, blob in revisions:
        if blob is None:
            now.pop(path, None)
            continue
        contracts = read.get(blob)
        if contracts is None:
            continue  # unreadable: what was there stands
        before = now.get(path, {})
        for cid, c in contracts.items():
            if before.get(cid) != c:
                known = found.get((path, cid))
                found[(path, cid)] = ContractDates(known.added if known and cid in before else day, day)
        now[path] = contracts
    return found


def _revisions(log: str) -> list[tuple[dt.date, str, str | None]]:
    """From `git log --reverse --raw --format=%x00%cs`: each revision's day, path and blob (None when deleted).
    A commit dated before the one logged before it (a clock set wrong) counts on the later day."""
    out: list[tuple[dt.date, str, str | None]] = []
    day: dt.date | None = None
    for line in log.split("\n"):
        if line.startswith("\x00"):
            new = dt.date.fromisoformat(line[1:11])
            day = new if day is None or new > day else day
        elif line.startswith(":") and "\t" in line and day is not None:
            meta, path = line.split("\t", 1)
            fields = meta.split()
            if _CONTRACTS.fullmatch(path) and len(fields) >= 5:
                out.append((day, path, fields[3] if fields[1] in _REGULAR_FILE else None))
    return out


def _contracts(data: bytes) -> dict[str, Any] | None:
    """One revision's contracts by id (the first of two with one id), or None when it cannot be read."""
    if len(data) > MAX_FILE_BYTES:
        return None
    text, _ = decode("contracts.yml", data)
    if text is None:
        return None
    meta, _, _ = parse_yaml("contracts.yml", text, line_offset=0)
    items = (meta or {}).get("contracts")
    if items is None:
        return {}  # no contracts yet
    if not isinstance(items, list):
        return None
    out: dict[str, Any] = {}
    for c in items:
        if isinstance(c, dict) and isinstance(c.get("id"), str):
            out.setdefault(c["id"], c)
    return out
