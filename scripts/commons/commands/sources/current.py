"""The other sources as the site shows them while `commons sources update` checks one: their locked files, read
from the cache only when a changed source is checked against them, and replaced by the new ones as sources
move in this run. With nothing changed, nothing is read.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from commons.content.register import Register
from commons.content.validate import Facts
from commons.sources import locked_snapshot
from commons.sources.config import Locked, Source
from commons.sources.contents import Snapshot, commons_path, pattern_facts
from commons.sources.records import READERS


class Current:
    def __init__(self, root: Path, register: Register, sources: list[Source], locked: dict[str, Locked]):
        self.root, self.register = root, register
        self.pins = {s.council: (s, locked[s.council]) for s in sources
                     if s.council in locked and locked[s.council].commit and s.council in register.by_code}
        self._snaps: dict[str, Snapshot | None] = {}

    def _read(self, code: str) -> Snapshot | None:
        source, pin = self.pins[code]
        return locked_snapshot(self.root, source, pin, self.register)

    def load(self, codes: list[str]) -> None:
        """Read, several at once, the locked files of `codes` (the changed sources) and of every source a changed
        one is compared with (those holding patterns), if there are any."""
        if not codes:
            return
        wanted = [c for c in self.pins if c not in self._snaps and (c in codes or self._has_patterns(c))]
        with ThreadPoolExecutor(READERS) as pool:  # a few git processes each
            for code, snap in zip(wanted, pool.map(self._read, wanted), strict=True):
                self._snaps[code] = snap

    def get(self, code: str) -> Snapshot | None:
        if code not in self._snaps:
            self._snaps[code] = self._read(code) if code in self.pins else None
        return self._snaps[code]

    def moved(self, code: str, snap: Snapshot) -> None:
        self._snaps[code] = snap

    def items(self) -> list[tuple[str, Snapshot]]:
        """Every source's files (all read: only when a source drops a pattern name)."""
        codes = sorted(set(self.pins) | {c for c, s in self._snaps.items() if s is not None})
        self.load([c for c in codes if c not in self._snaps])
        return [(c, snap) for c in codes if (snap := self.get(c)) is not None]

    def _names(self, code: str) -> list[str]:
        """The paths (in the source's folder) of a source's files, from the lock (or this run's new commit)."""
        snap = self._snaps.get(code)
        if snap is not None:
            return [f.source_path[len(snap.source.prefix):] for f in snap.files]
        if code not in self.pins:
            return []
        _, pin = self.pins[code]
        prefix = f"{pin.path}/" if pin.path else ""
        return [p[len(prefix):] for p in pin.files if p.startswith(prefix)]

    def _has_patterns(self, code: str) -> bool:
        return any(name.startswith("patterns/") for name in self._names(code))

    def pattern_facts(self, council: str) -> list[Facts]:
        """The patterns of every other source."""
        codes = sorted(set(self.pins) | set(self._snaps))
        snaps = [self.get(c) for c in codes if c != council and self._has_patterns(c)]
        return [f for snap in snaps if snap is not None for f in pattern_facts(snap)]

    def taken(self, council: str) -> dict[str, str]:
        """Commons path -> council code of every other source's files."""
        out = {}
        for code in sorted(set(self.pins) | set(self._snaps)):
            if code == council or code not in self.register.by_code:
                continue
            slug = self.register.by_code[code].slug
            for name in self._names(code):
                place = commons_path(name, slug)
                if place is not None:
                    out[place] = code
        return out
