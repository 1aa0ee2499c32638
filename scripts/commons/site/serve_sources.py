"""The councils kept in their own repositories, as a `commons serve` session knows them.

`commons build` reads them from the commits sources.lock pins (commons.site.state.sourced_records: a commit the
cache lacks is fetched first); so does a serve session, once, and again only when sources.lock changes (after
`commons sources update` or `fetch`). Each sourced file is checked as `commons validate` checks it, and when the
lock changes every page of the councils it held before or holds now is rebuilt: a pin that moved changes the
council's page (where its records are kept, when they last changed) even when no file did.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from commons.content.load import Candidate, RawEntry, parse_entry
from commons.content.problems import Problem
from commons.content.register import Register
from commons.content.validate import Facts
from commons.content.validate.repository import kept_in_both
from commons.content.validate.rules import check_entry
from commons.content.validate.site_files import SiteFiles
from commons.site.state import sourced_records
from commons.sources.config import LOCK_FILE
from commons.sources.records import Records


@dataclass
class _Checked:
    entry: RawEntry | None
    problems: list[Problem]
    facts: Facts | None


@dataclass
class SourcedCouncils:
    """The locked sources' files and their checks, read again only when sources.lock changes."""

    root: Path
    register: Register
    records: Records = field(default_factory=Records)
    checked: dict[str, _Checked] = field(default_factory=dict)  # by the file's place in the commons
    signature: tuple[int, int] | None = None  # sources.lock's (mtime_ns, size); None when there is none

    def _lock_signature(self) -> tuple[int, int] | None:
        try:
            st = os.lstat(self.root / LOCK_FILE)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def refresh(self, first: bool = False) -> list[str]:
        """Read the sources again if sources.lock changed since the last look (or on the `first` look); the
        places in the commons of every file they held before or hold now (none when the lock is unchanged).
        Raises CommonsError naming a source whose pinned commit can be neither found in the cache nor fetched
        (what was read before is kept, and the next look tries again)."""
        signature = self._lock_signature()
        if not first and signature == self.signature:
            return []
        records = sourced_records(self.root)
        site_files = SiteFiles(self.root, self.register,
                               frozenset(s.cand.path for s in records.sourced if s.cand.ctype.markdown))
        checked = {}
        for s in records.sourced:
            entry, problems = parse_entry(s.cand, s.data)
            facts = None
            if entry is not None:
                more, facts = check_entry(entry, self.register, site_files, render_all=True)
                problems = problems + more
            checked[s.cand.path] = _Checked(entry, problems, facts)
        before = set(self.checked)
        self.records, self.checked, self.signature = records, checked, signature
        return sorted(before | set(checked))

    @property
    def entries(self) -> list[RawEntry]:
        return [c.entry for c in self.checked.values() if c.entry is not None]

    @property
    def facts(self) -> list[Facts]:
        return [c.facts for c in self.checked.values() if c.facts is not None]

    def problems(self, here: list[Candidate]) -> list[Problem]:
        """The sourced files' own problems, and a council kept both here (among `here`) and in its own
        repository, as `commons validate` reports them (before they are shown at their source: `shown`)."""
        out = [p for c in self.checked.values() for p in c.problems]
        out += kept_in_both(self.records.sourced, {c.folder for c in here if c.ctype.folder == "councils"})
        return out

    def shown(self, problems: list[Problem]) -> list[Problem]:
        """`problems` with those in sourced files placed where their owners see them, `<url>@<sha>:<path>`
        (their schema line is not asked for: a source's files do not sit beside schemas/)."""
        if not self.records.sourced:
            return problems
        at = {s.cand.path: s.shown for s in self.records.sourced}
        return [p if p.path not in at else Problem(at[p.path], p.line, p.col, p.code, p.message, p.hint)
                for p in problems if not (p.path in at and p.code == "W-SCHEMA-LINE")]
