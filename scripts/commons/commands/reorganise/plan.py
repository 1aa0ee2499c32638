"""What a reorganisation will do: the `Plan`, and a `Change` for each file it writes, moves or removes.

A plan is worked out in memory (planner.py) before anything is written; apply.py checks it on a copy of the
repository and writes it. The text of each change is the whole new file as it goes to disk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from commons.content.register import Authority, Register


@dataclass
class Change:
    """One file the reorganisation writes, moves or removes."""

    path: str  # where the file is afterwards (or was, when it is removed)
    text: str | None  # the new content as written, byte-order mark included; None when removed
    source: str = ""  # where it was, when moved
    merged_into: str = ""  # for a removed file: where its content went
    notes: list[str] = field(default_factory=list)
    with_git: bool = False  # moved with `git mv` (or removed with `git rm`), once written

    @property
    def heading(self) -> str:
        """The change in one line of the output: 'moved A -> B (git mv)', 'edited A', 'removed A (...)'."""
        if self.text is None:
            how = " (git rm)" if self.with_git else ""
            return f"removed {self.path}{how} (its content is now in {self.merged_into})"
        if self.source and self.source != self.path:
            how = " (git mv)" if self.with_git else ""
            return f"moved {self.source} -> {self.path}{how}"
        return f"edited {self.path}"


@dataclass
class Plan:
    """Moving `old` into `into` (the first successor gets the folder and commitments), dated `today`."""

    register: Register
    old: Authority
    into: list[Authority]
    summary: str  # who replaced whom, for the first lines of the output
    today: dt.date  # the date of the history updates the moved commitments get
    keep_maintainers: bool = False  # the old council's maintainers become the successor's (--keep-maintainers)
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what a person should check afterwards

    @property
    def touched(self) -> list[str]:
        """The content files the plan writes, for the validator."""
        return [c.path for c in self.changes if c.text is not None
                and (not c.path.startswith("councils/") or c.path.endswith(("/council.yml", "/declaration.yml")))]
